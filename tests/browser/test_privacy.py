"""A manager reads and downloads their own data; an administrator finds a person who has
left, reads their register extract without their journal, and erases them (Chromium)."""

import json
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_reads_and_downloads_their_own_data(
    page, live_server, demo_data, log_in, assert_accessible
):
    from accounts.models import User
    from reflections.models import Entry

    written = Entry.objects.create(
        author=User.objects.get(email="chef@demo.invalid"),
        title="Min vecka",
        body="Jag vågade säga nej till mötet.",
        written_on=date.today(),
    )
    log_in("chef@demo.invalid")
    page.get_by_role("link", name="Mina uppgifter").click()

    expect(page.get_by_role("heading", name="Mina uppgifter", level=1)).to_be_visible()
    expect(page.get_by_text(written.body).first).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ned som JSON").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["person"]["email"] == "chef@demo.invalid"
    assert any(row["body"] == written.body for row in data["data"]["reflections.Entry"])


def test_administrator_erases_a_person_who_has_left(
    page, live_server, demo_data, log_in, assert_accessible
):
    from accounts.models import User
    from reflections.models import Entry

    person = User.objects.get(email="chef@demo.invalid")
    name = person.full_name
    secret = "Det här ska ingen annan läsa."
    Entry.objects.create(author=person, body=secret, written_on=date.today())
    person.is_active = False
    person.save()

    log_in("admin@demo.invalid")
    page.get_by_role("link", name="Personuppgifter: registerutdrag och radering").click()
    page.get_by_label("Namn eller e-postadress").fill("chef@demo")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("1 person hittades")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Se uppgifterna om {name}").click()
    expect(page.get_by_role("heading", name=f"Personuppgifter: {name}")).to_be_visible()
    expect(page.get_by_text("undanhållet").first).to_be_visible()
    expect(page.get_by_text(secret)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Radera personens uppgifter").click()
    # A wrong address: a clear message, nothing erased.
    page.get_by_label("Skriv personens e-postadress för att bekräfta").fill("fel@demo.invalid")
    page.get_by_role("button", name="Radera för gott").click()
    expect(page.get_by_text("Det är inte personens e-postadress. Inget raderades.")).to_be_visible()
    assert_accessible(page)
    assert Entry.objects.filter(author=person).exists()

    page.get_by_label("Skriv personens e-postadress för att bekräfta").fill("chef@demo.invalid")
    page.get_by_role("button", name="Radera för gott").click()
    expect(page.get_by_text("Personens uppgifter är raderade.")).to_be_visible()
    assert_accessible(page)
    person.refresh_from_db()
    assert person.full_name == "Raderad person"
    assert not Entry.objects.filter(author=person).exists()
