"""Reads of the outbox."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from notifications.models import OutboxMessage

# An email not sent this long after it was due needs someone to look.
WAITING_TOO_LONG = timedelta(hours=1)


def outbox_waiting_too_long_q(now: datetime | None = None) -> Q:
    """Messages not yet sent that have been due for more than WAITING_TOO_LONG.

    A message never tried is due at `next_attempt_at` (when it was written, or its `send_at`:
    a cancellation waits out the coach's undo window), so one held back to a time still to
    come, or less than an hour ago, is not waiting. A message already tried and put back
    (backoff after an error) was due no later than when it was written: its
    `next_attempt_at` has moved on, so it counts from `created_at`.
    """
    cutoff = (now or timezone.now()) - WAITING_TOO_LONG
    return Q(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING],
        created_at__lt=cutoff,
    ) & (Q(attempts__gt=0) | Q(next_attempt_at__lt=cutoff))


@dataclass(frozen=True)
class OutboxHealth:
    failed: int
    waiting_too_long: int
    waiting: int  # every message not yet sent, due or not


def outbox_health(now: datetime | None = None) -> OutboxHealth:
    """How many emails failed for good, and how many wait too long: one query."""
    unsent = [OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]
    counts = OutboxMessage.objects.aggregate(
        failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
        waiting_too_long=Count("pk", filter=outbox_waiting_too_long_q(now)),
        waiting=Count("pk", filter=Q(status__in=unsent)),
    )
    return OutboxHealth(**counts)
