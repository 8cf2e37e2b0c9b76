"""What the coach's start page shows, read through the apps' selectors: a fixed number of
queries whatever the number of groups, sessions, members or entries, and every list bounded."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from network import selectors as network_selectors
from programme import selectors as programme_selectors
from programme import suggestion_selectors
from reflections import selectors as reflection_selectors
from reminders import selectors as reminder_selectors
from sessions import figures as session_figures
from sessions import selectors as session_selectors

# A group stays on the start page for a month after it ends (its last figures).
GROUP_SHOWN_AFTER_END = timedelta(days=30)
GROUPS_LIMIT = 20
WAITING_LIMIT = 10
ANSWERS_LIMIT = 5
WEEK = timedelta(days=7)


def current_cohorts(coach: User, *, today) -> list:
    """The coach's training groups that have not ended (or ended within a month), with their
    member counts, soonest started first; at most GROUPS_LIMIT."""
    return list(
        programme_selectors.cohort_list_visible_to(coach)
        .filter(ends_on__gte=today - GROUP_SHOWN_AFTER_END)
        .order_by("starts_on", "name", "pk")[:GROUPS_LIMIT]
    )


def coach_start(coach: User, *, now: datetime | None = None) -> dict:
    """Everything on the coach's start page, for `coach` at `now`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today, time.min))

    cohorts = current_cohorts(coach, today=today)
    cohort_ids = [cohort.pk for cohort in cohorts]
    # Kept between the writes that change them (sessions.figures).
    kept = session_figures.group_figures(cohort_ids, now=now)
    figures = kept.figures
    repetition = reminder_selectors.repetition_response_by_cohort(cohort_ids)
    groups = [
        {
            "cohort": cohort,
            "members": cohort.member_count,
            **figures[cohort.pk],
            "repetition": repetition.get(cohort.pk),
        }
        for cohort in cohorts
    ]

    sessions = session_selectors.coach_sessions_between(
        coach, start=midnight, end=midnight + timedelta(days=1) + WEEK, now=now
    )
    tomorrow = midnight + timedelta(days=1)
    waiting_entries = reflection_selectors.shared_waiting_for_feedback(coach)
    # One more than is shown tells whether the list is cut short, and only then is it counted.
    waiting = list(waiting_entries[: WAITING_LIMIT + 1])
    waiting_count = len(waiting) if len(waiting) <= WAITING_LIMIT else waiting_entries.count()
    return {
        "groups": groups,
        "sessions_today": [s for s in sessions if s.starts_at < tomorrow],
        "sessions_week": [s for s in sessions if s.starts_at >= tomorrow],
        "waiting": waiting[:WAITING_LIMIT],
        "waiting_count": waiting_count,
        "answers": list(reflection_selectors.prompt_answers_new(coach)[:ANSWERS_LIMIT]),
        "absences": kept.absences,
        # Network questions whose askers included the coach, with something new for them;
        # managers' suggestions on the framework waiting for an answer. Counts only here.
        "network_new_count": network_selectors.questions_new_for_coach_count(coach),
        "suggestions_waiting_count": suggestion_selectors.waiting_count(coach),
        # Groups are formed within a programme the coach runs; HR or an administrator
        # starts programmes and names their coaches.
        "can_create_group": programme_selectors.programme_list_editable_by(coach).exists(),
    }
