"""Self check-in: only the right session's code, only while it is open, only the invited."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import Invitation, TrainingSession


def _move(session, *, starts_in: timedelta, hours: int = 3) -> TrainingSession:
    start = timezone.now() + starts_in
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=hours)
    )
    session.refresh_from_db()
    return session


def _attendance(session, user) -> str:
    return session.invitations.get(user=user).attendance


def test_typing_the_code_during_the_session_marks_present(client, schedule_world, manager):
    session = _move(schedule_world["session"], starts_in=timedelta(minutes=-20))
    client.force_login(manager)

    response = client.post(
        reverse("training_sessions:checkin"), {"code": session.checkin_code.lower()}, follow=True
    )

    assert "Du är incheckad på ”Leda sig själv, del 1”." in response.content.decode()
    assert _attendance(session, manager) == Invitation.Attendance.PRESENT


def test_the_window_opens_fifteen_minutes_before_the_start(schedule_world, manager):
    session = _move(schedule_world["session"], starts_in=timedelta(minutes=14))

    services.session_check_in(user=manager, code=session.checkin_code)

    assert _attendance(session, manager) == Invitation.Attendance.PRESENT


@pytest.mark.parametrize("starts_in", [timedelta(minutes=16), timedelta(hours=-4)])
def test_an_expired_or_not_yet_open_code_is_rejected(schedule_world, manager, starts_in):
    session = _move(schedule_world["session"], starts_in=starts_in)

    with pytest.raises(ValidationError, match="öppen från 15 minuter före start"):
        services.session_check_in(user=manager, code=session.checkin_code)
    assert _attendance(session, manager) == ""


def test_another_sessions_code_is_rejected(client, schedule_world, manager):
    session = _move(schedule_world["session"], starts_in=timedelta(minutes=-5))
    other = _move(schedule_world["other_session"], starts_in=timedelta(minutes=-5))
    client.force_login(manager)

    response = client.post(
        reverse("training_sessions:checkin-link", args=[session.pk, other.checkin_code]),
        follow=True,
    )

    assert "Koden hör inte till den här träffen." in response.content.decode()
    assert _attendance(session, manager) == ""


def test_a_manager_who_is_not_invited_is_told_so(schedule_world, other_manager):
    session = _move(schedule_world["session"], starts_in=timedelta(minutes=-5))

    with pytest.raises(ValidationError, match="inte inbjuden"):
        services.session_check_in(user=other_manager, code=session.checkin_code)


def test_the_qr_address_asks_before_checking_in(client, schedule_world, manager):
    session = _move(schedule_world["session"], starts_in=timedelta(minutes=-5))
    client.force_login(manager)
    url = reverse("training_sessions:checkin-link", args=[session.pk, session.checkin_code])

    page = client.get(url)
    assert "Bekräfta att du är på träffen." in page.content.decode()
    assert _attendance(session, manager) == ""

    client.post(url)
    assert _attendance(session, manager) == Invitation.Attendance.PRESENT


def test_only_the_coach_gets_the_qr_code(client, schedule_world, coach, manager):
    url = reverse("training_sessions:checkin-qr", args=[schedule_world["session"].pk])
    client.force_login(manager)
    assert client.get(url).status_code == 403

    client.force_login(coach)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")


def test_the_qr_code_is_an_svg_document_a_browser_can_show(client, schedule_world, coach):
    # An <svg> without its namespace is only HTML markup: as an image file it shows nothing.
    client.force_login(coach)
    url = reverse("training_sessions:checkin-qr", args=[schedule_world["session"].pk])

    root = ElementTree.fromstring(client.get(url).content)  # noqa: S314 (the portal's own output)

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) > 100
    assert root.find("{http://www.w3.org/2000/svg}title").text == "QR-kod för incheckning"
