"""A demo manager proposes a meeting for their network group on a phone and sees it on the
group's page; a colleague answers yes on a desktop and the group sees the answer. Axe finds
nothing, and nothing scrolls sideways at 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support import seen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_propose_see_and_answer_yes(page, live_server, demo_data, log_in, assert_accessible):
    from accounts.models import User
    from sessions.workdays import is_working_day

    day = timezone.localdate() + timedelta(days=14)
    while not is_working_day(day):
        day += timedelta(days=1)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/min-grupp/")
    page.get_by_role("link", name="Träffar i grupp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Träffa din nätverksgrupp")
    expect(page.get_by_text("Fikarummet, Kommunhuset")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Föreslå en träff").click()
    page.get_by_role("button", name="Föreslå träffen").click()
    expect(page.get_by_text("Detta fält måste fyllas i.").first).to_be_visible()
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Startar").fill("10:00")
    page.get_by_label("Slutar").fill("11:00")
    page.get_by_label("Plats", exact=True).fill("Biblioteket, grupprummet")
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Föreslå träffen").click()
    expect(page.get_by_text("Träffen är föreslagen.")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    meeting_url = page.url

    page.get_by_role("link", name="Gruppens träffar").click()
    expect(page.get_by_text("Biblioteket, grupprummet")).to_be_visible()

    colleague = (
        User.objects.get(email="chef@demo.invalid")
        .network_groups.get()
        .members.exclude(email="chef@demo.invalid")
        .order_by("full_name")
        .last()
    )
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(colleague.email)
    page.goto(meeting_url)
    page.get_by_role("button", name="Ja, jag kommer").click()
    expect(page.get_by_text("Du har svarat att du kommer.")).to_be_visible()
    expect(page.get_by_text(f"{colleague.full_name}: kommer")).to_be_visible()
    assert_accessible(page)
    assert seen.markup_problems(page) + seen.unreadable_buttons(page) == []
