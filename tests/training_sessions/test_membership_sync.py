"""Invitations follow the training group, and other fixes found in review."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from programme import services as programme_services
from sessions import services
from sessions.models import Invitation, TrainingSession
from tests.factories import CoachFactory, CohortFactory, ManagerFactory
from tests.training_sessions.conftest import session_data


def test_a_new_member_is_invited_to_the_groups_coming_sessions(schedule_world, coach):
    newcomer = ManagerFactory(email="ny@kungsor.test")
    programme_services.cohort_add_member(cohort=schedule_world["cohort"], user=newcomer)

    assert services.invitations_sync_with_cohorts() == (1, 0)
    assert schedule_world["session"].invitations.filter(user=newcomer).exists()
    assert OutboxMessage.objects.filter(to=["ny@kungsor.test"], subject__startswith="Inbjudan")
    assert services.invitations_sync_with_cohorts() == (0, 0)  # nothing left to do


def test_someone_who_left_gets_a_cancellation_and_is_no_longer_invited(schedule_world, manager):
    membership = schedule_world["cohort"].memberships.get(user=manager)
    programme_services.cohort_end_membership(membership=membership)

    assert services.invitations_sync_with_cohorts() == (0, 1)
    assert not schedule_world["session"].invitations.filter(user=manager).exists()
    assert OutboxMessage.objects.filter(to=[manager.email], subject__startswith="Inställd")


def test_changing_a_sessions_group_swaps_the_invitations(schedule_world, coach, manager):
    session = schedule_world["session"]
    newcomer = ManagerFactory()
    other = CohortFactory(programme=session.programme, coaches=[coach], members=[newcomer])

    services.session_update(
        session=session,
        data=session_data(
            cohort=other, coaches=[coach], starts_at=session.starts_at, ends_at=session.ends_at
        ),
    )

    assert list(session.invitations.values_list("user", flat=True)) == [newcomer.pk]
    assert OutboxMessage.objects.filter(to=[manager.email], subject__startswith="Inställd")


def test_a_coach_of_only_the_group_can_schedule_its_sessions(client, schedule_world):
    group_coach = CoachFactory()
    schedule_world["cohort"].coaches.add(group_coach)
    client.force_login(group_coach)

    response = client.post(
        reverse("training_sessions:session-create"),
        {
            "programme": schedule_world["cohort"].programme_id,
            "cohort": schedule_world["cohort"].pk,
            "format": "teori",
            "title": "Gruppens egen träff",
            "date": "2027-05-05",
            "start_time": "09:00",
            "end_time": "11:00",
            "coaches": [group_coach.pk],
        },
    )

    assert response.status_code == 302
    assert TrainingSession.objects.filter(title="Gruppens egen träff").exists()


def test_check_in_counts_as_held_and_survives_everyone_present(schedule_world, coach, manager):
    session = schedule_world["session"]
    services.invitation_report_excuse(invitation=session.invitations.get(user=manager))
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    session.refresh_from_db()

    services.session_check_in(user=manager, code=session.checkin_code)
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.HELD

    from sessions.forms import AttendanceForm
    from sessions.selectors import session_invitations

    form = AttendanceForm({}, invitations=session_invitations(session))
    assert form.is_valid()
    services.attendance_mark(session=session, marks=form.marks(all_present=True), marked_by=coach)
    assert session.invitations.get(user=manager).attendance == Invitation.Attendance.PRESENT


def test_ended_sessions_with_attendance_are_marked_held(schedule_world, manager):
    session = schedule_world["session"]
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.invitations.filter(user=manager).update(attendance="narvarande")

    assert services.sessions_mark_held() == 1
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.HELD


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "inte-ett-datum"])
def test_extreme_schedule_dates_fall_back_to_today(client, coach, day):
    client.force_login(coach)

    for view in ("vecka", "manad"):
        assert (
            client.get(
                reverse("training_sessions:schedule"), {"vy": view, "datum": day}
            ).status_code
            == 200
        )
