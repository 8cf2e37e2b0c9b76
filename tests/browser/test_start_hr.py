"""HR signs in (two steps), lands on the start page, and opens the list of managers in no
training group: axe finds nothing, and on a 390 px phone nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_hr_starts_the_day_on_the_figures_and_opens_the_managers_to_place(
    page, live_server, demo_data, log_in, assert_accessible
):
    from accounts.models import Department
    from tests.factories import ManagerFactory

    unit = Department.objects.get(name="Hemtjänsten")
    ManagerFactory(full_name="Olle Oplacerad", department=unit)

    log_in("hr@demo.invalid")

    expect(page).to_have_url(live_server.url + "/start/hr/")
    expect(page.get_by_role("heading", level=1)).to_have_text("HR-översikt")
    coverage = page.locator("#coverage")
    expect(coverage.get_by_role("heading", name="Chefer i en träningsgrupp")).to_be_visible()
    # The demo's 12 managers are in its two groups; Olle is in none.
    expect(coverage).to_contain_text("12 av 13")
    expect(page.locator("#attendance")).to_contain_text("Närvaro hittills i år")
    expect(page.get_by_text("Personallista:")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    assert_accessible(page)

    coverage.get_by_role("link", name="Chefer utan träningsgrupp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chefer utan träningsgrupp")
    people = page.get_by_role("table", name="Chefer utan träningsgrupp")
    expect(people.get_by_role("rowheader").filter(has_text="Olle Oplacerad")).to_be_visible()
    expect(people).to_contain_text("Vård- och omsorgsförvaltningen")
    expect(people).not_to_contain_text("Demo Chef")
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
