"""Two-step verification in Chromium: a coach without an authenticator app is sent to set
one up, reaches nothing else, and gets recovery codes once it works."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import PASSWORD, CoachFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _code_from_key(typed_key: str) -> str:
    """What an authenticator app shows for the key the page asks it to add."""
    key = typed_key.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_coach_sets_up_an_app_before_anything_else(page, live_server, assert_accessible):
    coach = CoachFactory(email="karin@kungsor.se", full_name="Karin Tränare")
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("E-postadress").fill(coach.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")
    expect(
        page.get_by_role("img", name="QR-kod för att lägga till Ledarskapsportalen")
    ).to_be_visible()
    assert_accessible(page)
    # Nothing else is reachable yet.
    page.goto(live_server.url + "/start/ledartranare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")

    page.get_by_label("Kod från appen").fill("000000")
    page.get_by_role("button", name="Aktivera tvåstegsverifiering").click()
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    assert_accessible(page)

    time.sleep(1.1)  # the wait after a wrong code
    key = page.get_by_test_id("totp-key").inner_text()
    page.get_by_label("Kod från appen").fill(_code_from_key(key))
    page.get_by_role("button", name="Aktivera tvåstegsverifiering").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dina återställningskoder")
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    expect(page).to_have_url(live_server.url + "/start/ledartranare/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen, Karin")
