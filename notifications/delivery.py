"""Delivering the outbox: claims, the SMTP commit point, and batches over one connection.

A message is claimed with a conditional UPDATE, sent, and marked sent at the SMTP commit
point (notifications.smtp), so a worker killed at any moment neither loses it nor sends it
twice. A batch does the same for each of its messages in turn, over one connection.
"""

import base64
import contextlib
import logging
import select
import smtplib
import time
from datetime import timedelta
from email import message_from_bytes
from email.mime.base import MIMEBase

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from kombu.exceptions import OperationalError as BrokerError
from psycopg import pq

from notifications.models import OutboxMessage
from notifications.smtp import ClaimLost

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server or the network, not our message.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError, SoftTimeLimitExceeded)

# Messages stored together are delivered together, this many to a task, over one SMTP
# connection: a connection and a task per email cost more than the email itself.
DELIVERY_BATCH_SIZE = 200
# A batch claims this many at a time, so a worker killed mid-batch holds few claims (they
# wait for the stale-claim release); the rest are still pending and the sweeper finds them.
CLAIM_AT_ONCE = 20


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _deserialise_attachment(data: dict) -> MIMEBase:
    parsed = message_from_bytes(base64.b64decode(data["mime_b64"]))
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    for header in ("Content-Type", "MIME-Version"):
        del part[header]
    for header, value in parsed.items():
        part[header] = value
    part.set_payload(parsed.get_payload())
    return part


def queue_delivery(message_ids: list[int]) -> None:
    """Queue delivery tasks: a single message alone, more in batches of DELIVERY_BATCH_SIZE
    (one task and one SMTP connection each). A broker that is down loses nothing: the rows
    are committed, and the sweeper queues them when it is back."""
    from notifications.tasks import send_outbox_message, send_outbox_messages

    for start in range(0, len(message_ids), DELIVERY_BATCH_SIZE):
        batch = message_ids[start : start + DELIVERY_BATCH_SIZE]
        try:
            if len(batch) == 1:
                send_outbox_message.delay(batch[0])
            else:
                send_outbox_messages.delay(batch)
        except BrokerError:
            logger.exception("Could not queue %s outbox message(s); the sweeper will", len(batch))


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


def _mark_sent_statement() -> str:
    quote = db.ops.quote_name
    # Names from the model, every value a parameter.
    return (
        f"UPDATE {quote(OutboxMessage._meta.db_table)} SET {quote('status')} = %s, "  # noqa: S608  # nosec B608
        f"{quote('sent_at')} = CURRENT_TIMESTAMP, {quote('last_error')} = '' "
        f"WHERE {quote('id')} = %s AND {quote('status')} = %s AND {quote('claimed_at')} = %s"
    )


def _mark_sent_params(message: OutboxMessage) -> list:
    Status = OutboxMessage.Status
    claimed_at = db.ops.adapt_datetimefield_value(message.claimed_at)
    return [Status.SENT.value, message.pk, Status.SENDING.value, claimed_at]


def _mark_sent(message: OutboxMessage) -> bool:
    """The message is sent, if this worker's claim still holds, as one statement.

    `_finish(message, status=SENT, ...)` in plain SQL: this runs once for every email, and
    building the UPDATE through the ORM took several times the CPU of running it.
    """
    with db.cursor() as cursor:
        cursor.execute(_mark_sent_statement(), _mark_sent_params(message))
        return cursor.rowcount == 1


class _CommitPoint:
    """Marks a claimed message sent at the SMTP commit point (see notifications.smtp).

    A statement sent to PostgreSQL is carried out even if the worker is killed the moment
    after: with the update as one statement, a worker killed while waiting for its answer
    left the row "sent" and the message without its final dot (the chaos run caught one
    such lost email in three). So on PostgreSQL, outside a transaction, the claim is checked
    and the row updated in a transaction of its own, and its COMMIT is written to the
    database just before the dot is written to the mail server, without waiting between the
    two; `settle()` reads the COMMIT's answer afterwards. A worker killed before the COMMIT
    leaves the row claimed (the transaction dies with its connection) and the message
    undelivered; only a kill between the two writes, microseconds, loses a message.
    Elsewhere (SQLite, or inside a transaction as in the tests) the update is one statement.
    """

    def __init__(self, message: OutboxMessage) -> None:
        self.message = message
        self.committed = False
        self.in_flight = False

    def __call__(self) -> bool:
        if db.vendor != "postgresql" or db.in_atomic_block or not db.get_autocommit():
            self.committed = _mark_sent(self.message)
            return self.committed
        with db.cursor() as cursor:
            cursor.execute("BEGIN")
            try:
                cursor.execute(_mark_sent_statement(), _mark_sent_params(self.message))
                held = cursor.rowcount == 1
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            if not held:
                cursor.execute("ROLLBACK")
                return False
        pgconn = db.connection.pgconn
        pgconn.send_query(b"COMMIT")
        while pgconn.flush():
            select.select([], [pgconn.socket], [])
        self.committed = self.in_flight = True
        return True

    def settle(self) -> None:
        """Read the COMMIT's answer; before any other query on this connection."""
        if not self.in_flight:
            return
        self.in_flight = False
        pgconn = db.connection.pgconn
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        statuses = []
        while (result := pgconn.get_result()) is not None:
            statuses.append(result.status)
        if statuses != [pq.ExecStatus.COMMAND_OK]:
            # The message went out but its row did not say so: say it now, or it is sent
            # again when its claim is released.
            logger.error(
                "Outbox message %s: the commit failed; marking it sent again", self.message.pk
            )
            self.committed = _mark_sent(self.message)


def _finish(message: OutboxMessage, **fields) -> bool:
    """Record the outcome, but only while this worker's claim still holds."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=message.claimed_at
        ).update(**fields)
    )


def outbox_claim_many(*, message_ids: list[int]) -> list[OutboxMessage]:
    """Claim the due, pending messages among `message_ids`, in one transaction. A message
    another caller holds or is claiming is skipped: only one caller gets each."""
    with transaction.atomic():
        free = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk__in=message_ids,
                status=OutboxMessage.Status.PENDING,
                next_attempt_at__lte=Now(),
            )
            .values_list("pk", flat=True)
        )
        if not free:
            return []
        OutboxMessage.objects.filter(pk__in=free).update(
            status=OutboxMessage.Status.SENDING, claimed_at=Now(), attempts=F("attempts") + 1
        )
        return list(OutboxMessage.objects.filter(pk__in=free).order_by("pk"))


def _drop_connection(connection) -> None:
    """Close an SMTP connection in an unknown state without QUIT (which, in the middle of
    DATA, would be read as message text), so the next message opens a fresh one."""
    smtp = getattr(connection, "connection", None)
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()
        connection.connection = None


def _record_failure(message: OutboxMessage, error: Exception, *, committed: bool):
    """Back to pending with backoff after a transient error, else (or at the attempt limit)
    failed. Returns the new status."""
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


def _send_claimed(message: OutboxMessage, connection) -> OutboxMessage.Status | None:
    """Send a message this worker has claimed, over `connection` (opened here if it is
    not open, and left as it was found). Returns its new status, None if the claim was lost.
    """
    commit = _CommitPoint(message)
    try:
        email = _build_email(message, connection)
        if hasattr(connection, "send_with_commit_point"):
            connection.send_with_commit_point(email, commit=commit)
        else:
            email.send()
            commit()
        commit.settle()
    except ClaimLost:
        return None
    except Exception as error:
        commit.settle()
        _drop_connection(connection)
        return _record_failure(message, error, committed=commit.committed)
    return OutboxMessage.Status.SENT


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
    try:
        connection = get_connection(settings.NOTIFICATIONS_DELIVERY_BACKEND)
    except Exception as error:
        return _record_failure(message, error, committed=False)
    return _send_claimed(message, connection)


def _give_back(claimed: list[OutboxMessage], unclaimed: list[int], delay: timedelta) -> None:
    """Messages a batch will not try now: claims go back without counting an attempt, and
    all wait `delay` (the sweeper queues them when it has passed)."""
    retry_at = Now() + delay
    for message in claimed:
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=message.claimed_at
        ).update(
            status=OutboxMessage.Status.PENDING,
            claimed_at=None,
            attempts=F("attempts") - 1,
            next_attempt_at=retry_at,
        )
    OutboxMessage.objects.filter(pk__in=unclaimed, status=OutboxMessage.Status.PENDING).update(
        next_attempt_at=retry_at
    )


def _deliver(claimed: list[OutboxMessage], unclaimed: list[int], time_budget) -> int:
    """Send `claimed` (this worker's claims already), then claim and send `unclaimed`, a few
    at a time, all over one SMTP connection. Returns how many were sent."""
    started = time.monotonic()
    claimed, remaining = list(claimed), list(unclaimed)
    sent = 0
    connection = get_connection(settings.NOTIFICATIONS_DELIVERY_BACKEND)
    try:
        while remaining or claimed:
            if time_budget is not None and time.monotonic() - started > time_budget:
                left = [m.pk for m in claimed] + remaining
                _give_back(claimed, [], timedelta(0))
                claimed = []
                OutboxMessage.objects.filter(pk__in=left).update(enqueued_at=Now())
                queue_delivery(left)
                break
            if not claimed:
                claimed = outbox_claim_many(message_ids=remaining[:CLAIM_AT_ONCE])
                remaining = remaining[CLAIM_AT_ONCE:]
                continue
            message = claimed.pop(0)
            try:
                connection.open()
            except TRANSIENT_ERRORS as error:
                # Counted as this message's attempt, as when it is sent alone.
                _record_failure(message, error, committed=False)
                _give_back(claimed, remaining, retry_delay(message.attempts))
                claimed = []
                break
            sent += _send_claimed(message, connection) == OutboxMessage.Status.SENT
    finally:
        # Claims taken but not tried (an unexpected error, the time limit) go back at once.
        _give_back(claimed, [], timedelta(0))
        try:
            connection.close()
        except Exception:  # closing is best effort: every outcome is recorded already
            _drop_connection(connection)
    return sent


def outbox_deliver_many(*, message_ids: list[int], time_budget: float | None = None) -> int:
    """Claim and send many messages over one SMTP connection. Returns how many were sent.

    Each is claimed, and marked sent at its own commit point, as in outbox_deliver; one that
    fails is retried or failed on its own and the others go on. If the server cannot be
    reached at all, the rest wait for the retry time instead of each trying in turn. Past
    `time_budget` seconds, what is left is queued again as a new task.
    """
    return _deliver([], message_ids, time_budget)


def outbox_deliver_claimed(
    *, messages: list[OutboxMessage], time_budget: float | None = None
) -> int:
    """Send messages stored already claimed by this worker (outbox_add_emails with
    `claimed`), as outbox_deliver_many sends what it claims. Returns how many were sent."""
    return _deliver(messages, [], time_budget)
