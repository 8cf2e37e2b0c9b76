"""The outbox's write path: add messages, claim them, deliver them once."""

import base64
import logging
import smtplib
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server or the network, not our message.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)

# A claim older than the task's hard time limit can no longer be in progress.
STALE_CLAIM_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _serialise_attachments(message: EmailMessage) -> list[dict]:
    result = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            filename = attachment.get_filename() or "bilaga"
            content = attachment.get_payload(decode=True) or b""
            mimetype = attachment.get_content_type()
        else:
            filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        result.append(
            {
                "filename": filename,
                "content_b64": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype or "application/octet-stream",
            }
        )
    return result


@transaction.atomic
def outbox_add_email(
    *, message: EmailMessage, idempotency_key: str | None = None, recipient_user=None
) -> OutboxMessage | None:
    """Store one email; it is delivered after the surrounding transaction commits.

    With an idempotency key, adding the same message again returns None and stores nothing.
    """
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = content
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
        "attachments": _serialise_attachments(message),
    }
    if idempotency_key:
        outbox_message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=fields
        )
        if not created:
            return None
    else:
        outbox_message = OutboxMessage.objects.create(**fields)

    from notifications.tasks import send_outbox_message

    send_outbox_message.delay_on_commit(outbox_message.pk)
    return outbox_message


def outbox_claim(*, message_id: int) -> bool:
    """Claim a due, pending message for this worker. Only one caller ever gets True."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id,
        status=OutboxMessage.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


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
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment["mimetype"],
        )
    return email


def outbox_deliver(*, message_id: int) -> OutboxMessage.Status | None:
    """Claim and send one message. Returns its new status, or None if someone else had it.

    A transient error puts the message back as pending with a later `next_attempt_at`
    (backoff), or marks it failed once NOTIFICATIONS_MAX_ATTEMPTS is reached.
    """
    if not outbox_claim(message_id=message_id):
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    connection = get_connection(settings.NOTIFICATIONS_DELIVERY_BACKEND)
    try:
        _build_email(message, connection).send()
    except TRANSIENT_ERRORS as error:
        now = timezone.now()
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            message.status = OutboxMessage.Status.FAILED
            logger.error("Outbox message %s failed for good: %s", message.pk, message.last_error)
        else:
            message.status = OutboxMessage.Status.PENDING
            message.next_attempt_at = now + retry_delay(message.attempts)
            logger.warning("Outbox message %s will be retried: %s", message.pk, message.last_error)
        message.claimed_at = None
        message.save(update_fields=["status", "last_error", "next_attempt_at", "claimed_at"])
        return message.status
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error"])
    return message.status


# A new message's own task normally runs within seconds; only after this long is it
# treated as lost and queued again by the sweeper.
LOST_TASK_AFTER = timedelta(minutes=2)


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Pending messages whose time has come: retries after backoff, and lost new ones."""
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(
            Q(attempts=0, next_attempt_at__lte=now - LOST_TASK_AFTER)
            | Q(attempts__gt=0, next_attempt_at__lte=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_release_stale_claims() -> int:
    """Return messages whose worker died mid-send to pending, so they are tried again.

    Only claims older than twice the task's hard time limit are released: by then the
    worker that held it has been killed, so two deliveries never run at the same time.
    """
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING,
        claimed_at__lt=timezone.now() - STALE_CLAIM_AFTER,
    ).update(status=OutboxMessage.Status.PENDING, claimed_at=None, next_attempt_at=timezone.now())


def outbox_retry(*, message_id: int) -> bool:
    """Put a failed message back in the queue (from the admin)."""
    updated = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.FAILED
    ).update(status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    if updated:
        from notifications.tasks import send_outbox_message

        send_outbox_message.delay_on_commit(message_id)
    return bool(updated)
