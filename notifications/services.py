"""The outbox's write path: add messages, queue them again when lost, preferences.

Claiming and delivering live in notifications.delivery; its entry points are named here
too, so callers have one module to write through.
"""

import base64
import html as html_entities
from datetime import datetime, timedelta
from email.mime.base import MIMEBase
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from notifications.delivery import (  # noqa: F401 (the outbox's delivery entry points)
    outbox_claim,
    outbox_deliver,
    outbox_deliver_claimed,
    outbox_deliver_many,
    queue_delivery,
)
from notifications.models import OutboxMessage, Preference

# A claim older than this can no longer be in progress: the task's hard time limit has
# killed the worker process that held it.
STALE_CLAIM_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)

# A new message's own task normally runs within seconds; only after this long does the
# sweeper treat it as lost and queue it again.
LOST_TASK_AFTER = timedelta(seconds=settings.NOTIFICATIONS_LOST_TASK_SECONDS)


def _serialise_attachment(attachment) -> dict:
    if not isinstance(attachment, MIMEBase):
        filename, content, mimetype = attachment
        # Let Django build the MIME part (encoding, filename), then keep that part.
        wrapper = EmailMessage(body="-", attachments=[(filename, content, mimetype)]).message()
        attachment = wrapper.get_payload()[-1]
    return {"mime_b64": base64.b64encode(attachment.as_bytes()).decode("ascii")}


def _stored_fields(message: EmailMessage) -> dict:
    """The outbox row's fields for `message`: every part kept, an HTML part always."""
    html, alternatives = "", []
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html" and not html:
                html = content
            else:
                alternatives.append({"content": content, "mimetype": mimetype})
    if message.content_subtype == "html":
        # The text twin of an HTML-only message reads "&", not "&amp;".
        html, text = message.body, html_entities.unescape(strip_tags(message.body))
    else:
        text = message.body
    if not html:
        # Every email has both parts; a text-only message gets a plain HTML twin.
        html = render_to_string("notifications/email/plain.html", {"text": text})
    return {
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "subject": message.subject,
        "body_text": text,
        "body_html": html,
        "alternatives": alternatives,
        "attachments": [_serialise_attachment(a) for a in message.attachments],
    }


@transaction.atomic
def outbox_add_email(
    *,
    message: EmailMessage,
    idempotency_key: str | None = None,
    recipient_user=None,
    send_at: datetime | None = None,
) -> OutboxMessage | None:
    """Store one email; it is queued for delivery after the surrounding transaction commits.

    With `send_at` it waits until then (and can be withdrawn until it is tried): no worker
    may claim it before, and the sweeper queues it once the time has come.
    With an idempotency key, adding the same message again returns None and stores nothing.
    """
    fields = _stored_fields(message) | {"recipient_user": recipient_user}
    if send_at is not None:
        fields["next_attempt_at"] = send_at
    if idempotency_key:
        outbox_message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=fields
        )
        if not created:
            return None
    else:
        outbox_message = OutboxMessage.objects.create(**fields)
    if send_at is None:
        transaction.on_commit(lambda: queue_delivery([outbox_message.pk]))
    return outbox_message


class AlreadySending(Exception):
    """A message to withdraw has been claimed or tried: it may have left already."""


@transaction.atomic
def outbox_withdraw(*, idempotency_key_prefix: str) -> int:
    """Delete the waiting messages whose idempotency key starts with the prefix: all of
    them, or none if any has been claimed or tried (AlreadySending). Returns how many.

    The rows are locked first: a worker's claim (a conditional UPDATE, or a SELECT that
    skips locked rows) waits for this transaction and then finds nothing to send.
    """
    if not idempotency_key_prefix:
        raise ValueError("A prefix is needed.")
    rows = list(
        OutboxMessage.objects.select_for_update()
        .filter(idempotency_key__startswith=idempotency_key_prefix)
        .values_list("pk", "status", "attempts")
    )
    if any(status != OutboxMessage.Status.PENDING or attempts for _, status, attempts in rows):
        raise AlreadySending(idempotency_key_prefix)
    OutboxMessage.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    return len(rows)


class NewEmail(NamedTuple):
    message: EmailMessage
    idempotency_key: str | None = None
    recipient_user: object = None


@transaction.atomic
def outbox_add_emails(*, emails: list[NewEmail], claimed: bool = False) -> list[OutboxMessage]:
    """Store many emails in one statement; after commit they are queued in batches, each
    delivered over one SMTP connection.

    With `claimed`, they are stored already claimed by the caller and nothing is queued: the
    caller sends them itself after the commit (outbox_deliver_claimed), which spares each
    email the claim's write. If the caller dies first, its claims are released as stale,
    as for any worker that dies while sending, and the sweeper queues them.

    Unlike outbox_add_email, an idempotency key that is already taken is an error
    (IntegrityError, and nothing of the surrounding transaction is kept): the caller must
    hold what makes its keys new, as the reminder planner holds each recipient's row lock
    and has checked today's key.
    """
    claim = (
        {"status": OutboxMessage.Status.SENDING, "claimed_at": timezone.now(), "attempts": 1}
        if claimed
        else {}
    )
    rows = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            **_stored_fields(email.message),
            **claim,
            idempotency_key=email.idempotency_key,
            recipient_user=email.recipient_user,
        )
        for email in emails
    )
    message_ids = [row.pk for row in rows]
    if message_ids and not claimed:
        transaction.on_commit(lambda: queue_delivery(message_ids))
    return rows


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Pending messages to queue now: retries whose time has come (not yet queued for this
    attempt), and messages whose task seems lost (queued long ago, still pending)."""
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=Now()
        )
        .filter(
            Q(enqueued_at__lt=F("next_attempt_at")) | Q(enqueued_at__lt=Now() - LOST_TASK_AFTER)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_requeue_due(*, limit: int = 5000) -> int:
    """Queue delivery of each due message (in batches), and note when, so it is not queued
    again soon."""
    due = outbox_due_ids(limit=limit)
    OutboxMessage.objects.filter(pk__in=due).update(enqueued_at=Now())
    queue_delivery(due)
    return len(due)


def outbox_release_stale_claims() -> int:
    """Messages whose worker died mid-send go back to pending, or to failed at the limit.

    Only claims older than twice the task's hard time limit are touched: by then the
    worker that held one has been killed, so two deliveries never run at the same time.
    """
    stale = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=Now() - STALE_CLAIM_AFTER
    )
    failed = stale.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(
        status=OutboxMessage.Status.FAILED,
        claimed_at=None,
        last_error="The worker stopped while sending; attempt limit reached.",
    )
    released = stale.update(
        status=OutboxMessage.Status.PENDING, claimed_at=None, next_attempt_at=Now()
    )
    return failed + released


def outbox_retry(*, message_id: int) -> bool:
    """Put a failed message back in the queue (from the admin)."""
    updated = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.FAILED
    ).update(
        status=OutboxMessage.Status.PENDING,
        next_attempt_at=Now(),
        enqueued_at=Now(),
        attempts=0,
    )
    if updated:
        transaction.on_commit(lambda: queue_delivery([message_id]))
    return bool(updated)


def preference_unsubscribe(*, user) -> bool:
    """Stop every reminder to `user`. Returns False if they were already stopped."""
    preference, _ = Preference.objects.get_or_create(user=user)
    return bool(
        Preference.objects.filter(pk=preference.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    )


def preference_resubscribe(*, user) -> None:
    Preference.objects.filter(user=user).update(unsubscribed_at=None)
