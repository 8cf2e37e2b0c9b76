"""A demo manager sends the coach a suggestion on a theme from her phone; the coach answers
on a desktop and publishes it; the manager's colleagues read it on the programme page. Axe
finds nothing, nothing scrolls sideways at 390 px."""

import pytest
from playwright.sync_api import expect

from tests.support import seen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_suggest_answer_and_publish(page, live_server, demo_data, log_in, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/program/")
    page.get_by_role("link", name="Föreslå eller tyck till om Leda utveckling i förändring").click()
    page.get_by_role("button", name="Skicka till ledartränaren").click()
    expect(
        page.get_by_text("Skriv ditt förslag eller din synpunkt innan du skickar.")
    ).to_be_visible()
    page.get_by_label("Ditt förslag eller din synpunkt").fill(
        "Ett verktyg för att *prata om förändring* med oroliga medarbetare, tack."
    )
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Skicka till ledartränaren").click()
    expect(page.get_by_text("Tack! Ledartränarna har fått ditt förslag.")).to_be_visible()
    expect(page.get_by_text("Väntar på svar").first).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("ledartranare@demo.invalid")
    page.get_by_role("link", name="Förslag om ramverket").click()
    expect(page.get_by_role("heading", name="Väntar på svar (2)")).to_be_visible()
    page.get_by_role("link", name="Svara Leda utveckling i förändring").click()
    page.get_by_label("Ditt svar").fill("Bra förslag – vi tar med det på nästa träff.")
    page.get_by_label("Publicera förslaget och svaret för alla i programmet").check()
    assert_accessible(page)
    page.get_by_role("button", name="Spara svaret").click()
    expect(page.get_by_text("Ditt svar är sparat och publicerat på programsidan.")).to_be_visible()
    assert_accessible(page)
    assert seen.markup_problems(page) + seen.unreadable_buttons(page) == []

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef2@demo.invalid")
    page.goto(live_server.url + "/program/")
    expect(page.get_by_text("Bra förslag – vi tar med det på nästa träff.")).to_be_visible()
    expect(page.locator("em", has_text="prata om förändring")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
