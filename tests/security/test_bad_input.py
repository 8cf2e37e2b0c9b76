"""Bad input: every form the portal posts gets generated input (hypothesis, 100 examples a
view, filling the fields the page shows and any other form's), and both import parsers get
2,000 generated files each (hypothesis), from random bytes to near-valid sheets. Nothing may
crash or answer 500, and input the portal refuses must change nothing."""

import csv
import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts import staff_import
from accounts.forms import StaffImportConfirmForm
from network import forms as network_forms
from network import meeting_forms
from privacy import forms as privacy_forms
from programme import forms as programme_forms
from reflections import forms as reflections_forms
from reminders import forms as reminders_forms
from reports import forms as reports_forms
from reports import sick_leave
from sessions import forms as session_forms
from tests.security import policy
from tests.world import build


def _field_names() -> list[str]:
    names = {
        "csrfmiddlewaretoken",
        "action",
        "prompt",
        "user",
        "to_group",
        "member",
        "marks",
        "response",
    }
    for module in (
        network_forms,
        meeting_forms,
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


class _FieldNames(HTMLParser):
    """The names of the fields a page's forms show: inputs, selects and text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        name = dict(attrs).get("name")
        if tag in ("input", "select", "textarea") and name and name != "csrfmiddlewaretoken":
            self.names.add(name)


def _page_fields(client: Client, url: str) -> list[str]:
    """The fields the page shows a person (read with a GET, rolled back), or none for an
    address that takes only posts."""
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    parser = _FieldNames()
    parser.feed(response.content.decode())
    return sorted(parser.names)


FIELDS = _field_names()
VALUES = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="0123456789-:. ,", max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0", "1", "on", "ja", "-1", "9" * 40, "\x00", "<script>x</script>"]),
)
FORM_DATA = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=10)


def _form_data(own: list[str]):
    """Posts for a page whose forms show the fields `own`: any of those filled with anything
    (past the "required" checks into the form's own rules), or a mix of them and every
    other form's fields."""
    if not own:
        return FORM_DATA
    return st.one_of(
        st.fixed_dictionaries({}, optional=dict.fromkeys(own, VALUES)),
        st.dictionaries(st.sampled_from(own) | st.sampled_from(FIELDS), VALUES, max_size=10),
    )


# Examples per view: each fills the page's own fields, so that a hundred reach further into
# a form's rules than two hundred drawn from every form's names did.
EXAMPLES = 100

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
    "programme:members-add",
]


class _Undo(Exception):
    """Rolls back what one example wrote."""


COUNTED_APPS = {
    "accounts",
    "network",
    "notifications",
    "programme",
    "training_sessions",
    "reflections",
    "reminders",
    "reports",
    "privacy",
}


def _counted_tables() -> list[str]:
    """The portal's tables, its many-to-many tables too (proxies share their model's table)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in COUNTED_APPS and not model._meta.proxy
        }
    )


def _counts() -> dict:
    """How many rows each of the portal's tables holds, in one statement: a query per table
    would be some sixty queries for each generated example."""
    tables = _counted_tables()
    quote = connection.ops.quote_name
    counts = [
        f"(SELECT COUNT(*) FROM {quote(table)})"  # noqa: S608 (names from the app registry)
        for table in tables
    ]
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


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
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        @given(_form_data(_page_fields(client, url)))
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
        url = rule.url(name, self.world, "a" if rule.params else None)

        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        )
        @given(_form_data(_page_fields(client, url)))
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


# Import parsers: generated files, from random bytes to near-valid sheets.

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
CELLS = st.one_of(
    st.sampled_from(NASTY), st.integers(min_value=-5, max_value=5000).map(str), st.text(max_size=20)
)
RANDOM_BYTES = st.tuples(st.binary(max_size=400), st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))


@st.composite
def _sheets(draw, header: list[str]) -> tuple[bytes, str]:
    """A CSV file near the expected one: the header's columns shuffled, perhaps cut short,
    rows of awkward cells, any delimiter and encoding."""
    columns = draw(st.permutations(header))
    if draw(st.booleans()):
        columns = columns[: draw(st.integers(min_value=0, max_value=len(columns)))]
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=12))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([";", ",", "\t"])))
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    try:
        data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])))
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, "fil.csv"


def _survives(parse, header: list[str]):
    """A test that `parse` takes each generated file or refuses it with readable messages.
    A parser that needs seconds for a dozen rows fails too (the deadline)."""

    @seed(20271)  # reproducible, as a fixed fuzzing seed
    @settings(
        max_examples=2000,
        deadline=timedelta(seconds=5),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.one_of(RANDOM_BYTES, _sheets(header)))
    def check(generated):
        data, name = generated
        try:
            parse(data=data, filename=name)
        except staff_import.ImportFileError as error:
            assert error.messages and all(isinstance(m, str) for m in error.messages)

    return check


@pytest.mark.django_db
def test_staff_import_parser_survives_generated_files():
    _survives(staff_import.parse, STAFF_HEADER)()


@pytest.mark.django_db
def test_sick_leave_parser_survives_generated_files(known):
    _survives(sick_leave.parse, SICK_HEADER)()
