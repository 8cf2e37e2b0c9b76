"""Reads for the reminder pages: a person's coming reminders, a session's repetition steps."""

from django.db.models import Count, Min, Q

from notifications.models import Pause, Preference
from reminders.models import Reminder

Kind = Reminder.Kind


def upcoming(user, *, limit: int = 20):
    return (
        Reminder.objects.filter(user=user, status=Reminder.Status.PLANNED)
        .select_related("session")
        .order_by("due_at", "kind", "step")[:limit]
    )


def pauses(user, *, today):
    return Pause.objects.filter(user=user, ends_on__gte=today).order_by("starts_on")


def session_steps(session) -> list[dict]:
    """Per repetition step: when it was due, how many went out, were re-prompted, answered.
    Counts only, never who."""
    steps = {
        row["step"]: row
        for row in Reminder.objects.filter(session=session, kind=Kind.REPETITION)
        .values("step", "offset_days")
        .annotate(
            planned_for=Min("base_on"),
            people=Count("pk"),
            sent=Count("pk", filter=Q(status=Reminder.Status.SENT)),
            waiting=Count("pk", filter=Q(status=Reminder.Status.PLANNED)),
            responded=Count("pk", filter=Q(responded_at__isnull=False)),
            repeated=Count("pk", filter=Q(response=Reminder.Response.REPEATED)),
            reflected=Count("pk", filter=Q(response=Reminder.Response.REFLECTION)),
        )
        .order_by("step")
    }
    reprompts = dict(
        Reminder.objects.filter(session=session, kind=Kind.REPROMPT, status=Reminder.Status.SENT)
        .values("step")
        .annotate(n=Count("pk"))
        .values_list("step", "n")
    )
    return [row | {"reprompted": reprompts.get(step, 0)} for step, row in sorted(steps.items())]


def preference_of(user) -> Preference:
    """The person's reminder settings; the defaults, unsaved, until they first change them."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


# The coach's start page and a training group's progress: repetition steps sent and answered,
# counts only.


def repetition_response_by_cohort(cohort_ids) -> dict[int, dict]:
    """Cohort id -> repetition steps sent after the cohort's sessions, how many were answered
    and the rate in per cent (None before any was sent)."""
    rows = (
        Reminder.objects.filter(
            kind=Kind.REPETITION, status=Reminder.Status.SENT, session__cohort__in=list(cohort_ids)
        )
        .values("session__cohort")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)))
        .order_by()
    )
    return {
        row["session__cohort"]: {
            "sent": row["sent"],
            "answered": row["answered"],
            "rate": round(100 * row["answered"] / row["sent"]),
        }
        for row in rows
    }


def repetition_response_by_member(cohort, user_ids) -> dict[int, dict]:
    """User id -> repetition steps sent to them after the cohort's sessions and answered."""
    rows = (
        Reminder.objects.filter(
            kind=Kind.REPETITION,
            status=Reminder.Status.SENT,
            session__cohort=cohort,
            user__in=list(user_ids),
        )
        .values("user")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)))
        .order_by()
    )
    return {row.pop("user"): row for row in rows}
