"""Reminder settings, pausing, one-click unsubscribe, Repetera and the outbox, in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_chooses_kinds_pauses_and_resumes(
    page, live_server, demo_data, log_in, assert_accessible
):
    from notifications.models import Pause, Preference

    log_in("chef@demo.invalid")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Påminnelser").click()
    expect(page.get_by_role("heading", name="Påminnelser", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("En påminnelse efter 14 dagar utan att skriva").uncheck()
    page.get_by_role("button", name="Spara inställningarna").click()
    expect(page.get_by_text("Dina påminnelseinställningar är sparade.")).to_be_visible()
    expect(page.get_by_label("En påminnelse efter 14 dagar utan att skriva")).not_to_be_checked()

    # A pause that ends before it begins: a clear message, nothing saved.
    today = timezone.localdate()
    page.get_by_label("Pausa från").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("Pausa till och med").fill((today + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Pausa påminnelserna").click()
    expect(
        page.get_by_text("Pausen måste sluta samma dag som den börjar eller senare.")
    ).to_be_visible()
    assert_accessible(page)
    assert not Pause.objects.exists()

    page.get_by_label("Pausa till och med").fill((today + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Pausa påminnelserna").click()
    expect(page.get_by_text("Påminnelserna är pausade från")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ta bort pausen").click()
    expect(page.get_by_text("Pausen är slut: dina påminnelser fortsätter.")).to_be_visible()
    assert not Pause.objects.exists()
    assert Preference.objects.get(user__email="chef@demo.invalid").disabled_kinds == ["skrivpuff"]


def test_unsubscribe_link_from_an_email_works_without_signing_in(
    page, live_server, demo_data, assert_accessible
):
    from accounts.models import User
    from notifications.models import Preference
    from notifications.unsubscribe import unsubscribe_token

    manager = User.objects.get(email="chef@demo.invalid")
    page.goto(f"{live_server.url}/avregistrera/{unsubscribe_token(manager)}/")
    expect(page.get_by_role("heading", name="Avsluta påminnelser")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Avsluta alla påminnelser").click()
    expect(
        page.get_by_text("Inga fler påminnelser skickas till chef@demo.invalid.")
    ).to_be_visible()
    assert_accessible(page)
    assert Preference.objects.get(user=manager).unsubscribed_at is not None


def test_manager_repeats_a_session_and_the_coach_sees_the_count(
    page, live_server, demo_data, log_in, assert_accessible
):
    from reminders import planner
    from reminders.models import Reminder
    from sessions.models import TrainingSession

    # The demo's session with key points (its history's sessions have none).
    session = TrainingSession.objects.get(
        status=TrainingSession.Status.HELD,
        invitations__user__email="chef@demo.invalid",
        key_points__contains="Pausa och känn in innan du svarar.",
    )
    planner.plan(timezone.now())

    log_in("chef@demo.invalid")
    page.goto(f"{live_server.url}/traffar/{session.pk}/")
    page.get_by_role("link", name="Repetera träffen").click()
    expect(page.get_by_role("heading", name=f"Repetera: {session.title}")).to_be_visible()
    expect(page.get_by_text("Pausa och känn in innan du svarar.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Jag har repeterat").click()
    expect(page.get_by_text("Bra! Din repetition är noterad.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in("ledartranare@demo.invalid")
    page.goto(f"{live_server.url}/traffar/{session.pk}/")
    page.get_by_role("link", name="Repetition efter träffen: skickade och besvarade steg").click()
    expect(page.get_by_role("table", name="Repetitionssteg")).to_be_visible()
    steps = Reminder.objects.filter(session=session, kind=Reminder.Kind.REPETITION)
    assert steps.exists()
    assert_accessible(page)


def test_admin_sees_the_outbox_and_sends_a_failed_message_again(
    page, live_server, demo_data, log_in, assert_accessible
):
    from django.core.mail import send_mail

    from notifications.models import OutboxMessage

    send_mail("Misslyckat", "Text", None, ["failed@demo.invalid"])
    failed = OutboxMessage.objects.get(to=["failed@demo.invalid"])
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=8, last_error="SMTPDataError: 554"
    )

    log_in("admin@demo.invalid")
    page.goto(live_server.url + "/admin/notifications/outboxmessage/")
    expect(page.locator("#result_list")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Misslyckade", exact=True).click()
    expect(page.locator("#result_list").get_by_text("Misslyckat")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Välj detta objekt för en åtgärd").first.check()
    page.get_by_label("Åtgärd:").select_option(
        label="Skicka de markerade misslyckade meddelandena igen"
    )
    page.get_by_role("button", name="Utför").click()
    expect(page.get_by_text("1 meddelande köades igen.")).to_be_visible()
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.PENDING

    page.goto(f"{live_server.url}/admin/notifications/outboxmessage/{failed.pk}/change/")
    expect(page.get_by_text("SMTPDataError: 554")).to_be_visible()
    assert_accessible(page)
