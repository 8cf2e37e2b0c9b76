"""Reminder chunks through a real Celery worker on Redis and a real SMTP server: chunks sent
twice and at the same time as each other still give each person one email, delivered by
the chunk tasks themselves."""

import time

import pytest

from notifications.models import OutboxMessage
from reminders.models import Reminder
from reminders.tasks import send_reminder_chunk
from tests.reminders.test_dispatch_chunks import MOMENT, attended_session

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MANAGERS = 30


def test_overlapping_chunks_on_two_worker_processes_send_each_person_one_email(
    celery_worker_process, smtp_sink
):
    managers = attended_session(MANAGERS)
    moment = MOMENT
    ids = sorted(m.pk for m in managers)

    singles = celery_worker_process.count("send_outbox_message[", "succeeded")
    batches = celery_worker_process.count("send_outbox_messages[", "succeeded")
    chunks = celery_worker_process.count("send_reminder_chunk[", "succeeded")

    # Two halves, and the whole again twice, as when beat's next run queues the same people
    # while the first run's chunks are still in flight: the worker runs two at a time.
    for chunk in (ids[:15], ids[15:], ids, ids):
        send_reminder_chunk.delay(chunk, moment.isoformat())

    for manager in managers:
        smtp_sink.wait_for(manager.email, timeout=60)
    celery_worker_process.wait_for_log("send_reminder_chunk[", "succeeded", count=chunks + 4)
    time.sleep(1)  # a late duplicate would arrive now

    for manager in managers:
        [email] = [m for m in smtp_sink.to(manager.email) if m["Subject"].startswith("Dags att")]
        assert email["Message-ID"].startswith(f"<reminders.{manager.pk}.2027-03-11@")
    emails = OutboxMessage.objects.filter(idempotency_key__startswith="reminders:")
    assert emails.count() == MANAGERS
    assert set(emails.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    step_1 = Reminder.objects.filter(kind=Reminder.Kind.REPETITION, step=1)
    assert set(step_1.values_list("status", flat=True)) == {Reminder.Status.SENT}
    # Delivered by the chunk tasks themselves: no delivery task, let alone one per email.
    assert celery_worker_process.count("send_outbox_messages[", "succeeded") == batches
    assert celery_worker_process.count("send_outbox_message[", "succeeded") == singles
