"""A demo manager shares a journal entry with her network group on a phone; a colleague reads
the copy on a desktop; she takes it back. Axe finds nothing, nothing scrolls sideways at
390 px."""

import pytest
from playwright.sync_api import expect

from tests.support import seen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_share_read_and_take_back(page, live_server, demo_data, log_in, assert_accessible):
    from accounts.models import User
    from reflections.models import Entry

    manager = User.objects.get(email="chef@demo.invalid")
    entry = Entry.objects.filter(author=manager, title="Efter uppstarten").get()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(f"{live_server.url}/journal/{entry.pk}/")
    page.get_by_role("link", name="Dela med min nätverksgrupp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dela med min nätverksgrupp")
    expect(page.get_by_text("Jag vill bli bättre på att pausa innan jag svarar.")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Dela en kopia med gruppen").click()
    expect(
        page.get_by_text("En kopia av anteckningen är delad med din nätverksgrupp.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Ta tillbaka")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    colleague = (
        manager.network_groups.get().members.exclude(pk=manager.pk).order_by("full_name").first()
    )
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(colleague.email)
    page.goto(live_server.url + "/min-grupp/")
    page.get_by_role("link", name="Delade anteckningar").click()
    expect(page.get_by_role("heading", name="Efter uppstarten")).to_be_visible()
    expect(page.get_by_text("Demo Chef · delad")).to_be_visible()
    assert_accessible(page)
    assert seen.markup_problems(page) + seen.unreadable_buttons(page) == []

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("chef@demo.invalid")
    page.goto(live_server.url + "/min-grupp/")
    page.get_by_role("link", name="Delade anteckningar").click()
    page.get_by_role("button", name="Ta tillbaka Efter uppstarten").click()
    expect(
        page.get_by_text("Kopian är tillbakatagen. Gruppen ser den inte längre.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Efter uppstarten")).to_have_count(0)
    _no_sideways_scroll(page)
    assert_accessible(page)
