"""The journal never loses a word: autosave, offline drafts and two windows, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_text_typed_and_left_without_saving_is_there_when_coming_back(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("chef@demo.invalid")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Min journal").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny anteckning", exact=True).click()
    assert_accessible(page)

    page.get_by_label("Rubrik (frivillig)").fill("Efter träffen")
    page.get_by_label("Reflektion").fill("Jag vill pausa innan jag svarar i mötet.")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    page.goto(live_server.url + "/journal/")  # leave without pressing Spara

    page.get_by_role("link", name="Efter träffen").click()
    expect(page.get_by_label("Reflektion")).to_have_value(
        "Jag vill pausa innan jag svarar i mötet."
    )
    expect(page.get_by_text("Privat", exact=True)).to_be_visible()


def _stored(page) -> dict:
    """What the portal keeps in this browser's localStorage."""
    return page.evaluate(
        "Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"
    )


def test_text_written_offline_is_offered_back_and_restored_on_request(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Första raden.")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    url = page.url

    page.context.set_offline(True)
    page.get_by_label("Reflektion").fill("Första raden. Skrivet utan nät.")
    expect(page.get_by_role("status").filter(has_text="Ingen anslutning")).to_be_visible()
    page.context.set_offline(False)
    page.goto(url)

    offer = page.get_by_role("region", name="Återställ osparad text?")
    expect(offer).to_be_visible()
    expect(offer).to_be_focused()
    expect(offer).to_contain_text("Skrivet utan nät.")
    expect(page.get_by_label("Reflektion")).to_have_value("Första raden.")
    assert_accessible(page)
    offer.get_by_role("button", name="Återställ texten").click()

    expect(page.get_by_label("Reflektion")).to_have_value("Första raden. Skrivet utan nät.")
    expect(offer).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    page.reload()
    expect(page.get_by_label("Reflektion")).to_have_value("Första raden. Skrivet utan nät.")
    expect(offer).to_be_hidden()
    assert _stored(page) == {}


def test_an_offered_copy_can_be_discarded(page, live_server, demo_data, log_in):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Sparat.")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    page.context.set_offline(True)
    page.get_by_label("Reflektion").fill("Sparat. Osparat tillägg.")
    expect(page.get_by_role("status").filter(has_text="Ingen anslutning")).to_be_visible()
    page.context.set_offline(False)
    page.reload()

    page.get_by_role("button", name="Släng den").click()

    expect(page.get_by_role("region", name="Återställ osparad text?")).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("Den osparade texten är slängd.")
    expect(page.get_by_label("Reflektion")).to_be_focused()
    assert _stored(page) == {}
    page.reload()
    expect(page.get_by_label("Reflektion")).to_have_value("Sparat.")
    expect(page.get_by_role("region", name="Återställ osparad text?")).to_be_hidden()


def test_spara_at_once_leaves_nothing_for_the_next_new_entry(page, live_server, demo_data, log_in):
    from reflections.models import Entry

    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Rubrik (frivillig)").fill("Kort")
    page.get_by_label("Reflektion").fill("En kort anteckning.")
    page.get_by_role("button", name="Spara").click()  # before the autosave's second and a half
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Min journal").click()
    page.get_by_role("link", name="Ny anteckning", exact=True).click()
    page.wait_for_timeout(2500)  # longer than the autosave waits

    expect(page.get_by_label("Reflektion")).to_have_value("")
    expect(page.get_by_label("Rubrik (frivillig)")).to_have_value("")
    expect(page.get_by_role("region", name="Återställ osparad text?")).to_be_hidden()
    assert _stored(page) == {}
    mine = Entry.objects.filter(author__email="chef@demo.invalid", body="En kort anteckning.")
    assert mine.count() == 1


def test_a_later_edit_on_another_device_is_not_overwritten_by_an_old_copy(
    page, live_server, demo_data, log_in
):
    from reflections import services
    from reflections.models import Entry

    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Rubrik (frivillig)").fill("Två enheter")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    url = page.url
    page.get_by_label("Reflektion").fill("Skrivet på datorn.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()  # at once, as a short edit is saved
    expect(page.get_by_label("Reflektion")).to_have_value("Skrivet på datorn.")
    entry = Entry.objects.get(author__email="chef@demo.invalid", title="Två enheter")
    # Later, on the phone:
    services.entry_save(
        entry=entry,
        data=services.EntryData(
            title="Två enheter", body="Skrivet om på mobilen.", written_on=entry.written_on
        ),
        based_on_version=entry.version,
    )

    page.goto(live_server.url + "/journal/")
    page.goto(url)
    page.wait_for_timeout(2500)

    expect(page.get_by_label("Reflektion")).to_have_value("Skrivet om på mobilen.")
    expect(page.get_by_role("region", name="Återställ osparad text?")).to_be_hidden()
    entry.refresh_from_db()
    assert entry.body == "Skrivet om på mobilen."


def test_signing_out_removes_the_text_from_the_browser(page, live_server, demo_data, log_in):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Början.")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    page.context.set_offline(True)
    page.get_by_label("Reflektion").fill("Början. Något privat.")
    expect(page.get_by_role("status").filter(has_text="Ingen anslutning")).to_be_visible()
    assert "Något privat." in str(_stored(page))
    sign_out = page.get_by_role("banner").get_by_role("button", name=re.compile("^Logga ut"))

    sign_out.click()  # still offline: the text cannot be saved, so she is told first
    expect(page.get_by_role("status").filter(has_text="inte sparad än")).to_be_visible()
    page.context.set_offline(False)
    sign_out.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert _stored(page) == {}


def test_when_the_session_ends_the_copy_is_kept_for_her_and_removed_for_the_next_person(
    page, live_server, demo_data, log_in
):
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Början.")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
    page.context.clear_cookies(name=re.compile("sessionid"))  # 30 minutes without a request

    page.get_by_label("Reflektion").fill("Början. Skrivet när sessionen hade gått ut.")

    expect(page.get_by_role("status")).to_have_text(
        "Inte sparad: du är inte längre inloggad. Kopiera texten innan du loggar in igen."
    )
    assert "gått ut" in str(_stored(page))
    page.context.clear_cookies()
    log_in("chef2@demo.invalid")  # someone else at the same computer
    assert _stored(page) == {}


def test_signing_out_saves_unsaved_text_first(page, live_server, demo_data, log_in):
    from reflections.models import Entry

    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/journal/ny/")
    page.get_by_label("Reflektion").fill("Skrivet precis innan jag gick.")
    page.get_by_role("banner").get_by_role("button", name=re.compile("^Logga ut")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert _stored(page) == {}
    assert Entry.objects.filter(body="Skrivet precis innan jag gick.").count() == 1


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
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^\s*Sparad \d"))).to_be_visible()
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
