"""The demo manager opens the portal in the morning: the start page's first action is to
check in to the session going on now; then the repetition step's reflection. On a desktop
and on a 390 px phone, with axe finding nothing."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import TrainingSession
from tests.factories import PASSWORD, ManagerFactory
from tests.support import seen
from tests.support.browser_sign_in import sign_in
from tests.support.html_checker import html_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_manager_checks_in_from_the_start_page(
    page, live_server, demo_data, log_in, assert_accessible, request_log
):
    now = timezone.now()
    running = TrainingSession.objects.get(
        starts_at__lte=now, ends_at__gt=now, invitations__user__email="chef@demo.invalid"
    )
    log_in("chef@demo.invalid")

    expect(page).to_have_url(live_server.url + "/start/chef/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Demo")
    today = page.get_by_role("region", name="I dag")
    expect(today).to_contain_text(f"Pågår nu: {running.title}")
    expect(today).to_contain_text("Träningsgrupp A")
    assert_accessible(page)
    problems = (
        seen.markup_problems(page)
        + seen.unreadable_buttons(page)
        + seen.weak_focus_indicators(page)
    )
    assert problems == []
    assert html_errors({"start/chef": page.content()}) == []

    today.get_by_role("link", name="Checka in").click()
    page.get_by_label("Incheckningskod").fill(running.checkin_code)
    page.get_by_role("button", name="Checka in").click()
    expect(page.get_by_text(f"Du är incheckad på ”{running.title}”. Välkommen!")).to_be_visible()

    page.goto(live_server.url + "/start/chef/")
    expect(page.get_by_role("region", name="I dag")).to_contain_text("Du är incheckad. Välkommen!")
    assert request_log.foreign() == []


def test_manager_writes_the_repetition_steps_reflection_on_a_phone(
    page, live_server, demo_data, log_in, assert_accessible
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")

    expect(page).to_have_url(live_server.url + "/start/chef/")
    due = page.get_by_role("region", name="Att göra")
    expect(due).to_contain_text("Repetera: Leda sig själv – uppstart")
    expect(due).to_contain_text("Ledartränaren frågar: När ledde du dig själv väl den här veckan?")
    _no_sideways_scroll(page)
    assert_accessible(page)

    due.get_by_role("link", name="Skriv din reflektion").click()
    expect(page.get_by_text("När ledde du dig själv väl den här veckan?")).to_be_visible()
    _no_sideways_scroll(page)


def test_a_new_manager_without_a_group_reads_what_to_do_on_a_phone(
    page, live_server, assert_accessible
):
    manager = ManagerFactory(full_name="Nora Ny")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, manager.email, PASSWORD)

    expect(page).to_have_url(live_server.url + "/start/chef/")
    expect(page.get_by_role("region", name="I dag")).to_contain_text(
        "Du är inte med i någon träningsgrupp än."
    )
    expect(page.get_by_role("region", name="Att göra")).to_contain_text("Inget väntar på dig.")
    _no_sideways_scroll(page)
    assert_accessible(page)
