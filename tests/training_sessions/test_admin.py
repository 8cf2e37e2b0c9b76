"""Sessions and invitations in the admin: an administrator corrects place, time, coaches,
status and attendance, through the same services as the coach's pages (those invited hear
of it); a manager's comment on their förhinder never shows; nobody else gets in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from sessions import services
from sessions.models import Invitation, TrainingSession
from tests.factories import CoachFactory
from tests.test_admin_in_swedish import english_in, visible_texts

pytestmark = pytest.mark.django_db

PRIVATE = "Min dotter är sjuk, ring mig 070-PRIVAT-9d2e"


def _form(session: TrainingSession, **changes) -> dict:
    starts = timezone.localtime(changes.pop("starts_at", session.starts_at))
    ends = timezone.localtime(changes.pop("ends_at", session.ends_at))
    data = {
        "title": session.title,
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "place": session.place,
        "capacity": session.capacity or "",
        "coaches": [coach.pk for coach in session.coaches.all()],
        "description": session.description,
        "key_points": session.key_points,
        "status": session.status,
        "_save": "Spara",
    }
    data.update(changes)
    return data


def _change_url(session) -> str:
    return reverse("admin:training_sessions_trainingsession_change", args=[session.pk])


def _updates(session) -> list[str]:
    return list(
        OutboxMessage.objects.filter(
            idempotency_key__startswith=f"session:{session.pk}:seq:1:REQUEST:"
        ).values_list("to", flat=True)
    )


def test_the_session_list_searches_and_filters(client, world):
    client.force_login(world["people"]["admin"])
    url = reverse("admin:training_sessions_trainingsession_changelist")

    page = client.get(url).content.decode()
    assert {"Kommande A", "Hållen B"} <= set(visible_texts(page))
    assert english_in(page) == []

    found = client.get(url, {"q": '"Kommande A"'})
    assert [s.title for s in found.context["cl"].result_list] == ["Kommande A"]
    planned = client.get(url, {"status__exact": TrainingSession.Status.PLANNED})
    assert {s.title for s in planned.context["cl"].result_list} == {"Kommande A", "Kommande B"}


def test_an_administrator_moves_a_session_and_those_invited_get_the_update(client, world):
    session = world["sides"]["a"]["coming"]
    new_coach = CoachFactory(full_name="Nils Nytränare")
    client.force_login(world["people"]["admin"])
    page = client.get(_change_url(session)).content.decode()
    assert english_in(page) == []
    assert "Nils Nytränare" in page  # offered as a coach

    later = (session.starts_at + timedelta(hours=1)).replace(microsecond=0)
    response = client.post(
        _change_url(session),
        _form(
            session,
            place="Stora salen, Kommunhuset",
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            coaches=[new_coach.pk],
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.place == "Stora salen, Kommunhuset"
    assert session.starts_at == later
    assert list(session.coaches.all()) == [new_coach]
    assert session.sequence == 1
    invited = {i.user.email for i in session.invitations.select_related("user")}
    assert {to[0] for to in _updates(session)} == invited


def test_a_session_that_ends_before_it_starts_is_refused_in_swedish(client, world):
    session = world["sides"]["a"]["coming"]
    client.force_login(world["people"]["admin"])
    emails_before = OutboxMessage.objects.count()  # the world's network meetings sent some

    response = client.post(
        _change_url(session), _form(session, ends_at=session.starts_at - timedelta(hours=1))
    )

    assert response.status_code == 200
    assert "Träffen måste sluta efter att den börjar." in response.content.decode()
    session.refresh_from_db()
    assert session.sequence == 0
    assert OutboxMessage.objects.count() == emails_before


def test_an_administrator_cancels_a_session_and_those_invited_are_told(client, world):
    session = world["sides"]["a"]["coming"]
    client.force_login(world["people"]["admin"])

    client.post(_change_url(session), _form(session, status=TrainingSession.Status.CANCELLED))

    session.refresh_from_db()
    assert session.is_cancelled
    assert session.cancel_can_be_undone()  # the coach's five minutes, as on the coach's page
    told = OutboxMessage.objects.filter(idempotency_key__contains=":CANCEL:").count()
    assert told == session.invitations.count() == 4
    # Cancelled, it is history: shown, not changed.
    assert client.post(_change_url(session), _form(session, place="X")).status_code == 403
    assert client.get(_change_url(session)).status_code == 200


def test_a_held_session_cannot_be_cancelled_from_the_admin(client, world):
    session = world["sides"]["a"]["held"]
    client.force_login(world["people"]["admin"])

    response = client.post(
        _change_url(session), _form(session, status=TrainingSession.Status.CANCELLED)
    )

    assert response.status_code == 200  # the form again, with the choice refused
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.HELD


def _invitation_url(invitation) -> str:
    return reverse("admin:training_sessions_invitation_change", args=[invitation.pk])


def test_an_administrator_corrects_attendance(client, world):
    held = world["sides"]["a"]["held"]
    manager = world["people"]["manager_a"]
    invitation = Invitation.objects.get(session=held, user=manager)
    administrator = world["people"]["admin"]
    client.force_login(administrator)
    page = client.get(_invitation_url(invitation)).content.decode()
    assert english_in(page) == []
    assert "Anna A-chef" in visible_texts(page)

    client.post(
        _invitation_url(invitation),
        {"attendance": Invitation.Attendance.ABSENT, "_save": "Spara"},
    )

    invitation.refresh_from_db()
    assert invitation.attendance == Invitation.Attendance.ABSENT
    assert invitation.attendance_marked_by == administrator
    # Only the attendance: the person and the session stay as they were.
    client.post(
        _invitation_url(invitation),
        {"attendance": "narvarande", "user": world["people"]["manager_b"].pk, "_save": "Spara"},
    )
    invitation.refresh_from_db()
    assert invitation.user == manager
    assert invitation.attendance == Invitation.Attendance.PRESENT


def test_the_invitation_list_searches_by_person_and_session(client, world):
    client.force_login(world["people"]["admin"])
    url = reverse("admin:training_sessions_invitation_changelist")

    by_person = client.get(url, {"q": '"Anna A-chef"'})
    assert {i.session.title for i in by_person.context["cl"].result_list} == {
        "Hållen A",
        "Kommande A",
    }
    by_session = client.get(url, {"q": '"Kommande B"'})
    assert by_session.context["cl"].result_count == 4
    present = client.get(url, {"attendance__exact": "narvarande"})
    assert present.context["cl"].result_count == 8


def test_a_comment_on_a_forhinder_never_shows_nor_is_searched(client, world):
    coming = world["sides"]["a"]["coming"]
    invitation = Invitation.objects.get(session=coming, user=world["people"]["manager_a"])
    services.invitation_report_excuse(invitation=invitation, comment=PRIVATE)
    client.force_login(world["people"]["admin"])
    url = reverse("admin:training_sessions_invitation_changelist")

    pages = [
        client.get(url),
        client.get(url, {"forhinder": "ja"}),
        client.get(_invitation_url(invitation)),
        client.get(_change_url(coming)),
    ]
    searched = client.get(url, {"q": "PRIVAT-9d2e"})

    for page in pages:
        assert page.status_code == 200
        assert "PRIVAT-9d2e" not in page.content.decode()
    assert pages[1].context["cl"].result_count == 1  # the förhinder itself shows
    assert searched.context["cl"].result_count == 0
    assert client.get(url, {"excuse_comment__icontains": "PRIVAT"}).status_code == 400


@pytest.mark.parametrize("actor", ["coach_a", "hr", "manager_a"])
def test_coaches_hr_and_managers_are_refused(client, world, actor):
    session = world["sides"]["a"]["coming"]
    invitation = session.invitations.first()
    client.force_login(world["people"][actor])
    urls = [
        reverse("admin:training_sessions_trainingsession_changelist"),
        _change_url(session),
        reverse("admin:training_sessions_invitation_changelist"),
        _invitation_url(invitation),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
    client.post(_change_url(session), _form(session, place="Någon annanstans"))
    client.post(_invitation_url(invitation), {"attendance": "franvarande", "_save": "Spara"})
    session.refresh_from_db()
    invitation.refresh_from_db()
    assert session.place != "Någon annanstans"
    assert invitation.attendance == ""


def test_nothing_is_added_or_deleted_here(client, world):
    session = world["sides"]["a"]["coming"]
    client.force_login(world["people"]["admin"])

    assert client.get(reverse("admin:training_sessions_trainingsession_add")).status_code == 403
    assert client.get(reverse("admin:training_sessions_invitation_add")).status_code == 403
    deleted = client.post(
        reverse("admin:training_sessions_trainingsession_delete", args=[session.pk]),
        {"post": "yes"},
    )
    assert deleted.status_code == 403
    assert TrainingSession.objects.filter(pk=session.pk).exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_make_as_many_queries_with_more_sessions_and_invitations(client, world):
    from tests.factories import InvitationFactory, TrainingSessionFactory

    client.force_login(world["people"]["admin"])
    sessions = reverse("admin:training_sessions_trainingsession_changelist")
    invitations = reverse("admin:training_sessions_invitation_changelist")
    before = _queries(client, sessions), _queries(client, invitations)

    for _ in range(10):
        InvitationFactory(session=TrainingSessionFactory(coaches=[CoachFactory()]))

    assert (_queries(client, sessions), _queries(client, invitations)) == before
