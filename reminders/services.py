"""Changes to a person's reminders: which kinds, pauses, stopping and starting again."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from notifications import services as notifications
from notifications.models import Pause, Preference
from reminders.planner import reschedule_pending


def resubscribe(*, user) -> None:
    notifications.preference_resubscribe(user=user)


def preference_for(user) -> Preference:
    return Preference.objects.get_or_create(user=user)[0]


@transaction.atomic
def preferences_save(*, user, wanted_kinds: list[str], language: str) -> Preference:
    from notifications.models import ReminderKind

    preference = preference_for(user)
    preference.disabled_kinds = [k for k in ReminderKind.values if k not in wanted_kinds]
    preference.save(update_fields=["disabled_kinds", "updated_at"])
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return preference


@transaction.atomic
def pause_add(*, user, starts_on: date, ends_on: date) -> Pause:
    """A period without reminders; pending repetition steps and follow-ups move past it."""
    pause = Pause.objects.create(user=user, starts_on=starts_on, ends_on=ends_on)
    reschedule_pending(user)
    return pause


@transaction.atomic
def pause_end(*, pause: Pause, today: date | None = None) -> None:
    """End a pause now ("resume"): a pause not yet begun goes away, a running one ends
    yesterday, and the pending steps move back to fit."""
    today = today or timezone.localdate()
    if pause.starts_on >= today:
        pause.delete()
    elif pause.ends_on >= today:
        pause.ends_on = max(pause.starts_on, today - timedelta(days=1))
        pause.save(update_fields=["ends_on"])
    reschedule_pending(pause.user)
