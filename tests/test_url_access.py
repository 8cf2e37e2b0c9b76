"""Every URL the portal has, walked from Django's URL resolver, as an anonymous visitor."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# The only pages an anonymous visitor may see. Anything else must send them to log in.
PUBLIC = {
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accessibility",
    "healthz",
    # Calendar programs fetch the feed without signing in; its secret token is the key.
    "training_sessions:feed",
    # The unsubscribe link in reminder emails: the signed token is the key (RFC 8058).
    "notifications:unsubscribe",
    "set-language",
    # Single sign-on starts before anyone is signed in, and the provider sends people back.
    "accounts:sso-start",
    "accounts:sso-callback",
    # The admin's sign-in page sends people on to the portal's; other admin pages go there.
    "admin:login",
}

SAMPLE_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry, prefix + _sample(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, "/" + prefix + _sample(entry.pattern)


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "1"), route
        )
    if isinstance(pattern, RegexPattern):
        regex = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        regex = re.sub(r"\(\?P<\w+>([^)]*)\)", _regex_group_sample, regex)
        return regex.replace("\\", "").replace("?", "")
    return str(pattern)


def _regex_group_sample(match: re.Match) -> str:
    alternatives = match.group(1)
    if re.fullmatch(r"[\w|]+", alternatives):
        return alternatives.split("|")[0]  # e.g. the admin's (?P<app_label>accounts|auth)
    return "1"


ALL_URLS = sorted(set(_walk(get_resolver())), key=lambda item: item[1])


PRIVATE_URLS = [url for name, url in ALL_URLS if name not in PUBLIC]


def test_the_walk_finds_the_portal_and_the_admin():
    names = {name for name, _ in ALL_URLS}
    assert {"home", "start-manager", "accounts:password-change", "admin:index"} <= names
    assert len(ALL_URLS) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code in (301, 302), f"{url} answered {response.status_code}"
    location = response["Location"]
    assert location.startswith(("/konto/logga-in/?next=", "/admin/login/?next=")), location


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/konto/logga-in/", 200),
        ("/konto/aterstall/", 200),
        ("/konto/aterstall/skickat/", 200),
        ("/konto/aterstall/klart/", 200),
        ("/tillganglighet/", 200),
    ],
)
def test_public_pages_open_without_logging_in(client, url, status):
    assert client.get(url).status_code == status


def test_public_list_names_only_existing_urls():
    names = {name for name, _ in ALL_URLS}
    assert names >= PUBLIC


def test_the_browser_walk_covers_the_portal():
    """The accessibility walk in Chromium (tests/browser/test_every_page_axe.py) opens the
    pages each kind of person may see; together they are the portal's pages, not a few."""
    from tests.browser.test_every_page_axe import _pages_for
    from tests.world import ACTORS

    assert all(_pages_for(actor) for actor in ACTORS)
    assert sum(len(_pages_for(actor)) for actor in ACTORS) > 80
