"""The absence signal: two or more absences in a row, förhinder not counted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions import selectors, services
from sessions.models import Invitation, TrainingSession
from tests.training_sessions.conftest import session_data

P, A, F = (
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.ABSENT,
    Invitation.Attendance.EXCUSED,
)


def _held(world, coach, marks_for_manager, manager):
    return _held_for(world, coach, {manager.pk: marks_for_manager})


def _held_for(world, coach, histories):
    """One held session a week for as many weeks as the histories are long (user id ->
    marks, oldest first), each marked with every person's mark of that week."""
    sessions = []
    weeks = range(len(next(iter(histories.values()))), 0, -1)
    for weeks_ago, column in zip(weeks, zip(*histories.values(), strict=True), strict=True):
        start = timezone.now() - timedelta(weeks=weeks_ago)
        session = services.session_create(
            data=session_data(
                cohort=world["cohort"],
                coaches=[coach],
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place=f"Rum {weeks_ago}",
            ),
            created_by=coach,
            override=True,
        )
        services.attendance_mark(
            session=session, marks=dict(zip(histories, column, strict=True)), marked_by=coach
        )
        sessions.append(session)
    return sessions


@pytest.mark.parametrize(
    ("marks", "streak"),
    [([P, A, A], 2), ([A, A, P], 0), ([A, F, A], 2), ([A, P, A], 1), ([A, A, A], 3), ([F, F], 0)],
)
def test_streak_of_absences(schedule_world, coach, manager, marks, streak):
    _held(schedule_world, coach, marks, manager)

    streaks = selectors.absence_streaks(schedule_world["cohort"])

    assert streaks.get(manager.pk, 0) == (streak if streak >= 2 else 0)


def test_each_member_counts_from_their_own_last_attendance(schedule_world, coach, manager):
    """Four members, each with their own history over the same sessions: a streak counts from
    when that person last attended, never from another member's attendance."""
    histories = {
        manager.pk: [P, A, A, A],
        **dict(
            zip(
                schedule_world["cohort"]
                .memberships.exclude(user=manager)
                .values_list("user_id", flat=True),
                [[A, A, P, A], [A, A, A, P], [A, F, A, A]],
                strict=True,
            )
        ),
    }
    _held_for(schedule_world, coach, histories)

    streaks = selectors.absence_streaks(schedule_world["cohort"])

    never_attended = list(histories)[3]
    assert streaks == {manager.pk: 3, never_attended: 3}


def test_the_cohort_page_flags_the_manager(client, schedule_world, coach, manager):
    _held(schedule_world, coach, [P, A, A], manager)
    client.force_login(coach)

    page = client.get(
        reverse("programme:cohort-detail", args=[schedule_world["cohort"].pk])
    ).content.decode()

    assert "1 medlem har varit frånvarande två eller fler gånger i rad." in page
    assert "frånvarande 2 gånger i rad" in page


def test_the_attendance_overview_shows_each_held_session(client, schedule_world, coach, manager):
    _held(schedule_world, coach, [P, A, A], manager)
    client.force_login(coach)

    page = client.get(
        reverse("training_sessions:cohort-attendance", args=[schedule_world["cohort"].pk])
    ).content.decode()

    assert page.count('<span class="visually-hidden">Frånvarande</span>') == 2
    assert TrainingSession.objects.filter(status="genomford").count() == 3
