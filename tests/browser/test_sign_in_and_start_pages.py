"""Chromium logs in as each demo role; axe-core finds nothing; no request leaves the portal."""

import pytest
from playwright.sync_api import expect

from accounts import mfa
from accounts.models import User
from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.support.browser_sign_in import give_second_step
from tests.support.mfa import confirmed_app

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEMO_ROLES = [
    ("chef@demo.invalid", "/start/chef/", "Välkommen, Demo", "Min träning"),
    ("ledartranare@demo.invalid", "/start/ledartranare/", "Välkommen, Demo", "Ledartränare"),
    ("hr@demo.invalid", "/start/hr/", "HR-översikt", "HR-översikt"),
    ("admin@demo.invalid", "/start/admin/", "Administration", "Administrationssidan"),
]


@pytest.mark.parametrize(("email", "start_path", "heading", "nav_link"), DEMO_ROLES)
def test_demo_role_logs_in_and_reaches_an_accessible_start_page(
    page,
    live_server,
    demo_data,
    request_log,
    assert_accessible,
    email,
    start_path,
    heading,
    nav_link,
):
    user = User.objects.get(email=email)
    device = confirmed_app(user) if mfa.required_for(user) else None
    page.goto(live_server.url + "/")

    expect(page).to_have_url(live_server.url + "/konto/logga-in/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(page)

    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    if device is not None:
        # Coaches, HR and administrators give a code from their app after the password.
        expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
        assert_accessible(page)
        give_second_step(page, device)

    expect(page).to_have_url(live_server.url + start_path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_contain_text(nav_link)
    expect(page.get_by_role("contentinfo")).to_contain_text("0227-60 00 00")
    assert_accessible(page)
    assert request_log.foreign() == []


def test_wrong_password_is_explained_in_swedish(page, live_server, demo_data, assert_accessible):
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill("chef@demo.invalid")
    page.get_by_label("Lösenord").fill("fel-lösenord-igen")
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_text("Fel e-postadress eller lösenord.")).to_be_visible()
    assert_accessible(page)


def test_accessibility_statement_is_public_and_accessible(
    page, live_server, request_log, assert_accessible
):
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tillgänglighetsredogörelse för Ledarskapsportalen"
    )
    expect(page.get_by_text("delvis förenlig med lagen")).to_be_visible()
    assert_accessible(page)
    assert request_log.foreign() == []


def test_404_page_is_swedish_and_accessible(page, live_server, request_log, assert_accessible):
    response = page.goto(live_server.url + "/finns-inte/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan kunde inte hittas")
    assert_accessible(page)
    assert request_log.foreign() == []


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server):
    page.goto(live_server.url + "/tillganglighet/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page).to_have_url(live_server.url + "/tillganglighet/#main")
    expect(page.locator("main")).to_be_focused()


def test_language_can_be_switched_to_english_and_back(page, live_server, assert_accessible):
    page.goto(live_server.url + "/konto/logga-in/")

    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_the_accessibility_check_does_catch_violations(page, axe):
    """Guards the guard: a page with known faults must fail the same check."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')

    results = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a"]}})

    rules = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "html-has-lang", "label"} <= rules
