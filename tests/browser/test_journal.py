"""The journal never loses a word: autosave, offline drafts and two windows, in Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_text_typed_and_left_without_saving_is_there_when_coming_back(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("chef@demo.invalid")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Min journal").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny anteckning").click()
    assert_accessible(page)

    page.get_by_label("Rubrik (frivillig)").fill("Efter träffen")
    page.get_by_label("Reflektion").fill("Jag vill pausa innan jag svarar i mötet.")
    expect(page.get_by_role("status").filter(has_text="Sparad")).to_be_visible()
    page.goto(live_server.url + "/journal/")  # leave without pressing Spara

    page.get_by_role("link", name="Efter träffen").click()
    expect(page.get_by_label("Reflektion")).to_have_value(
        "Jag vill pausa innan jag svarar i mötet."
    )
    expect(page.get_by_text("Privat", exact=True)).to_be_visible()


def test_text_written_offline_is_restored_from_the_browser(page, live_server, demo_data, log_in):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Första raden.")
    expect(page.get_by_role("status").filter(has_text="Sparad")).to_be_visible()
    url = page.url

    page.context.set_offline(True)
    page.get_by_label("Reflektion").fill("Första raden. Skrivet utan nät.")
    expect(page.get_by_role("status").filter(has_text="Ingen anslutning")).to_be_visible()
    page.context.set_offline(False)
    page.goto(url)

    expect(page.get_by_label("Reflektion")).to_have_value("Första raden. Skrivet utan nät.")
    expect(page.get_by_role("status").filter(has_text="återställdes")).to_be_visible()


def test_two_windows_keep_both_texts(page, live_server, demo_data, log_in, assert_accessible):
    from reflections.models import Entry

    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Rubrik (frivillig)").fill("Två flikar")
    page.get_by_role("button", name="Spara").click()
    url = page.url
    other = page.context.new_page()
    other.goto(url)

    page.get_by_label("Reflektion").fill("Text från första fliken.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Sparad")).to_be_visible()
    other.get_by_label("Reflektion").fill("Text från andra fliken.")
    other.get_by_role("button", name="Spara").click()

    expect(other.get_by_text("Inget har gått förlorat")).to_be_visible()
    assert_accessible(other)
    bodies = set(
        Entry.objects.filter(author__email="chef@demo.invalid").values_list("body", flat=True)
    )
    assert {"Text från första fliken.", "Text från andra fliken."} <= bodies


def test_commitments_and_shared_pages_are_accessible(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/atagande/")
    page.get_by_label("Det här ska jag prova").fill("Pausa innan jag svarar")
    page.get_by_label("Följ upp den").fill("2099-01-15")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("paragraph").filter(has_text="Pausa innan jag svarar")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/journal/ledord/")
    page.get_by_role("group", name="Modigt").get_by_label("3").check()
    page.get_by_role("group", name="Tydligt").get_by_label("4").check()
    page.get_by_role("group", name="Engagerande").get_by_label("5").check()
    page.get_by_role("button", name="Spara skattningen").click()
    expect(page.get_by_role("img", name="Självskattningar på ledorden över tid")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/journal/export/")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in("ledartranare@demo.invalid")
    page.goto(live_server.url + "/journal/delat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delade reflektioner")
    assert_accessible(page)
    page.goto(live_server.url + "/traffar/")
    page.get_by_role("link", name="Leda utveckling i förändring – praktik").click()
    page.get_by_role("link", name="Det gruppen har delat sedan förra träffen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inför")
    assert_accessible(page)
