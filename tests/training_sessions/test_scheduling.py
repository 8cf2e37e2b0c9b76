"""Scheduling rules: conflicts, invitations through the outbox, förhinder and attendance."""

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import OutboxMessage
from sessions import services
from sessions.models import Invitation, TrainingSession
from tests.factories import CohortFactory
from tests.training_sessions.conftest import at, session_data


def _overlapping(world, **changes):
    base = {
        "cohort": CohortFactory(programme=world["cohort"].programme),
        "coaches": [],
        "starts_at": at(2027, 3, 10, 15),
        "ends_at": at(2027, 3, 10, 17),
        "place": "Annat rum",
    }
    base.update(changes)
    return session_data(**base)


def test_the_same_coach_is_a_conflict_and_named(schedule_world, coach):
    conflicts = services.session_conflicts(_overlapping(schedule_world, coaches=[coach]))

    assert [c.kind for c in conflicts] == ["coach"]
    assert conflicts[0].message == (
        "Ledartränaren Karin Tränare leder redan ”Leda sig själv, del 1” (10 mars 13:00–16:00)."
    )


def test_the_same_room_is_a_conflict_whatever_the_case(schedule_world):
    conflicts = services.session_conflicts(_overlapping(schedule_world, place="lilla SALEN"))

    assert [c.kind for c in conflicts] == ["place"]
    assert "Lilla salen är redan bokad för ”Leda sig själv, del 1”" in conflicts[0].message


def test_the_same_cohort_is_a_conflict(schedule_world):
    conflicts = services.session_conflicts(
        _overlapping(schedule_world, cohort=schedule_world["cohort"])
    )

    assert [c.kind for c in conflicts] == ["cohort"]
    assert "Träningsgruppen Grupp Norr har redan ”Leda sig själv, del 1”" in conflicts[0].message


def test_an_invited_manager_is_a_conflict_and_named(schedule_world, manager):
    other = CohortFactory(programme__name="Annat program", members=[manager])

    conflicts = services.session_conflicts(_overlapping(schedule_world, cohort=other))

    assert [c.kind for c in conflicts] == ["manager"]
    assert conflicts[0].message.startswith("Maja Chef är redan inbjuden till ”Leda sig själv")


def test_a_manager_with_forhinder_is_no_conflict(schedule_world, manager):
    invitation = schedule_world["session"].invitations.get(user=manager)
    services.invitation_report_excuse(invitation=invitation)
    other = CohortFactory(programme__name="Annat program", members=[manager])

    assert services.session_conflicts(_overlapping(schedule_world, cohort=other)) == []


def test_touching_and_cancelled_sessions_are_no_conflict(schedule_world, coach):
    after = _overlapping(
        schedule_world,
        coaches=[coach],
        starts_at=at(2027, 3, 10, 16),
        ends_at=at(2027, 3, 10, 17),
    )
    assert services.session_conflicts(after) == []

    services.session_cancel(session=schedule_world["session"])
    assert services.session_conflicts(_overlapping(schedule_world, coaches=[coach])) == []


def test_a_conflict_saves_nothing_unless_overridden(schedule_world, coach):
    data = _overlapping(schedule_world, coaches=[coach])
    before = TrainingSession.objects.count()

    with pytest.raises(services.ConflictsFound):
        services.session_create(data=data, created_by=coach)
    assert TrainingSession.objects.count() == before

    services.session_create(data=data, created_by=coach, override=True)
    assert TrainingSession.objects.count() == before + 1


def test_creating_invites_the_active_members_with_a_calendar_each(schedule_world, manager):
    session = schedule_world["session"]

    assert session.invitations.count() == 4
    message = OutboxMessage.objects.get(to=[manager.email], subject__startswith="Inbjudan")
    assert message.subject == "Inbjudan: Leda sig själv, del 1 10 mars"
    [attachment] = message.attachments
    import base64

    part = message_from_bytes(base64.b64decode(attachment["mime_b64"]))
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert b"METHOD:REQUEST" in part.get_payload(decode=True)


def test_an_update_goes_to_everyone_with_a_higher_sequence(schedule_world, coach, manager):
    session = schedule_world["session"]
    data = session_data(
        cohort=session.cohort,
        coaches=[coach],
        starts_at=at(2027, 3, 10, 14),
        ends_at=at(2027, 3, 10, 17),
        title="Leda sig själv, del 1",
    )

    updated = services.session_update(session=session, data=data)

    assert updated.sequence == 1
    assert OutboxMessage.objects.filter(subject__startswith="Ändrad").count() == 4


def test_cancelling_twice_sends_once(schedule_world):
    session = schedule_world["session"]

    services.session_cancel(session=session)
    services.session_cancel(session=session)

    assert OutboxMessage.objects.filter(subject__startswith="Inställd").count() == 4


def test_forhinder_until_the_start_and_withdrawn(schedule_world, manager):
    invitation = schedule_world["session"].invitations.get(user=manager)

    services.invitation_report_excuse(invitation=invitation, comment="Budgetmöte")
    invitation.refresh_from_db()
    assert invitation.has_excuse and invitation.excuse_comment == "Budgetmöte"
    services.invitation_withdraw_excuse(invitation=invitation)
    invitation.refresh_from_db()
    assert not invitation.has_excuse

    TrainingSession.objects.filter(pk=invitation.session_id).update(
        starts_at=timezone.now() - timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="har börjat"):
        services.invitation_report_excuse(invitation=invitation)


def test_attendance_marks_and_the_session_counts_as_held(schedule_world, coach, manager):
    session = schedule_world["session"]
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()

    services.attendance_mark(
        session=session, marks={manager.pk: Invitation.Attendance.PRESENT}, marked_by=coach
    )

    session.refresh_from_db()
    assert session.status == TrainingSession.Status.HELD
    invitation = session.invitations.get(user=manager)
    assert invitation.attendance == Invitation.Attendance.PRESENT
    assert invitation.attendance_marked_by == coach
