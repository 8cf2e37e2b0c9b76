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
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from evaluations import survey_selectors
from evaluations.models import Answer, SurveyResponse
from notifications.models import OutboxMessage, Pause, Preference
from notifications.services import NewEmail, outbox_add_emails, outbox_deliver_claimed
from programme.models import CohortMembership
from reflections.models import Commitment, Entry, Repetition
from reminders import emails, network
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

# People per dispatch chunk: one transaction, one round of queries and one SMTP connection
# each; small enough that a chunk takes about a second, so the work spreads evenly over
# the workers and a person's row is locked only briefly.
CHUNK_SIZE = 100
# A chunk task still queued after this long is dropped: the next planner run queues its
# people again, as at its own moment (a chunk never sends as at a moment long past).
CHUNK_EXPIRES = 600

# Reminder kinds and the preference (notifications.ReminderKind) that turns them off.
PREFERENCE_FOR = {
    Kind.SESSION: "traff",
    Kind.REPETITION: "repetition",
    Kind.REPROMPT: "repetition",
    Kind.COMMITMENT: "atagande",
    Kind.NUDGE: "skrivpuff",
    Kind.NETWORK: "natverk",
    # Not a kind one turns off on the settings page (one invitation and one reminder a
    # year); stopping all reminders stops it too.
    Kind.SURVEY: "enkat",
}
# Kinds that move past a pause; the others are simply not sent during one.
SHIFTED_BY_PAUSES = {Kind.REPETITION, Kind.REPROMPT, Kind.COMMITMENT, Kind.SURVEY}


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


def plan_surveys(now: datetime) -> int:
    """For each open benefit survey, each manager asked who has not answered: the invitation
    (step 1) on the first send day from the opening, and one reminder (step 2)
    SURVEY_REMINDER_AFTER_DAYS later if that is before it closes. Someone who joins the
    programme while it is open is invited from then. At send time, an answered or closed
    survey skips them (planner._reason_not_to_send).

    If the opening date was moved after the invitations were planned, the ones not yet
    sent were planned for a day before the survey now opens (and skipped as "moved" when
    that day came): they are planned again from the new opening, so the invitation comes
    then, once. Someone whose invitation had already gone out is not invited again, but
    their reminder, planned from the old opening, comes SURVEY_REMINDER_AFTER_DAYS after
    the new one."""
    today = local_date(now)
    rows = []
    for survey in survey_selectors.open_surveys(today):
        _forget_moved_invitations(survey)
        unanswered = survey_selectors.invited(survey).exclude(
            Exists(SurveyResponse.objects.filter(survey=survey, respondent=OuterRef("pk")))
        )
        steps_of = Reminder.objects.filter(kind=Kind.SURVEY, survey=survey, user=OuterRef("pk"))
        invited_on = max(survey.opens_on, today)
        reminded_on = invited_on + timedelta(days=settings.SURVEY_REMINDER_AFTER_DAYS)
        reminder = [(2, reminded_on)] if reminded_on < survey.closes_on else []
        to_plan = [
            (user_id, [(1, invited_on), *reminder])
            for user_id in unanswered.exclude(Exists(steps_of.filter(step=1))).values_list(
                "pk", flat=True
            )
        ]
        if reminder:  # invited before the opening was moved, their reminder since forgotten
            to_plan += [
                (user_id, reminder)
                for user_id in unanswered.filter(
                    Exists(steps_of.filter(step=1, base_on__lt=survey.opens_on))
                )
                .exclude(Exists(steps_of.filter(step=2)))
                .values_list("pk", flat=True)
            ]
        pauses = _pauses_by_user([user_id for user_id, _steps in to_plan])
        for user_id, steps in to_plan:
            for step, base in steps:
                row = Reminder(
                    key=f"enkat:{survey.pk}:{step}:{user_id}",
                    user_id=user_id,
                    kind=Kind.SURVEY,
                    survey_id=survey.pk,
                    step=step,
                    base_on=base,
                )
                row.due_at = _due_at(row, pauses[user_id])
                rows.append(row)
    return len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))


def _forget_moved_invitations(survey) -> int:
    """Delete what was planned from an opening since moved later, and not sent: every step
    of those whose invitation (step 1) had not gone out, and the reminder (step 2) of those
    whose invitation had. plan_surveys then plans them anew from the new opening."""
    steps = Reminder.objects.filter(kind=Kind.SURVEY, survey=survey).exclude(status=Status.SENT)
    moved = steps.filter(step=1, base_on__lt=survey.opens_on).values("user_id")
    reminded_from = survey.opens_on + timedelta(days=settings.SURVEY_REMINDER_AFTER_DAYS)
    deleted, _by_model = steps.filter(
        Q(user_id__in=moved) | Q(step=2, base_on__lt=reminded_from)
    ).delete()
    return deleted


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


def _reason_not_to_send(reminder: Reminder, now: datetime, invitations, last_written) -> str | None:
    """Why a due reminder no longer applies, or None if it should go out.

    `invitations` are the person's own, by session id; `last_written` is when they last
    wrote in their journal (None if never).
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
    elif reminder.kind == Kind.SURVEY:
        if local_date(now) < reminder.survey.opens_on:
            return "moved"  # the opening was moved later: planned again from it
        if not reminder.survey.is_open(local_date(now)):
            return "closed"
        if reminder.survey_answered:
            return "answered"
    elif (
        reminder.kind == Kind.NUDGE
        and last_written is not None
        and last_written >= reminder.created_at
    ):
        return "wrote"
    return None


def _message_key(user_id: int, today) -> str:
    return f"reminders:{user_id}:{today.isoformat()}"


def _due_by_person(user_ids: list[int], now: datetime) -> dict[int, list[Reminder]]:
    """What is due to each of these people at `now`, in the order it goes in the email."""
    step_answered = Reminder.objects.filter(
        kind=Kind.REPETITION,
        session=OuterRef("session"),
        user=OuterRef("user"),
        step=OuterRef("step"),
        responded_at__isnull=False,
    )
    evaluated = Answer.objects.filter(session=OuterRef("session"), respondent=OuterRef("user"))
    surveyed = SurveyResponse.objects.filter(survey=OuterRef("survey"), respondent=OuterRef("user"))
    due = defaultdict(list)
    for reminder in (
        Reminder.objects.filter(user_id__in=user_ids, status=Status.PLANNED, due_at__lte=now)
        .select_related("session", "commitment", "survey")
        # Asked only for re-prompts: for every row, it read a whole session's steps.
        .annotate(
            step_answered=Case(
                When(kind=Kind.REPROMPT, then=Exists(step_answered)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            # Whether the session's evaluation, asked in these steps' emails, is answered.
            evaluation_answered=Case(
                When(
                    kind=Kind.REPETITION,
                    step__in=emails.EVALUATION_STEPS,
                    then=Exists(evaluated),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            survey_answered=Case(
                When(kind=Kind.SURVEY, then=Exists(surveyed)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("user_id", "due_at", "kind", "step")
    ):
        due[reminder.user_id].append(reminder)
    return due


def _sort_out(users: dict, due: dict[int, list[Reminder]], now: datetime):
    """Each person's due reminders sorted into (to send by person, skipped ids by reason,
    moved past a pause), by each person's own settings; what that needs is read once for
    everyone."""
    today = local_date(now)
    people = list(due)
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=people)}
    pauses = _pauses_by_user(people)
    invitations = defaultdict(dict)
    session_ids = {r.session_id for reminders in due.values() for r in reminders if r.session_id}
    for invitation in Invitation.objects.filter(user_id__in=people, session_id__in=session_ids):
        invitations[invitation.user_id][invitation.session_id] = invitation
    nudged = [pk for pk, reminders in due.items() if any(r.kind == Kind.NUDGE for r in reminders)]
    last_written = dict(
        Entry.objects.filter(author_id__in=nudged)
        .values("author_id")
        .annotate(last=Max("created_at"))
        .values_list("author_id", "last")
    )
    to_send, skipped, moved = {}, defaultdict(list), []
    for user_id, reminders in due.items():
        user = users[user_id]
        preference = preferences.get(user_id) or Preference(user=user)
        paused_today = any(s <= today <= e for s, e in pauses[user_id])
        for reminder in reminders:
            reason = None
            if not user.is_active:
                reason = "inactive"
            elif preference.unsubscribed_at is not None:
                reason = "unsubscribed"
            elif not preference.wants(PREFERENCE_FOR[reminder.kind]):
                reason = "turned_off"
            elif paused_today and reminder.kind in SHIFTED_BY_PAUSES:
                reminder.due_at = _due_at(reminder, pauses[user_id])
                moved.append(reminder)
                continue
            elif paused_today:
                reason = "paused"
            else:
                reason = _reason_not_to_send(
                    reminder, now, invitations[user_id], last_written.get(user_id)
                )
            if reason:
                skipped[reason].append(reminder.pk)
            else:
                to_send.setdefault(user_id, []).append(reminder)
    return to_send, skipped, moved


def _write_chunk(user_ids: list[int], now: datetime, *, claimed: bool):
    """In the caller's transaction: lock these people, and store today's email for each
    who has something to send. Returns (reminders sent, the emails stored)."""
    today = local_date(now)
    User = get_user_model()
    # FOR NO KEY UPDATE: it excludes another dispatcher, but not rows being written that
    # refer to the person (a journal entry takes a key-share lock on its author).
    users = {
        user.pk: user
        for user in User.objects.select_for_update(skip_locked=True, no_key=True)
        .filter(pk__in=user_ids)
        .order_by("pk")
    }
    due = _due_by_person(list(users), now)
    if not due:
        return 0, []
    # Today's one email has gone to these: the rest waits for the next send day.
    had_email = {
        int(key.split(":")[1])
        for key in OutboxMessage.objects.filter(
            idempotency_key__in=[_message_key(pk, today) for pk in due]
        ).values_list("idempotency_key", flat=True)
    }
    waiting = [r.pk for pk in had_email for r in due.pop(pk)]
    if waiting:
        later = send_time(roll_forward(today + timedelta(days=1)))
        Reminder.objects.filter(pk__in=waiting).update(due_at=later)
    to_send, skipped, moved = _sort_out(users, due, now)
    for reason, ids in skipped.items():
        Reminder.objects.filter(pk__in=ids, status=Status.PLANNED).update(
            status=Status.SKIPPED, skip_reason=reason
        )
    Reminder.objects.bulk_update(moved, ["due_at"])
    if not to_send:
        return 0, []
    recipients = [(users[user_id], reminders) for user_id, reminders in to_send.items()]
    messages = outbox_add_emails(
        emails=[
            NewEmail(email, _message_key(user.pk, today), user)
            for (user, _), email in zip(
                recipients, emails.reminder_emails(recipients, day=today), strict=True
            )
        ],
        claimed=claimed,
    )
    # Each reminder points at its person's email of today, found by its key: one
    # statement for the chunk (bulk_update's CASE per row costs more than the send).
    todays_email = OutboxMessage.objects.filter(
        idempotency_key=Concat(
            Value("reminders:"),
            Cast(OuterRef("user_id"), CharField()),
            Value(f":{today.isoformat()}"),
        )
    ).values("pk")[:1]
    sent = Reminder.objects.filter(
        pk__in=[r.pk for _, reminders in recipients for r in reminders],
        status=Status.PLANNED,
    ).update(status=Status.SENT, sent_at=now, message=Subquery(todays_email))
    return sent, messages


def send_chunk(
    user_ids: list[int],
    now: datetime,
    *,
    deliver_here: bool = False,
    time_budget: float | None = None,
) -> int:
    """Send each of these people what is due to them, merged into today's one email, in one
    transaction with the same few queries however many people there are. Returns the
    number of reminders sent.

    Each person's user row is locked first; a person another dispatcher holds is skipped
    (that one sends to them), and what is due is read only after the lock, so two
    dispatchers, or this chunk run twice, never send a person two emails.

    The emails are queued for delivery tasks after the commit; with `deliver_here` (in a
    worker), they are stored claimed and sent from here after the commit instead, over one
    SMTP connection, within what is left of `time_budget` seconds: a write less per email,
    and the first emails go out while later chunks are still being written.
    """
    started = time.monotonic()
    with transaction.atomic():
        sent, messages = _write_chunk(user_ids, now, claimed=deliver_here)
        if messages and deliver_here:
            budget = None if time_budget is None else time_budget - (time.monotonic() - started)
            # Not a moment before the commit: a rolled-back email must never have gone out.
            transaction.on_commit(
                lambda: outbox_deliver_claimed(messages=messages, time_budget=budget)
            )
    return sent


def due_people(now: datetime) -> list[int]:
    """Everyone with something due at `now`, by id."""
    return list(
        Reminder.objects.filter(status=Status.PLANNED, due_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def dispatch(now: datetime, *, time_budget: float | None = None, fan_out: bool = False) -> int:
    """Send what is due, if reminders may go out now; at most one email per person a day.

    People go in chunks of CHUNK_SIZE, each chunk in one transaction with its queries made
    for the whole chunk. With `fan_out` (in a worker), every chunk but the first is queued
    as its own task, so all workers send at once, and the first is sent here, its emails
    delivered from here too; without, the chunks are written here one after another until
    `time_budget` seconds have passed (the next run goes on), their emails queued for
    delivery tasks. Returns the number of reminders sent here.
    """
    if not may_send_now(now):
        return 0
    started = time.monotonic()
    user_ids = due_people(now)
    chunks = [user_ids[i : i + CHUNK_SIZE] for i in range(0, len(user_ids), CHUNK_SIZE)]
    if fan_out and len(chunks) > 1:
        from reminders.tasks import send_reminder_chunk

        for chunk in chunks[1:]:
            try:
                send_reminder_chunk.apply_async((chunk, now.isoformat()), expires=CHUNK_EXPIRES)
            except BrokerError:
                # Nothing is lost: these people are still due, and the next run finds them.
                logger.exception("Could not queue a reminder chunk; the next run will")
        chunks = chunks[:1]
    sent = 0
    for chunk in chunks:
        left = None if time_budget is None else time_budget - (time.monotonic() - started)
        if left is not None and left < 0:
            logger.info("Reminder dispatch stopped at its time budget; the next run goes on")
            break
        sent += send_chunk(chunk, now, deliver_here=fan_out, time_budget=left)
    return sent


def plan(now: datetime) -> dict[str, int]:
    return {
        "session": plan_session_reminders(now),
        "repetition": plan_repetitions(now),
        "commitment": plan_commitments(now),
        "nudge": plan_nudges(now),
        "network": network.plan_network_activity(now),
        "survey": plan_surveys(now),
    }


def run(
    now: datetime | None = None, *, time_budget: float | None = None, fan_out: bool = False
) -> dict[str, int]:
    """One planner round: plan what is new, record answers, re-prompt, send what is due
    (see `dispatch` for `time_budget` and `fan_out`)."""
    now = now or timezone.now()
    counts = plan(now)
    counts["responses"] = record_responses(now)
    counts["sent"] = dispatch(now, time_budget=time_budget, fan_out=fan_out)
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
