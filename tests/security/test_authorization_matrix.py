"""The authorization matrix: every URL pattern, as every kind of person, on A's and on B's
objects. policy.py says who may reach what; anything else must be refused (a 403, a 404, or
the way to the sign-in page; where the policy says, 404 or 403 exactly), nothing answers 500,
a POST-only pattern answers a GET with 405, and A's private journal text reaches nobody
but A.

A URL pattern without a policy entry fails the test, so a new page cannot slip through.
"""

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, reverse
from django.utils import translation

from tests.security import policy
from tests.world import ACTORS, SENTINEL, build

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, _matrix_media):
    """One folder for the module (in place of one per test): the world's attachment is
    stored once, in it."""
    settings.MEDIA_ROOT = _matrix_media


@pytest.fixture(scope="module")
def _matrix_world(django_db_setup, django_db_blocker, _matrix_media):
    """One world for the whole matrix, in a transaction rolled back at the end: each test
    runs in a savepoint inside it, and each request in one more (_answer), so every pattern
    meets the same data without building it a hundred and fifty times."""
    # Built before the per-test fixtures run: in the portal's language whatever the test
    # before it in this process left active.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_matrix_media),
        translation.override(django_settings.LANGUAGE_CODE),
        transaction.atomic(),
    ):
        yield build()
        transaction.set_rollback(True)


@pytest.fixture
def world(_matrix_world, db):
    return _matrix_world


REFUSED = "refused"
REACHED = "reached"
# Signing out sends the person to the sign-in page, the way a refusal does.
SIGNS_OUT = {"accounts:logout"}
# /healthz answers 503 when something it checks is down (here: no Celery worker).
DOWN_ANSWERS = {"healthz"}
# POST-only patterns whose GET answers without changing anything (Django's set_language
# sends a GET back where it came from).
GET_ANSWERS = {"set-language"}


def _patterns():
    names = set()

    def walk(resolver, namespace=None):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                inner = entry.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(entry, full)
            else:
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield name

    for name in walk(get_resolver()):
        names.add(name if name and not name.startswith("admin:") else "admin")
    return sorted(names, key=str)


PATTERNS = _patterns()


def test_every_url_pattern_has_a_policy():
    missing = [name for name in PATTERNS if name not in policy.POLICY]
    stale = [name for name in policy.POLICY if name not in PATTERNS]
    assert missing == [], f"URL patterns without a policy entry: {missing}"
    assert stale == [], f"policy entries for URLs that no longer exist: {stale}"


def _outcome(response) -> str:
    login = reverse("accounts:login")
    if response.status_code in (403, 404, 405, 429):
        return REFUSED
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(login) or location.startswith("/admin/login/"):
            return REFUSED
    return REACHED


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Counted here, printed at the end of the run by conftest.py.
TRIED = {"count": 0, "patterns": len(PATTERNS)}


def _answer(client, method: str, url: str):
    """The answer to one request; what it changed is rolled back, so every actor tries the
    same data (the coach's POST must not delete what the administrator tries next)."""
    with transaction.atomic():
        response = client.post(url, {}) if method == "POST" else client.get(url)
        body = _body(response)
        transaction.set_rollback(True)
    return response, body


@pytest.mark.parametrize("name", [n for n in PATTERNS if n != "admin"])
def test_matrix(client, world, name, settings):
    settings.AXES_ENABLED = False
    entry = policy.POLICY[name]
    failures = []
    for owner in entry.owners:
        url = entry.url(name, world, owner)
        for actor in ACTORS:
            client.logout()
            if actor != "anon":
                client.force_login(world["people"][actor])
            response, body = _answer(client, entry.method, url)
            TRIED["count"] += 1
            outcome = _outcome(response)
            allowed = actor in entry.allowed(owner)
            if response.status_code >= 500 and name not in DOWN_ANSWERS:
                failures.append(f"{actor} got {response.status_code} at {url}")
            if outcome == REACHED and not allowed:
                failures.append(f"{actor} reached {url} ({response.status_code})")
            if outcome == REFUSED and allowed and name not in SIGNS_OUT:
                failures.append(f"{actor} was refused {url} ({response.status_code})")
            expected = entry.refused_with(owner, actor) if actor != "anon" else None
            if not allowed and expected and response.status_code != expected:
                failures.append(f"{actor} got {response.status_code} at {url}, not {expected}")
            if actor != "manager_a" and SENTINEL.encode() in body:
                failures.append(f"{actor} saw A's private text at {url}")
            if entry.method == "POST" and allowed and name not in GET_ANSWERS | SIGNS_OUT:
                status = _answer(client, "GET", url)[0].status_code
                if status != 405:
                    failures.append(f"{actor} changed {url} with a GET ({status})")
    assert failures == []


def test_the_admin_site_is_for_administrators_only(client, world):
    urls = [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{world['people']['manager_a'].pk}/change/",
        "/admin/notifications/outboxmessage/",
        "/admin/reports/reportaccess/",
        "/admin/reflections/entry/",
        f"/admin/reflections/entry/{world['sides']['a']['private'].pk}/change/",
    ]
    for actor in ACTORS:
        client.logout()
        if actor != "anon":
            client.force_login(world["people"][actor])
        for url in urls:
            response = client.get(url)
            outcome = _outcome(response)
            assert (outcome == REACHED) == (actor == "admin"), (actor, url, response.status_code)
            if actor != "manager_a":
                assert SENTINEL.encode() not in _body(response), (actor, url)
