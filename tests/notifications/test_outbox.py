"""The outbox's claim, delivery, retry and failure rules (PostgreSQL, a real SMTP server)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.test import override_settings
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from tests.support.smtp import TEMPORARY_FAILURE_PREFIX, free_port

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def deliver_to_sink(settings, smtp_sink):
    settings.NOTIFICATIONS_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    return smtp_sink


@pytest.fixture
def deliver_nowhere(settings):
    """An SMTP port on which nothing listens: every attempt fails to connect."""
    settings.NOTIFICATIONS_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()


@pytest.mark.django_db
def test_send_mail_writes_one_outbox_row_and_sends_nothing_yet(deliver_to_sink):
    count = send_mail("Ämne", "Text med åäö", None, ["anna@kungsor.test"])

    assert count == 1
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.to == ["anna@kungsor.test"]
    assert message.body_text == "Text med åäö"
    assert "<p>Text med åäö</p>" in message.body_html
    assert deliver_to_sink.to("anna@kungsor.test") == []


@pytest.mark.django_db
def test_deliver_sends_html_text_and_attachments(deliver_to_sink):
    email = EmailMultiAlternatives("Inbjudan", "Textdel", None, ["bo@kungsor.test"])
    email.attach_alternative("<p>HTML-del</p>", "text/html")
    email.attach("inbjudan.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    email.send()
    message = OutboxMessage.objects.get()

    assert services.outbox_deliver(message_id=message.pk) == OutboxMessage.Status.SENT

    [received] = deliver_to_sink.wait_for("bo@kungsor.test")
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Textdel"
    assert received.get_body(preferencelist=("html",)).get_content().strip() == "<p>HTML-del</p>"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "inbjudan.ics"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    message.refresh_from_db()
    assert message.sent_at is not None


@pytest.mark.django_db
def test_second_delivery_of_a_sent_message_does_nothing(deliver_to_sink):
    send_mail("En gång", "Text", None, ["cecilia@kungsor.test"])
    message = OutboxMessage.objects.get()

    assert services.outbox_deliver(message_id=message.pk) == OutboxMessage.Status.SENT
    assert services.outbox_deliver(message_id=message.pk) is None

    deliver_to_sink.wait_for("cecilia@kungsor.test")
    assert len(deliver_to_sink.to("cecilia@kungsor.test")) == 1


@pytest.mark.django_db
def test_only_one_claim_wins():
    send_mail("Ämne", "Text", None, ["d@kungsor.test"])
    message = OutboxMessage.objects.get()

    assert services.outbox_claim(message_id=message.pk) is True
    assert services.outbox_claim(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    assert message.attempts == 1


@pytest.mark.django_db
def test_refused_connection_is_retried_later_with_growing_delay(deliver_nowhere):
    send_mail("Ämne", "Text", None, ["e@kungsor.test"])
    message = OutboxMessage.objects.get()

    assert services.outbox_deliver(message_id=message.pk) == OutboxMessage.Status.PENDING
    message.refresh_from_db()
    first_delay = message.next_attempt_at - timezone.now()
    assert "ConnectionRefusedError" in message.last_error
    # Not due yet: a second run right away does nothing.
    assert services.outbox_deliver(message_id=message.pk) is None

    message.next_attempt_at = timezone.now()
    message.save()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - timezone.now() > first_delay


@pytest.mark.django_db
def test_temporary_smtp_error_is_retried_and_fails_after_the_limit(deliver_to_sink, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    send_mail("Ämne", "Text", None, [f"{TEMPORARY_FAILURE_PREFIX}@kungsor.test"])
    message = OutboxMessage.objects.get()

    statuses = []
    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        statuses.append(services.outbox_deliver(message_id=message.pk))

    assert statuses == [
        OutboxMessage.Status.PENDING,
        OutboxMessage.Status.PENDING,
        OutboxMessage.Status.FAILED,
    ]
    message.refresh_from_db()
    assert "451" in message.last_error
    assert services.outbox_due_ids() == []


@pytest.mark.django_db
def test_sweeper_finds_retries_and_lost_messages_but_not_fresh_ones():
    send_mail("Ny", "Text", None, ["fresh@kungsor.test"])
    send_mail("Borttappad", "Text", None, ["lost@kungsor.test"])
    send_mail("Omförsök", "Text", None, ["retry@kungsor.test"])
    _fresh, lost, retry = OutboxMessage.objects.order_by("pk")
    OutboxMessage.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    OutboxMessage.objects.filter(pk=retry.pk).update(attempts=1, next_attempt_at=timezone.now())

    assert sorted(services.outbox_due_ids()) == sorted([lost.pk, retry.pk])


@pytest.mark.django_db
def test_claims_of_dead_workers_are_released_after_the_time_limit():
    send_mail("Ämne", "Text", None, ["f@kungsor.test"])
    message = OutboxMessage.objects.get()
    services.outbox_claim(message_id=message.pk)

    assert services.outbox_release_stale_claims() == 0
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - services.STALE_CLAIM_AFTER - timedelta(seconds=1)
    )
    assert services.outbox_release_stale_claims() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING


@pytest.mark.django_db
def test_idempotency_key_stores_a_message_once():
    first = services.outbox_add_email(
        message=mail.EmailMessage("Påminnelse", "Text", None, ["g@kungsor.test"]),
        idempotency_key="reminder:1:step:1",
    )
    second = services.outbox_add_email(
        message=mail.EmailMessage("Påminnelse", "Text", None, ["g@kungsor.test"]),
        idempotency_key="reminder:1:step:1",
    )

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_admin_can_queue_a_failed_message_again(admin_client):
    send_mail("Ämne", "Text", None, ["h@kungsor.test"])
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED)

    response = admin_client.post(
        "/admin/notifications/outboxmessage/",
        {"action": "retry_failed", "_selected_action": [message.pk]},
        follow=True,
    )

    assert "1 meddelande köades igen." in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 0


@override_settings(NOTIFICATIONS_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend")
@pytest.mark.django_db
def test_every_portal_email_goes_through_the_outbox():
    send_mail("Ämne", "Text", None, ["i@kungsor.test"])

    assert mail.outbox == []  # nothing delivered directly
    assert OutboxMessage.objects.filter(to=["i@kungsor.test"]).exists()
