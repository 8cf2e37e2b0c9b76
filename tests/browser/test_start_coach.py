"""The coach signs in (password and second step), lands on the start page and does its first
thing: feedback on the oldest shared reflection. Axe-clean, and on a phone without sideways
scrolling."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_coach_lands_on_the_start_page_and_answers_the_oldest_reflection(
    page, live_server, demo_data, log_in, assert_accessible, request_log
):
    log_in("ledartranare@demo.invalid")

    expect(page).to_have_url(live_server.url + "/start/ledartranare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Demo")
    expect(page.get_by_text("Pågår nu")).to_be_visible()
    waiting = page.get_by_role("heading", name="Väntar på din återkoppling")
    expect(waiting).to_contain_text("3")
    # The demo's three shared reflections, the oldest first.
    queue = page.locator("#waiting-heading ~ ol li")
    expect(queue).to_have_count(3)
    expect(queue.first).to_contain_text("Att pausa innan jag svarar – Bertil Ås")
    expect(page.get_by_text("Karin Mo, Träningsgrupp B:")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ge återkoppling på den äldsta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Att pausa innan jag svarar")
    page.get_by_label("Din återkoppling").fill(
        "Fint att du provade pausen. Hur tog gruppen emot det?"
    )
    page.get_by_role("button", name="Skicka återkoppling").click()
    expect(page.get_by_text("Din återkoppling är skickad. Chefen får ett mejl.")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/start/ledartranare/")
    expect(waiting).to_contain_text("2")
    expect(queue).to_have_count(2)
    expect(queue.first).to_contain_text("Ett möte där jag lyssnade först – Anna Ek")
    assert request_log.foreign() == []


def test_coach_start_page_on_a_phone(page, live_server, demo_data, log_in, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("ledartranare@demo.invalid")

    expect(page.get_by_role("heading", name="Mina träningsgrupper")).to_be_visible()
    # On a phone the groups are a list, each with its figures and its progress page.
    group = page.locator("#cohorts-heading ~ ul li").filter(has_text="Träningsgrupp A")
    expect(group).to_contain_text("Medlemmar")
    expect(group).to_contain_text("Besvarade repetitionssteg")
    _no_sideways_scroll(page)
    assert_accessible(page)

    group.get_by_role("link", name="Framsteg per medlem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Framsteg, Träningsgrupp A")
    # On a phone each member is a short list of figures.
    member = page.locator("main li").filter(has_text="Eva Berg")
    expect(member).to_contain_text("Frånvarande")
    expect(member).to_contain_text("Uppföljda åtaganden")
    _no_sideways_scroll(page)
    assert_accessible(page)


def test_attendance_the_coach_marks_shows_in_the_groups_figures_at_once(
    page, live_server, demo_data, log_in
):
    """The groups' figures are kept between writes (sessions.figures): marking everyone
    present at the session going on makes it held and counts it, on the next look."""
    log_in("ledartranare@demo.invalid")
    group = page.get_by_role("row").filter(has_text="Träningsgrupp A")
    held, rate = group.get_by_role("cell").nth(1), group.get_by_role("cell").nth(3)
    expect(held).to_have_text("1")
    expect(rate).to_have_text("83 %")

    page.get_by_role("link", name="Närvaro").first.click()
    page.get_by_role("button", name="Alla närvarande").click()
    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()

    page.goto(live_server.url + "/start/ledartranare/")
    expect(held).to_have_text("2")
    expect(rate).to_have_text("92 %")
