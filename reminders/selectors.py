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
