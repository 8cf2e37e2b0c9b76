"""Chromium (Debian's package) driven by Playwright, against Django's live server."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser_sign_in import sign_in

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# The longest tests (a minute each, the rest a few seconds): run first, so that the two test
# processes take them in turns and finish together, rather than one starting a long walk
# when the other has nothing left.
LONGEST_FIRST = ("test_every_page_axe.py::test_every_page_for_every_role_has_no_axe_violation",)


def pytest_collection_modifyitems(items):
    # Hooks in a conftest see every collected item: mark only this folder's, and reorder
    # only among their places.
    here = Path(__file__).parent
    places = [i for i, item in enumerate(items) if here in Path(item.fspath).parents]
    ours = [items[i] for i in places]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    ours.sort(key=lambda item: not any(name in item.nodeid for name in LONGEST_FIRST))
    for place, item in zip(places, ours, strict=True):
        items[place] = item


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs Debian's chromium")
    if not os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
        pytest.fail("Browser tests run in their own pytest run with DJANGO_ALLOW_ASYNC_UNSAFE=true")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English browser: the portal must still answer in Swedish.
    return {**browser_context_args, "locale": "en-US", "timezone_id": "Europe/Stockholm"}


class RequestLog:
    """Every request the page makes, to prove that none goes to another host."""

    def __init__(self, allowed_netloc: str) -> None:
        self.allowed_netloc = allowed_netloc
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).netloc != self.allowed_netloc
        ]


@pytest.fixture
def request_log(page, live_server):
    log = RequestLog(urlsplit(live_server.url).netloc)
    page.on("request", log)
    return log


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    def check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", allow_without_debug=True, quiet_logins=True)


@pytest.fixture
def log_in(page, live_server):
    from demo.management.commands.seed_demo import DEMO_PASSWORD

    def log_in_as(email: str) -> None:
        sign_in(page, live_server.url, email, DEMO_PASSWORD)

    return log_in_as


class _ServedByWhitenoise:
    """The live server's static handler, passing every request on: the portal's own
    middleware (whitenoise) then serves the collected, hashed files, as in production."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@pytest.fixture(scope="session", autouse=True)
def _static_files_as_in_production():
    # pytest-django's live server serves static files from the finders, which know nothing
    # of the hashed names that the manifest storage writes into pages.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.contrib.staticfiles.handlers.StaticFilesHandler", _ServedByWhitenoise)
        yield


@pytest.fixture(autouse=True)
def _no_missing_assets(page):
    """Every page the browser loads must get all its files: a 404 fails the test."""
    failures: list[str] = []
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}")
            if r.status == 404 and "/static/" in r.url
            else None
        ),
    )
    yield
    assert failures == [], failures


@pytest.fixture(autouse=True)
def _patient_waits(page):
    """Two cores shared with a worker and PostgreSQL: wait up to 15 s, not Playwright's 5."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    page.set_default_timeout(15_000)
