"""Bad input: every form the portal posts gets generated input (hypothesis, 200 examples a
view), and both import parsers get a minute each of generated files. Nothing may crash or
answer 500, and input the portal refuses must change nothing."""

import csv
import io
import random
import time

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts import staff_import
from accounts.forms import StaffImportConfirmForm
from privacy import forms as privacy_forms
from programme import forms as programme_forms
from reflections import forms as reflections_forms
from reminders import forms as reminders_forms
from reports import forms as reports_forms
from reports import sick_leave
from sessions import forms as session_forms
from tests.security import policy
from tests.security.world import build


def _field_names() -> list[str]:
    names = {"csrfmiddlewaretoken", "action", "prompt", "user", "to_group", "member", "marks"}
    for module in (
        privacy_forms,
        programme_forms,
        reflections_forms,
        reminders_forms,
        reports_forms,
        session_forms,
    ):
        for value in vars(module).values():
            fields = getattr(value, "base_fields", None)
            if isinstance(fields, dict):
                names |= set(fields)
    names |= set(StaffImportConfirmForm.base_fields)
    return sorted(names)


FIELDS = _field_names()
VALUES = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="0123456789-:. ,", max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0", "1", "on", "ja", "-1", "9" * 40, "\x00", "<script>x</script>"]),
)
FORM_DATA = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=10)

# Every pattern a form can be posted to: the POST-only ones, and the pages that show a form
# and take it back (a pattern whose view answers a POST with 405 is skipped when tried).
NOT_POSTED = {"accounts:logout", "set-language", "admin", "healthz"}
POSTED = sorted(name for name in policy.POLICY if name not in NOT_POSTED)
# Any POST is the action itself (RFC 8058 one-click unsubscribe): nothing to refuse.
NO_INPUT = {"notifications:unsubscribe"}
# Pages that read a form from the query string.
SEARCHED = [
    "reflections:journal",
    "reports:dashboard",
    "training_sessions:schedule",
    "privacy:people",
]


class _Undo(Exception):
    """Rolls back what one example wrote."""


def _counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "notifications",
            "programme",
            "training_sessions",
            "reflections",
            "reminders",
            "reports",
            "privacy",
        }
    }


def _actor_for(rule) -> str:
    allowed = rule.allowed("a" if rule.params else None)
    for preferred in ("manager_a", "coach_a", "hr", "manager_b", "admin"):
        if preferred in allowed:
            return preferred
    return sorted(allowed)[0]


class FormsGetGeneratedInput(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build()

    def _client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.world["people"][actor])
        return client

    def _post_view(self, name: str):
        rule = policy.POLICY[name]
        if not rule.allowed("a" if rule.params else None):
            self.skipTest(f"nobody reaches {name} in these tests")
        client = self._client(_actor_for(rule))
        url = rule.url(name, self.world, "a" if rule.params else None)
        with transaction.atomic():
            takes_posts = client.post(url, {}).status_code != 405
            transaction.set_rollback(True)
        if not takes_posts:
            self.skipTest(f"{name} takes no form")

        @settings(
            max_examples=200,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        @given(FORM_DATA)
        def check(data):
            try:
                with transaction.atomic():
                    response = client.post(url, data)
                    assert response.status_code < 500, (name, data)
                    refused = response.status_code in (400, 403, 404) or (
                        response.status_code == 200
                        and response.get("Content-Type", "").startswith("text/html")
                    )
                    if refused and name not in NO_INPUT:
                        assert _counts() == before, (name, data)
                    raise _Undo
            except _Undo:
                pass  # every example starts from the same data

        before = _counts()
        check()

    def _search_view(self, name: str):
        rule = policy.POLICY[name]
        if not rule.allowed("a" if rule.params else None):
            self.skipTest(f"nobody reaches {name} in these tests")
        client = self._client(_actor_for(rule))
        url = rule.url(name, self.world, None)

        @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(FORM_DATA)
        def check(data):
            response = client.get(url, data)
            assert response.status_code < 500, (name, data)

        check()


for _name in POSTED:
    setattr(
        FormsGetGeneratedInput,
        "test_post_" + _name.replace(":", "_").replace("-", "_"),
        lambda self, _name=_name: self._post_view(_name),
    )
for _name in SEARCHED:
    setattr(
        FormsGetGeneratedInput,
        "test_search_" + _name.replace(":", "_").replace("-", "_"),
        lambda self, _name=_name: self._search_view(_name),
    )


# Import parsers: a minute each of generated files, from random bytes to near-valid sheets.

STAFF_HEADER = ["Namn", "E-post", "Förvaltning", "Enhet", "Titel", "Chef"]
SICK_HEADER = [
    "Förvaltning",
    "Enhet",
    "Månad",
    "Antal anställda",
    "Schemalagda timmar",
    "Sjukfrånvaro (%)",
]
NASTY = ["", " ", ";", ",", '"', "\x00", "é", "ja", "nej", "2027-13", "1e309", "-0", "9" * 30,
         "=1+1", "\r\n", "januari 2027", "100,5", "NaN", "∞", "Kultur", "a@b.se"]  # fmt: skip


def _generated_file(rng: random.Random, header: list[str]) -> tuple[bytes, str]:
    kind = rng.random()
    if kind < 0.15:
        return rng.randbytes(rng.randint(0, 400)), rng.choice(["f.csv", "f.xlsx", "f.txt"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=rng.choice([";", ",", "\t"]))
    columns = header[:]
    rng.shuffle(columns)
    if rng.random() < 0.3:
        columns = columns[: rng.randint(0, len(columns))]
    writer.writerow(columns)
    for _ in range(rng.randint(0, 12)):
        writer.writerow(
            rng.choice(NASTY) if rng.random() < 0.6 else str(rng.randint(-5, 5000))
            for _ in range(rng.randint(0, len(header) + 2))
        )
    text = out.getvalue()
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16"])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, "fil.csv"


def _fuzz(parse, header: list[str], seconds: float = 60.0) -> int:
    rng = random.Random(20271)  # noqa: S311 (reproducible fuzzing, not secrets)
    tried = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data, name = _generated_file(rng, header)
        try:
            parse(data=data, filename=name)
        except staff_import.ImportFileError as error:
            assert error.messages and all(isinstance(m, str) for m in error.messages)
        tried += 1
    return tried


@pytest.mark.django_db
def test_staff_import_parser_survives_a_minute_of_generated_files():
    assert _fuzz(staff_import.parse, STAFF_HEADER) > 1000


@pytest.mark.django_db
def test_sick_leave_parser_survives_a_minute_of_generated_files(known):
    assert _fuzz(sick_leave.parse, SICK_HEADER) > 1000
