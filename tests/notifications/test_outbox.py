"""The outbox's claim, delivery, retry and failure rules (PostgreSQL, a real SMTP server)."""

from datetime import timedelta
from email.mime.text import MIMEText
from unittest.mock import patch

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from notifications import delivery, services
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
def test_deliver_keeps_every_part_and_its_parameters(deliver_to_sink):
    calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    email = EmailMultiAlternatives("Inbjudan", "Textdel", None, ["bo@kungsor.test"])
    email.attach_alternative("<p>HTML-del</p>", "text/html")
    email.attach_alternative(calendar, "text/calendar")
    invitation = MIMEText(calendar, "calendar", "utf-8")
    invitation.set_param("method", "REQUEST")
    invitation.add_header("Content-Disposition", "attachment", filename="inbjudan.ics")
    email.attach(invitation)
    email.attach("program.pdf", b"%PDF-1.4 binary \x00\xff", "application/pdf")
    email.send()
    message = OutboxMessage.objects.get()

    assert services.outbox_deliver(message_id=message.pk) == OutboxMessage.Status.SENT

    [received] = deliver_to_sink.wait_for("bo@kungsor.test")
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Textdel"
    assert received.get_body(preferencelist=("html",)).get_content().strip() == "<p>HTML-del</p>"
    types = [part.get_content_type() for part in received.walk()]
    assert types.count("text/calendar") == 2
    ics, pdf = list(received.iter_attachments())
    assert ics.get_filename() == "inbjudan.ics"
    assert ics.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in ics.get_content()
    assert pdf.get_filename() == "program.pdf"
    assert pdf.get_content() == b"%PDF-1.4 binary \x00\xff"
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

    assert services.outbox_claim(message_id=message.pk) is not None
    assert services.outbox_claim(message_id=message.pk) is None
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
def test_sweeper_queues_retries_and_lost_messages_once_not_fresh_ones():
    send_mail("Ny", "Text", None, ["fresh@kungsor.test"])
    send_mail("Borttappad", "Text", None, ["lost@kungsor.test"])
    send_mail("Omförsök", "Text", None, ["retry@kungsor.test"])
    _fresh, lost, retry = OutboxMessage.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago, enqueued_at=long_ago)
    OutboxMessage.objects.filter(pk=retry.pk).update(
        attempts=1, enqueued_at=long_ago, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    assert sorted(services.outbox_due_ids()) == sorted([lost.pk, retry.pk])
    with (
        patch("notifications.tasks.send_outbox_message.delay") as one,
        patch("notifications.tasks.send_outbox_messages.delay") as batch,
    ):
        assert services.outbox_requeue_due() == 2
        # Queued just now: the next sweep leaves them alone, even in a backlog.
        assert services.outbox_requeue_due() == 0
    # Both in one batch task (one SMTP connection), nothing alone.
    assert one.call_count == 0
    [(queued,)] = [call.args for call in batch.call_args_list]
    assert sorted(queued) == sorted([lost.pk, retry.pk])


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
def test_a_message_whose_worker_keeps_dying_fails_at_the_limit(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    send_mail("Ämne", "Text", None, ["dies@kungsor.test"])
    message = OutboxMessage.objects.get()
    for _ in range(2):
        services.outbox_claim(message_id=message.pk)
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_at=timezone.now() - services.STALE_CLAIM_AFTER - timedelta(seconds=1)
        )
        services.outbox_release_stale_claims()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 2


@pytest.mark.django_db
def test_an_error_in_the_message_itself_fails_at_once(deliver_to_sink):
    send_mail("Ämne", "Text", None, ["broken@kungsor.test"])
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(attachments=[{"mime_b64": "not base64!"}])

    assert services.outbox_deliver(message_id=message.pk) == OutboxMessage.Status.FAILED
    message.refresh_from_db()
    assert message.attempts == 1
    assert "Error" in message.last_error
    assert services.outbox_due_ids() == []


@pytest.mark.django_db
def test_a_worker_that_lost_its_claim_does_not_overwrite_the_outcome(deliver_to_sink):
    send_mail("Ämne", "Text", None, ["slow@kungsor.test"])
    slow = services.outbox_claim(message_id=OutboxMessage.objects.get().pk)
    # Meanwhile the claim was released as stale and another worker sent it.
    OutboxMessage.objects.filter(pk=slow.pk).update(status=OutboxMessage.Status.SENT)

    assert delivery._finish(slow, status=OutboxMessage.Status.FAILED) is False
    slow.refresh_from_db()
    assert slow.status == OutboxMessage.Status.SENT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_outage_does_not_fail_the_change_that_wrote_the_email():
    with patch(
        "notifications.tasks.send_outbox_message.delay",
        side_effect=BrokerError("connection refused"),
    ):
        send_mail("Ämne", "Text", None, ["outage@kungsor.test"])

    message = OutboxMessage.objects.get(to=["outage@kungsor.test"])
    assert message.status == OutboxMessage.Status.PENDING  # the sweeper picks it up later


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
def test_only_administrators_see_the_outbox_in_the_admin(client):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(staff)

    assert client.get("/admin/notifications/outboxmessage/").status_code == 403


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


def test_smtp_commit_point_the_server_keeps_the_message_only_after_the_commit(smtp_sink):
    """The commit runs when the server has the whole message but not the final dot: if it
    says no, the server drops the message; if yes, it is delivered once."""
    from django.core.mail import EmailMessage

    from notifications.smtp import ClaimLost, EmailBackend

    backend = EmailBackend(host="127.0.0.1", port=smtp_sink.port)
    seen_before_commit = []

    def refuse() -> bool:
        seen_before_commit.append(len(smtp_sink.to("commit-point@kungsor.test")))
        return False

    email = EmailMessage("Commit", ".leading dot\nline two", to=["commit-point@kungsor.test"])
    with pytest.raises(ClaimLost):
        backend.send_with_commit_point(email, commit=refuse)
    backend.send_with_commit_point(
        EmailMessage("Commit", ".leading dot\nline two", to=["commit-point@kungsor.test"]),
        commit=lambda: True,
    )

    [received] = smtp_sink.wait_for("commit-point@kungsor.test")
    assert seen_before_commit == [0]
    assert received.get_content().splitlines()[:2] == [".leading dot", "line two"]
