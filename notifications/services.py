"""The outbox's write path: add messages, claim them, deliver them once."""

import base64
import logging
import smtplib
from datetime import timedelta
from email import message_from_bytes
from email.mime.base import MIMEBase

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from kombu.exceptions import OperationalError as BrokerError

from notifications.models import OutboxMessage, Preference
from notifications.smtp import ClaimLost

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server or the network, not our message.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError, SoftTimeLimitExceeded)

# A claim older than this can no longer be in progress: the task's hard time limit has
# killed the worker process that held it.
STALE_CLAIM_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)

# A new message's own task normally runs within seconds; only after this long does the
# sweeper treat it as lost and queue it again.
LOST_TASK_AFTER = timedelta(seconds=settings.NOTIFICATIONS_LOST_TASK_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _serialise_attachment(attachment) -> dict:
    if not isinstance(attachment, MIMEBase):
        filename, content, mimetype = attachment
        # Let Django build the MIME part (encoding, filename), then keep that part.
        wrapper = EmailMessage(body="-", attachments=[(filename, content, mimetype)]).message()
        attachment = wrapper.get_payload()[-1]
    return {"mime_b64": base64.b64encode(attachment.as_bytes()).decode("ascii")}


def _deserialise_attachment(data: dict) -> MIMEBase:
    parsed = message_from_bytes(base64.b64decode(data["mime_b64"]))
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    for header in ("Content-Type", "MIME-Version"):
        del part[header]
    for header, value in parsed.items():
        part[header] = value
    part.set_payload(parsed.get_payload())
    return part


def _enqueue(message_id: int) -> None:
    from notifications.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except BrokerError:
        # The row is committed; the sweeper queues it when the broker is back.
        logger.exception("Could not queue outbox message %s; the sweeper will", message_id)


@transaction.atomic
def outbox_add_email(
    *, message: EmailMessage, idempotency_key: str | None = None, recipient_user=None
) -> OutboxMessage | None:
    """Store one email; it is queued for delivery after the surrounding transaction commits.

    With an idempotency key, adding the same message again returns None and stores nothing.
    """
    html, alternatives = "", []
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html" and not html:
                html = content
            else:
                alternatives.append({"content": content, "mimetype": mimetype})
    if message.content_subtype == "html":
        html, text = message.body, strip_tags(message.body)
    else:
        text = message.body
    if not html:
        # Every email has both parts; a text-only message gets a plain HTML twin.
        html = render_to_string("notifications/email/plain.html", {"text": text})
    fields = {
        "recipient_user": recipient_user,
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
    if idempotency_key:
        outbox_message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=fields
        )
        if not created:
            return None
    else:
        outbox_message = OutboxMessage.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue(outbox_message.pk))
    return outbox_message


def outbox_claim(*, message_id: int) -> OutboxMessage | None:
    """Claim a due, pending message. Only one caller, on any machine, gets it.

    Times come from the database's clock, so workers on several machines agree.
    """
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=Now()
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=Now(), attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _build_email(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
        reply_to=message.reply_to,
        headers=message.headers,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for alternative in message.alternatives:
        email.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in message.attachments:
        email.attach(_deserialise_attachment(attachment))
    return email


def _finish(message: OutboxMessage, **fields) -> bool:
    """Record the outcome, but only while this worker's claim still holds."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=message.claimed_at
        ).update(**fields)
    )


def outbox_deliver(*, message_id: int) -> OutboxMessage.Status | None:
    """Claim and send one message. Returns its new status, or None if someone else had it.

    The row is marked sent at the SMTP commit point (see notifications.smtp), so a worker
    killed at any moment neither loses the message nor sends it twice. A transient error
    puts it back as pending with a later `next_attempt_at` (backoff); after
    NOTIFICATIONS_MAX_ATTEMPTS, or on any other error, it is marked failed.
    """
    message = outbox_claim(message_id=message_id)
    if message is None:
        return None
    committed = False

    def commit() -> bool:
        nonlocal committed
        committed = _finish(message, status=OutboxMessage.Status.SENT, sent_at=Now(), last_error="")
        return committed

    try:
        connection = get_connection(settings.NOTIFICATIONS_DELIVERY_BACKEND)
        email = _build_email(message, connection)
        if hasattr(connection, "send_with_commit_point"):
            connection.send_with_commit_point(email, commit=commit)
        else:
            email.send()
            commit()
    except ClaimLost:
        return None
    except Exception as error:
        transient = isinstance(error, TRANSIENT_ERRORS)
        last_error = f"{type(error).__name__}: {error}"[:2000]
        if transient and message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            status = OutboxMessage.Status.PENDING
            logger.warning("Outbox message %s will be retried: %s", message.pk, last_error)
        else:
            status = OutboxMessage.Status.FAILED
            logger.error("Outbox message %s failed for good: %s", message.pk, last_error)
        # After the commit point the server refused the message or the line broke: the row
        # said "sent" a moment too early, and goes back the same way.
        OutboxMessage.objects.filter(
            pk=message.pk,
            status=OutboxMessage.Status.SENT if committed else OutboxMessage.Status.SENDING,
            claimed_at=message.claimed_at,
        ).update(
            status=status,
            sent_at=None,
            last_error=last_error,
            claimed_at=None,
            next_attempt_at=Now() + retry_delay(message.attempts),
        )
        return status
    return OutboxMessage.Status.SENT


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


def outbox_requeue_due(*, limit: int = 500) -> int:
    """Queue a send task for each due message, and note when, so it is not queued again soon."""
    due = outbox_due_ids(limit=limit)
    OutboxMessage.objects.filter(pk__in=due).update(enqueued_at=Now())
    for message_id in due:
        _enqueue(message_id)
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
        transaction.on_commit(lambda: _enqueue(message_id))
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
