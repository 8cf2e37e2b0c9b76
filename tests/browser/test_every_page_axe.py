"""axe-core on every page of the portal, as every kind of person who may see it: the pages
come from the authorization policy (tests/security/policy.py), so a new page is checked too.
Beside axe, what a sighted person meets (tests/support/seen.py): every image shows, every
button has text that can be read (4.5:1 against what is behind it), and every kind of element
that takes keyboard focus shows a ring of at least 3:1; and no markup error of the kinds met
before (repeated ids, empty names, misplaced aria-label, skipped heading levels, tables
without header cells); and the Nu Html Checker finds no error in any page as served."""

import pytest

from tests.factories import PASSWORD
from tests.security import policy
from tests.support import seen
from tests.support.browser_sign_in import sign_in
from tests.support.html_checker import html_errors
from tests.world import ACTORS, build

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Not pages: files, feeds, redirects and JSON.
NOT_PAGES = {
    "healthz",
    "training_sessions:feed",
    "training_sessions:checkin-qr",
    "programme:attachment-download",
    "reflections:export-json",
    "reports:export",
    "reports:coverage-export",
    "reports:effekt-export",
    "reports:sick-leave-template",
    "accounts:staff-import-template",
    "privacy:my-data-json",
    "privacy:person-data-json",
    "home",
}


def _pages():
    for name, rule in sorted(policy.POLICY.items()):
        if rule.method != "GET" or name in NOT_PAGES or name == "admin":
            continue
        yield name, rule


def _pages_for(actor: str) -> list[tuple[str, policy.Rule]]:
    """The pages `actor` may open, each with its policy rule (tests/test_url_access.py checks
    that all of them together are the portal's pages, not a few)."""
    return [
        (name, rule)
        for name, rule in _pages()
        if actor in rule.allowed("a" if rule.params else None)
    ]


# One test per kind of person, so that the test processes share the walk.
@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_for_every_role_has_no_axe_violation(
    page, live_server, assert_accessible, actor
):
    world = build()
    pages = _pages_for(actor)
    checked, failures, documents = 0, [], {}
    if actor != "anon":
        sign_in(page, live_server.url, world["people"][actor].email, PASSWORD)
    for name, rule in pages:
        owner = "a" if rule.params else None
        url = live_server.url + rule.url(name, world, owner)
        response = page.goto(url)
        if response is None or response.status != 200:
            failures.append(f"{actor} {name}: status {response and response.status}")
            continue
        documents[f"{actor} {name}"] = response.text()
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{actor} {name}: {error}")
        for problem in (
            seen.markup_problems(page)
            + seen.broken_images(page)
            + seen.unreadable_buttons(page)
            + seen.weak_focus_indicators(page)
        ):
            failures.append(f"{actor} {name}: {problem}")
        checked += 1
    failures += html_errors(documents)
    assert failures == [], "\n\n".join(failures)
    assert pages and checked == len(pages)
