"""The administrator signs in (two steps), reads the portal's health on the start page,
follows its first action to the failed emails in the administration site, and the page
works on a phone and on a 1280 px screen without scrolling sideways (Chromium)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_administrator_reads_the_health_and_opens_the_failed_emails(
    page, live_server, demo_data, log_in, assert_accessible, request_log
):
    from notifications.models import OutboxMessage

    OutboxMessage.objects.create(
        status=OutboxMessage.Status.FAILED,
        from_email="portal@kungsor.test",
        to=["borta@kungsor.test"],
        subject="Påminnelse som studsade",
        body_text="Text",
        last_error="SMTPRecipientsRefused: 550 No such user",
        created_at=timezone.now() - timedelta(hours=3),
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in("admin@demo.invalid")

    expect(page).to_have_url(live_server.url + "/start/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    expect(page.get_by_role("heading", name="Portalens hälsa")).to_be_visible()
    failed = page.locator("#health-failed")
    expect(failed).to_contain_text("Behöver åtgärdas")
    expect(failed).to_contain_text("1 e-postmeddelande kunde inte skickas.")
    expect(page.locator("#health-database")).to_contain_text("OK")
    expect(page.get_by_role("heading", name="Aktiva användare per roll")).to_be_visible()
    _no_sideways_scroll(page, 1280)
    assert_accessible(page)
    assert request_log.foreign() == []

    page.set_viewport_size({"width": 390, "height": 844})
    _no_sideways_scroll(page, 390)
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Öppna e-posten som inte kunde skickas").click()

    expect(page).to_have_url(
        re.compile(r"/admin/notifications/outboxmessage/\?status__exact=failed$")
    )
    expect(page.get_by_text("Påminnelse som studsade")).to_be_visible()


def test_the_administrators_menu_fits_a_1280_px_screen(page, live_server, demo_data, log_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("admin@demo.invalid")

    for path in ("/start/admin/", "/program/"):
        page.goto(live_server.url + path)
        menu = page.get_by_role("navigation", name="Huvudmeny")
        expect(menu.get_by_role("button", name="Logga ut")).to_be_visible()
        _no_sideways_scroll(page, 1280)
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.portal-header .nav-link')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= 1280
