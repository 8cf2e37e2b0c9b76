"""The planner: reads sessions, attendance and commitments; writes what is due into the outbox.

It runs every minute (Celery beat) and may run twice at once, on two machines: every
reminder has a unique key per recipient, kind, object and step, planned rows are written
with `ignore_conflicts`, and each person's daily email has its own outbox idempotency key,
taken while their user row is locked. Due times are rows in the database; nothing waits in
the broker.
"""

import logging
import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from notifications.models import OutboxMessage, Pause, Preference
from notifications.services import outbox_add_email
from programme.models import CohortMembership
from reflections.models import Commitment, Entry, Repetition
from reminders import emails
from reminders.models import Reminder
from reminders.schedule import (
    add_send_days,
    local_date,
    may_send_now,
    previous_send_day,
    roll_forward,
    send_day_after_pauses,
    send_time,
)
from sessions.models import Invitation, TrainingSession

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
Status = Reminder.Status

# Session reminders are planned this far ahead; a "working day before" further back than
# MAX_SESSION_LEAD (a long holiday) is not a useful reminder and is not planned.
SESSION_HORIZON = timedelta(days=15)
MAX_SESSION_LEAD = timedelta(days=7)
# Attendance marked late still starts the repetition schedule, for this long.
REPETITION_LOOKBACK = timedelta(days=120)
# A missed step (attendance marked late) is still sent if it is this recent.
LATE_STEP_GRACE = timedelta(days=7)
RESPONSE_LOOKBACK = timedelta(days=120)
COMMITMENT_LOOKBACK = timedelta(days=7)
COMMITMENT_HORIZON = timedelta(days=60)

# Reminder kinds and the preference (notifications.ReminderKind) that turns them off.
PREFERENCE_FOR = {
    Kind.SESSION: "traff",
    Kind.REPETITION: "repetition",
    Kind.REPROMPT: "repetition",
    Kind.COMMITMENT: "atagande",
    Kind.NUDGE: "skrivpuff",
}
# Kinds that move past a pause; the others are simply not sent during one.
SHIFTED_BY_PAUSES = {Kind.REPETITION, Kind.REPROMPT, Kind.COMMITMENT}


def _pauses_by_user(user_ids) -> dict[int, list[tuple]]:
    pauses = defaultdict(list)
    for user_id, starts_on, ends_on in Pause.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "starts_on", "ends_on"
    ):
        pauses[user_id].append((starts_on, ends_on))
    return pauses


def _anchor(reminder: Reminder):
    """The day a shifted reminder's pauses count from: its session for repetition steps."""
    if reminder.kind == Kind.REPETITION and reminder.session_id:
        return local_date(reminder.session.starts_at)
    return reminder.base_on


def _due_at(reminder: Reminder, pauses) -> datetime:
    if reminder.kind in SHIFTED_BY_PAUSES:
        day = send_day_after_pauses(reminder.base_on, pauses, anchor=_anchor(reminder))
    else:
        day = roll_forward(reminder.base_on)
    return send_time(day)


# Planning ---------------------------------------------------------------------------------


def plan_session_reminders(now: datetime) -> int:
    """The working day before a session, for everyone invited who has not reported förhinder."""
    invitations = Invitation.objects.filter(
        session__status=TrainingSession.Status.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + SESSION_HORIZON,
        excused_at__isnull=True,
        user__is_active=True,
    ).select_related("session")
    rows = []
    for invitation in invitations:
        session_day = local_date(invitation.session.starts_at)
        day = previous_send_day(session_day)
        if session_day - day > MAX_SESSION_LEAD:
            continue
        rows.append(
            Reminder(
                key=f"traff:{invitation.session_id}:{session_day.isoformat()}:{invitation.user_id}",
                user_id=invitation.user_id,
                kind=Kind.SESSION,
                session_id=invitation.session_id,
                base_on=day,
                due_at=send_time(day),
            )
        )
    return len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))


def plan_repetitions(now: datetime) -> int:
    """The programme's repetition steps, for each attended session not yet planned."""
    today = local_date(now)
    invitations = list(
        Invitation.objects.filter(
            attendance=Invitation.Attendance.PRESENT,
            user__is_active=True,
            session__ends_at__lte=now,
            session__ends_at__gte=now - REPETITION_LOOKBACK,
        )
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .exclude(
            Exists(
                Reminder.objects.filter(
                    kind=Kind.REPETITION, session=OuterRef("session"), user=OuterRef("user")
                )
            )
        )
        .select_related("session__programme")
    )
    pauses = _pauses_by_user(i.user_id for i in invitations)
    rows = []
    for invitation in invitations:
        session = invitation.session
        session_day = local_date(session.starts_at)
        offsets = session.programme.repetition_offsets
        steps = []
        for number, offset in enumerate(offsets, start=1):
            base = session_day + timedelta(days=offset)
            day = send_day_after_pauses(base, pauses[invitation.user_id], anchor=session_day)
            steps.append(
                Reminder(
                    key=f"repetition:{session.pk}:{number}:{invitation.user_id}",
                    user_id=invitation.user_id,
                    kind=Kind.REPETITION,
                    session_id=session.pk,
                    step=number,
                    offset_days=offset,
                    base_on=base,
                    due_at=send_time(day),
                )
            )
        # Attendance marked late: steps already past are not sent, except the latest if recent.
        past = [s for s in steps if local_date(s.due_at) < today]
        for number, step in enumerate(past, start=1):
            latest = number == len(past)
            if not latest or local_date(step.due_at) < today - LATE_STEP_GRACE:
                step.status, step.skip_reason = Status.SKIPPED, "late"
        rows.extend(steps)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def plan_reprompts(now: datetime) -> int:
    """Re-prompt once, two working days after a step was sent, if it is still unanswered then.

    A step's answer counts until the next step goes out; when the next step is due on or
    before the re-prompt's day, it is the next prompt and no re-prompt is sent (the schedule
    just goes on). With the default days 1, 3, 7, 14, 30 that leaves steps 3, 4 and 5 room
    for a re-prompt.
    """
    next_step_due = Reminder.objects.filter(
        kind=Kind.REPETITION,
        session=OuterRef("session"),
        user=OuterRef("user"),
        step=OuterRef("step") + 1,
    ).values("due_at")[:1]
    steps = (
        Reminder.objects.filter(
            kind=Kind.REPETITION,
            status=Status.SENT,
            responded_at__isnull=True,
            sent_at__gte=now - RESPONSE_LOOKBACK,
        )
        .exclude(
            Exists(
                Reminder.objects.filter(
                    kind=Kind.REPROMPT,
                    session=OuterRef("session"),
                    user=OuterRef("user"),
                    step=OuterRef("step"),
                )
            )
        )
        .annotate(next_due=Subquery(next_step_due))
        .select_related("session")
    )
    steps = list(steps)
    pauses = _pauses_by_user(s.user_id for s in steps)
    rows = []
    for step in steps:
        base = add_send_days(
            local_date(step.sent_at), settings.REMINDERS_REPROMPT_AFTER_WORKING_DAYS
        )
        row = Reminder(
            key=f"ny_paminnelse:{step.session_id}:{step.step}:{step.user_id}",
            user_id=step.user_id,
            kind=Kind.REPROMPT,
            session_id=step.session_id,
            step=step.step,
            offset_days=step.offset_days,
            base_on=base,
        )
        row.due_at = _due_at(row, pauses[step.user_id])
        if step.next_due is not None and local_date(step.next_due) <= local_date(row.due_at):
            row.status, row.skip_reason = Status.SKIPPED, "next_step"
        rows.append(row)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def plan_commitments(now: datetime) -> int:
    """A follow-up reminder on the day a commitment falls due."""
    today = local_date(now)
    commitments = list(
        Commitment.objects.filter(
            followed_up_at__isnull=True,
            author__is_active=True,
            due_on__gte=today - COMMITMENT_LOOKBACK,
            due_on__lte=today + COMMITMENT_HORIZON,
        ).exclude(
            Exists(Reminder.objects.filter(commitment=OuterRef("pk"), base_on=OuterRef("due_on")))
        )
    )
    pauses = _pauses_by_user(c.author_id for c in commitments)
    rows = []
    for commitment in commitments:
        row = Reminder(
            key=f"atagande:{commitment.pk}:{commitment.due_on.isoformat()}:{commitment.author_id}",
            user_id=commitment.author_id,
            kind=Kind.COMMITMENT,
            commitment_id=commitment.pk,
            base_on=commitment.due_on,
        )
        row.due_at = _due_at(row, pauses[commitment.author_id])
        if commitment.due_on < local_date(commitment.created_at):
            # Written with a date already past: there is nothing to remind about.
            row.status, row.skip_reason = Status.SKIPPED, "late"
        rows.append(row)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def plan_nudges(now: datetime) -> int:
    """A quiet nudge, once per silence, to members of programmes that turned it on and who
    have written nothing for REMINDERS_NUDGE_AFTER_DAYS days."""
    today = local_date(now)
    quiet_since = today - timedelta(days=settings.REMINDERS_NUDGE_AFTER_DAYS)
    memberships = (
        CohortMembership.objects.filter(
            programme__inactivity_nudge=True,
            programme__starts_on__lte=today,
            programme__ends_on__gte=today,
            left_on__isnull=True,
            joined_on__lte=quiet_since,
            user__is_active=True,
        )
        .annotate(
            last_written=Subquery(
                Entry.objects.filter(author=OuterRef("user"))
                .order_by("-created_at")
                .values("created_at")[:1]
            )
        )
        .filter(
            Q(last_written__isnull=True)
            | Q(last_written__lt=now - timedelta(days=settings.REMINDERS_NUDGE_AFTER_DAYS))
        )
    )
    rows = []
    for membership in memberships:
        since = local_date(membership.last_written) if membership.last_written else None
        since = since or membership.joined_on
        day = roll_forward(today)
        rows.append(
            Reminder(
                key=f"skrivpuff:{since.isoformat()}:{membership.user_id}",
                user_id=membership.user_id,
                kind=Kind.NUDGE,
                step=0,
                base_on=day,
                due_at=send_time(day),
            )
        )
    return len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))


# Responses ---------------------------------------------------------------------------------


def record_responses(now: datetime) -> int:
    """A step is answered by a "repeterat" or a reflection on its session, after the step was
    sent and before the next step was."""

    def first_after(model, author_field):
        return Subquery(
            model.objects.filter(
                **{author_field: OuterRef("user")},
                session=OuterRef("session"),
                created_at__gte=OuterRef("sent_at"),
            )
            .order_by("created_at")
            .values("created_at")[:1]
        )

    steps = (
        Reminder.objects.filter(
            kind=Kind.REPETITION,
            status=Status.SENT,
            responded_at__isnull=True,
            sent_at__gte=now - RESPONSE_LOOKBACK,
        )
        .annotate(
            next_sent=Subquery(
                Reminder.objects.filter(
                    kind=Kind.REPETITION,
                    status=Status.SENT,
                    session=OuterRef("session"),
                    user=OuterRef("user"),
                    step=OuterRef("step") + 1,
                ).values("sent_at")[:1]
            ),
            repeated_at=first_after(Repetition, "author"),
            reflected_at=first_after(Entry, "author"),
        )
        .filter(Q(repeated_at__isnull=False) | Q(reflected_at__isnull=False))
    )
    answered = []
    for step in steps:
        candidates = [
            (moment, response)
            for moment, response in (
                (step.repeated_at, Reminder.Response.REPEATED),
                (step.reflected_at, Reminder.Response.REFLECTION),
            )
            if moment is not None and (step.next_sent is None or moment < step.next_sent)
        ]
        if candidates:
            step.responded_at, step.response = min(candidates)
            answered.append(step)
    Reminder.objects.bulk_update(answered, ["responded_at", "response"])
    return len(answered)


# Sending -----------------------------------------------------------------------------------


def _reason_not_to_send(reminder: Reminder, user, now: datetime, invitations) -> str | None:
    """Why a due reminder no longer applies, or None if it should go out.

    `invitations` are the person's own, by session id.
    """
    session = reminder.session
    invitation = invitations.get(reminder.session_id)
    if reminder.kind == Kind.SESSION:
        if session.status != TrainingSession.Status.PLANNED:
            return "cancelled"
        if session.starts_at <= now:
            return "started"
        if previous_send_day(local_date(session.starts_at)) != reminder.base_on:
            return "moved"
        if invitation is None or invitation.has_excuse:
            return "excused"
    elif reminder.kind in (Kind.REPETITION, Kind.REPROMPT):
        attended = invitation is not None and invitation.attendance == Invitation.Attendance.PRESENT
        if not attended or session.status == TrainingSession.Status.CANCELLED:
            return "not_attended"
        if reminder.kind == Kind.REPROMPT and reminder.step_answered:
            return "responded"
    elif reminder.kind == Kind.COMMITMENT:
        commitment = reminder.commitment
        if commitment.followed_up_at is not None:
            return "followed_up"
        if commitment.due_on != reminder.base_on:
            return "moved"
    elif (
        reminder.kind == Kind.NUDGE
        and Entry.objects.filter(author=user, created_at__gte=reminder.created_at).exists()
    ):
        return "wrote"
    return None


def _send_to(user_id: int, now: datetime) -> int:
    """Send one person what is due to them, merged into today's one email. Returns the
    number of reminders in it."""
    today = local_date(now)
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return 0
        step_answered = Reminder.objects.filter(
            kind=Kind.REPETITION,
            session=OuterRef("session"),
            user=OuterRef("user"),
            step=OuterRef("step"),
            responded_at__isnull=False,
        )
        due = list(
            Reminder.objects.filter(user=user, status=Status.PLANNED, due_at__lte=now)
            .select_related("session__programme", "session__theme", "commitment")
            .annotate(step_answered=Exists(step_answered))
            .order_by("due_at", "kind", "step")
        )
        if not due:
            return 0
        message_key = f"reminders:{user.pk}:{today.isoformat()}"
        if OutboxMessage.objects.filter(idempotency_key=message_key).exists():
            # Today's one email has gone: the rest waits for the next send day.
            later = send_time(roll_forward(today + timedelta(days=1)))
            Reminder.objects.filter(pk__in=[r.pk for r in due]).update(due_at=later)
            return 0
        preference = Preference.objects.filter(user=user).first() or Preference(user=user)
        pauses = [(p.starts_on, p.ends_on) for p in Pause.objects.filter(user=user)]
        paused_today = any(s <= today <= e for s, e in pauses)
        invitations = {
            i.session_id: i
            for i in Invitation.objects.filter(
                user=user, session_id__in={r.session_id for r in due if r.session_id}
            )
        }
        to_send, skipped, moved = [], defaultdict(list), []
        for reminder in due:
            reason = None
            if not user.is_active:
                reason = "inactive"
            elif preference.unsubscribed_at is not None:
                reason = "unsubscribed"
            elif not preference.wants(PREFERENCE_FOR[reminder.kind]):
                reason = "turned_off"
            elif paused_today and reminder.kind in SHIFTED_BY_PAUSES:
                reminder.due_at = _due_at(reminder, pauses)
                moved.append(reminder)
                continue
            elif paused_today:
                reason = "paused"
            else:
                reason = _reason_not_to_send(reminder, user, now, invitations)
            if reason:
                skipped[reason].append(reminder.pk)
            else:
                to_send.append(reminder)
        for reason, ids in skipped.items():
            Reminder.objects.filter(pk__in=ids, status=Status.PLANNED).update(
                status=Status.SKIPPED, skip_reason=reason
            )
        Reminder.objects.bulk_update(moved, ["due_at"])
        if not to_send:
            return 0
        message = outbox_add_email(
            message=emails.reminder_email(user, to_send, day=today),
            idempotency_key=message_key,
            recipient_user=user,
        )
        if message is None:
            return 0
        Reminder.objects.filter(pk__in=[r.pk for r in to_send], status=Status.PLANNED).update(
            status=Status.SENT, sent_at=now, message=message
        )
        return len(to_send)


def dispatch(now: datetime, *, time_budget: float | None = None) -> int:
    """Send what is due, if reminders may go out now; at most one email per person a day."""
    if not may_send_now(now):
        return 0
    started = time.monotonic()
    user_ids = list(
        Reminder.objects.filter(status=Status.PLANNED, due_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    sent = 0
    for user_id in user_ids:
        if time_budget is not None and time.monotonic() - started > time_budget:
            logger.info("Reminder dispatch stopped at its time budget; the next run goes on")
            break
        sent += _send_to(user_id, now)
    return sent


def plan(now: datetime) -> dict[str, int]:
    return {
        "session": plan_session_reminders(now),
        "repetition": plan_repetitions(now),
        "commitment": plan_commitments(now),
        "nudge": plan_nudges(now),
    }


def run(now: datetime | None = None, *, time_budget: float | None = None) -> dict[str, int]:
    """One planner round: plan what is new, record answers, re-prompt, send what is due."""
    now = now or timezone.now()
    counts = plan(now)
    counts["responses"] = record_responses(now)
    counts["sent"] = dispatch(now, time_budget=time_budget)
    counts["reprompt"] = plan_reprompts(now)
    return counts


def reschedule_pending(user) -> int:
    """After a pause is added or ended: move the person's pending steps to fit it."""
    pauses = [(p.starts_on, p.ends_on) for p in Pause.objects.filter(user=user)]
    pending = list(
        Reminder.objects.filter(
            user=user, status=Status.PLANNED, kind__in=SHIFTED_BY_PAUSES
        ).select_related("session")
    )
    changed = []
    for reminder in pending:
        due_at = _due_at(reminder, pauses)
        if due_at != reminder.due_at:
            reminder.due_at = due_at
            changed.append(reminder)
    Reminder.objects.bulk_update(changed, ["due_at"])
    return len(changed)
