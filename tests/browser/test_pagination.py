"""Page links in Chromium: axe-clean, followed with the keyboard, filters kept."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.support.browser_sign_in import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_journal_pages_are_accessible_and_keep_the_search(page, live_server, assert_accessible):
    from reflections.models import Entry
    from reflections.views import ENTRIES_PER_PAGE
    from tests.factories import ManagerFactory

    manager = ManagerFactory()
    Entry.objects.bulk_create(
        Entry(
            author=manager,
            title=f"Modigt samtal {n}",
            body="modet att säga ifrån",
            written_on=date(2027, 1, 1) + timedelta(days=n),
        )
        for n in range(ENTRIES_PER_PAGE + 3)
    )
    sign_in(page, live_server.url, manager.email, PASSWORD)
    page.goto(live_server.url + "/journal/?q=modet")
    pages = page.get_by_role("navigation", name="Sidor i journalen")
    expect(pages.get_by_role("link", name="Sida 1")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    pages.get_by_role("link", name="Nästa").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2**")
    assert "q=modet" in page.url
    expect(page.get_by_text("Sida 2 av 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Modigt samtal 0")).to_be_visible()
    assert_accessible(page)


def test_a_forvaltnings_unit_pages_are_accessible(
    page, live_server, assert_accessible, monkeypatch
):
    from reports import views
    from tests.factories import EnhetFactory, ForvaltningFactory, HRFactory, ManagerFactory

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    forvaltning = ForvaltningFactory(name="Barn och utbildning")
    for name in ("Skola A", "Skola B", "Skola C"):
        ManagerFactory.create_batch(5, department=EnhetFactory(name=name, parent=forvaltning))
    hr = HRFactory()
    sign_in(page, live_server.url, hr.email, PASSWORD)

    page.goto(live_server.url + "/rapporter/")
    page.get_by_role("link", name="Barn och utbildning").click()
    expect(page.get_by_role("heading", name="Enheter i Barn och utbildning")).to_be_visible()
    expect(page.get_by_role("table", name="Per enhet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Sidor").get_by_role("link", name="Nästa").click()
    expect(page.get_by_role("rowheader", name="Skola C")).to_be_visible()
    assert_accessible(page)
