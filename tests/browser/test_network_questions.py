"""A demo manager asks the network group for help on a phone; a colleague answers on a
desktop; the asker marks it resolved. Axe finds nothing, and nothing scrolls sideways at
390 px."""

import pytest
from playwright.sync_api import expect

from tests.support import seen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_ask_answer_and_resolve(page, live_server, demo_data, log_in, assert_accessible):
    from accounts.models import User

    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/min-grupp/")
    page.get_by_role("link", name="Frågor i gruppen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta hjälp av gruppen")
    expect(page.get_by_text("Hur får ni tid för reflektion i en fullbokad vecka?")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Fråga gruppen").click()
    page.get_by_role("button", name="Publicera frågan").click()
    expect(page.get_by_text("Skriv din fråga innan du publicerar den.")).to_be_visible()
    page.get_by_label("Din fråga eller utmaning").fill("Hur har ni hanterat en svår rekrytering?")
    page.get_by_label("Mer om den (valfritt)").fill("Vi har sökt en **sjuksköterska** i ett år.")
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Publicera frågan").click()
    expect(page.get_by_text("Din fråga är publicerad. Gruppen ser den nu.")).to_be_visible()
    expect(page.locator("strong", has_text="sjuksköterska")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    colleague = (
        User.objects.get(email="chef@demo.invalid")
        .network_groups.get()
        .members.exclude(email="chef@demo.invalid")
        .order_by("full_name")
        .first()
    )
    question_url = page.url
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(colleague.email)
    page.goto(question_url)
    page.get_by_label("Ditt svar").fill("Vi annonserade tillsammans med grannkommunen.")
    page.get_by_role("button", name="Publicera svaret").click()
    expect(page.get_by_text("Ditt svar är publicerat.")).to_be_visible()
    assert_accessible(page)
    assert seen.markup_problems(page) + seen.unreadable_buttons(page) == []

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(question_url)
    expect(page.get_by_text("Vi annonserade tillsammans med grannkommunen.")).to_be_visible()
    page.get_by_role("button", name="Markera som löst").click()
    expect(page.get_by_text("Frågan är markerad som löst.")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
