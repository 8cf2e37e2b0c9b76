"""Batches: many emails stored in one statement and delivered over one SMTP connection, each
still claimed and marked sent at its own commit point (PostgreSQL, a real SMTP server)."""

import smtplib
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import delivery, services
from notifications.models import OutboxMessage
from notifications.services import NewEmail
from tests.support.smtp import TEMPORARY_FAILURE_PREFIX, free_port

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
COMMIT_POINT_BACKEND = "notifications.smtp.EmailBackend"


@pytest.fixture
def sink(settings, smtp_sink):
    """The portal's own SMTP backend (with the commit point) delivering to the test server."""
    settings.NOTIFICATIONS_DELIVERY_BACKEND = COMMIT_POINT_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    return smtp_sink


@pytest.fixture
def connections(monkeypatch) -> list:
    """Every SMTP connection opened, as it is opened."""
    opened = []
    connect = smtplib.SMTP.connect

    def counting(self, *args, **kwargs):
        opened.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting)
    return opened


def stored(address: str) -> int:
    send_mail("Påminnelse", f"Till {address}", None, [address])
    return OutboxMessage.objects.get(to=[address]).pk


def test_a_batch_uses_one_connection_and_marks_each_message_at_its_own_commit_point(
    sink, connections, monkeypatch
):
    addresses = [f"batch-{n}@kungsor.test" for n in range(5)]
    ids = [stored(address) for address in addresses]
    at_commit = []
    mark_sent = delivery._mark_sent

    def watching(message):
        # What the server and the database held when this message's commit ran.
        already_sent = OutboxMessage.objects.filter(pk__in=ids, status=Status.SENT).count()
        at_commit.append((message.to[0], len(sink.to(message.to[0])), already_sent))
        return mark_sent(message)

    monkeypatch.setattr(delivery, "_mark_sent", watching)

    assert services.outbox_deliver_many(message_ids=ids) == 5

    assert len(connections) == 1
    # Each was marked sent before the server had it, and after the one before it was
    # both marked and received: one at a time, never all at the end.
    assert at_commit == [(address, 0, n) for n, address in enumerate(addresses)]
    for address in addresses:
        assert len(sink.wait_for(address)) == 1
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_failed_message_in_a_batch_does_not_stop_the_others(sink):
    first = stored("first-in-batch@kungsor.test")
    refused = stored(f"{TEMPORARY_FAILURE_PREFIX}-batch@kungsor.test")
    broken = stored("broken-in-batch@kungsor.test")
    OutboxMessage.objects.filter(pk=broken).update(attachments=[{"mime_b64": "not base64!"}])
    last = stored("last-in-batch@kungsor.test")

    assert services.outbox_deliver_many(message_ids=[first, refused, broken, last]) == 2

    assert len(sink.wait_for("first-in-batch@kungsor.test")) == 1
    assert len(sink.wait_for("last-in-batch@kungsor.test")) == 1
    rows = {m.pk: m for m in OutboxMessage.objects.all()}
    assert rows[first].status == rows[last].status == Status.SENT
    # The server said "try later" after the commit: back to pending, with backoff.
    assert rows[refused].status == Status.PENDING
    assert "451" in rows[refused].last_error
    assert rows[refused].next_attempt_at > timezone.now()
    assert rows[refused].sent_at is None
    assert rows[broken].status == Status.FAILED
    assert rows[broken].attempts == 1


def test_a_batch_leaves_a_message_someone_else_holds_and_sends_nothing_twice(sink):
    ids = [stored(f"held-{n}@kungsor.test") for n in range(3)]
    held = services.outbox_claim(message_id=ids[1])

    assert services.outbox_deliver_many(message_ids=ids) == 2
    assert services.outbox_deliver_many(message_ids=ids) == 0  # the same batch again

    assert sink.to("held-1@kungsor.test") == []
    held_row = OutboxMessage.objects.get(pk=held.pk)
    assert (held_row.status, held_row.claimed_at) == (Status.SENDING, held.claimed_at)
    for n in (0, 2):
        assert len(sink.wait_for(f"held-{n}@kungsor.test")) == 1


def test_when_the_server_cannot_be_reached_the_rest_of_the_batch_waits(settings, connections):
    settings.NOTIFICATIONS_DELIVERY_BACKEND = COMMIT_POINT_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens
    ids = [stored(f"nowhere-{n}@kungsor.test") for n in range(4)]

    assert services.outbox_deliver_many(message_ids=ids) == 0

    assert len(connections) == 1  # not one refused connection per message
    first, *rest = OutboxMessage.objects.filter(pk__in=ids).order_by("pk")
    assert (first.status, first.attempts) == (Status.PENDING, 1)
    assert "ConnectionRefusedError" in first.last_error
    for message in rest:
        # Not tried: no attempt counted, no error, but not due before the first's retry.
        assert (message.status, message.attempts, message.last_error) == (Status.PENDING, 0, "")
        assert message.next_attempt_at >= first.next_attempt_at - timedelta(seconds=5)
        assert message.claimed_at is None
    assert services.outbox_due_ids() == []


def test_a_batch_past_its_time_budget_queues_what_is_left_as_a_new_task(sink):
    ids = [stored(f"budget-{n}@kungsor.test") for n in range(3)]

    with patch("notifications.tasks.send_outbox_messages.delay") as queued:
        assert services.outbox_deliver_many(message_ids=ids, time_budget=0) == 0

    queued.assert_called_once_with(ids)
    assert set(OutboxMessage.objects.values_list("status", "attempts", "claimed_at")) == {
        (Status.PENDING, 0, None)
    }


def test_many_emails_are_stored_at_once_and_queued_in_batches_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "DELIVERY_BATCH_SIZE", 2)
    emails = [
        NewEmail(EmailMessage(f"Ämne {n}", "Text", None, [f"many-{n}@kungsor.test"]), f"k:{n}")
        for n in range(5)
    ]

    with (
        patch("notifications.tasks.send_outbox_messages.delay") as batch,
        patch("notifications.tasks.send_outbox_message.delay") as one,
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = services.outbox_add_emails(emails=emails)
        assert batch.call_count == one.call_count == 0  # nothing before the commit

    ids = [row.pk for row in rows]
    assert [call.args for call in batch.call_args_list] == [(ids[0:2],), (ids[2:4],)]
    one.assert_called_once_with(ids[4])
    stored_rows = OutboxMessage.objects.filter(pk__in=ids).order_by("pk")
    assert [(m.idempotency_key, m.to, m.status) for m in stored_rows] == [
        (f"k:{n}", [f"many-{n}@kungsor.test"], Status.PENDING) for n in range(5)
    ]
    assert all("<p>Text</p>" in m.body_html for m in stored_rows)


def test_storing_many_with_a_key_already_taken_stores_none_of_them():
    services.outbox_add_email(
        message=EmailMessage("Först", "Text", None, ["taken@kungsor.test"]),
        idempotency_key="reminders:1:2027-03-11",
    )
    emails = [
        NewEmail(EmailMessage("Ny", "Text", None, ["new@kungsor.test"]), "reminders:2:2027-03-11"),
        NewEmail(EmailMessage("Igen", "", None, ["taken@kungsor.test"]), "reminders:1:2027-03-11"),
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        services.outbox_add_emails(emails=emails)

    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Först"]


def test_the_commit_point_marks_a_message_sent_only_under_this_workers_claim():
    message = services.outbox_claim(message_id=stored("claim-guard@kungsor.test"))
    # The claim was released as stale and taken by another worker meanwhile.
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=message.claimed_at + timedelta(minutes=5)
    )
    assert delivery._mark_sent(message) is False
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENDING

    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=message.claimed_at)
    assert delivery._mark_sent(message) is True
    row = OutboxMessage.objects.get(pk=message.pk)
    assert (row.status, row.last_error) == (Status.SENT, "")
    assert row.sent_at is not None
    assert delivery._mark_sent(message) is False  # once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_commit_point_commits_in_step_with_the_final_dot(
    sink, monkeypatch
):
    """As in a worker: the claim is checked in a transaction of its own whose COMMIT goes
    out with the dot; a lost claim rolls back and the connection is ready for more."""
    from django.db import connection

    # Committed here, so their own tasks would be queued: kept from the broker, where the
    # other tests' worker would send them first.
    with patch("notifications.tasks.send_outbox_message.delay") as queued:
        ids = [stored(f"worker-{n}@kungsor.test") for n in range(3)]
    assert queued.call_count == 3
    claim_many = delivery.outbox_claim_many

    def claim_then_lose_one(*, message_ids):
        claimed = claim_many(message_ids=message_ids)
        # Between its claim and its send, the middle one's claim passes to another worker.
        OutboxMessage.objects.filter(pk=ids[1]).update(claimed_at=timezone.now())
        return claimed

    monkeypatch.setattr(delivery, "outbox_claim_many", claim_then_lose_one)

    def one_statement(message):
        pytest.fail("marked sent by one statement, not in step with the dot")

    monkeypatch.setattr(delivery, "_mark_sent", one_statement)

    assert services.outbox_deliver_many(message_ids=ids) == 2

    assert connection.connection.info.transaction_status == 0  # idle: nothing left open
    assert len(sink.wait_for("worker-0@kungsor.test")) == 1
    assert len(sink.wait_for("worker-2@kungsor.test")) == 1
    assert sink.to("worker-1@kungsor.test") == []
    rows = {m.pk: m for m in OutboxMessage.objects.filter(pk__in=ids)}
    assert rows[ids[0]].status == rows[ids[2]].status == Status.SENT
    assert rows[ids[0]].sent_at is not None
    assert rows[ids[1]].status == Status.SENDING  # the other worker's, untouched
