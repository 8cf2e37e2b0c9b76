"""Invitations, updates and cancellations travel through the outbox, a real worker and SMTP."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from sessions import services
from tests.factories import CoachFactory, CohortFactory, ManagerFactory
from tests.training_sessions.conftest import at, session_data

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _calendar(email) -> Calendar:
    [part] = [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "inbjudan.ics"
    return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")


def test_invitation_update_and_cancellation_reach_the_calendar(celery_worker_process, smtp_sink):
    coach = CoachFactory(email="tranare.ics@kungsor.test")
    invitee = ManagerFactory(email="chef.ics@kungsor.test", full_name="Ida Inbjuden")
    cohort = CohortFactory(coaches=[coach], members=[invitee])
    data = session_data(
        cohort=cohort, coaches=[coach], starts_at=at(2027, 4, 7, 13), ends_at=at(2027, 4, 7, 16)
    )

    session = services.session_create(data=data, created_by=coach)
    [invitation] = smtp_sink.wait_for(invitee.email)
    data.place = "Stora salen"
    services.session_update(session=session, data=data)
    [_, update] = smtp_sink.wait_for(invitee.email, count=2)
    services.session_cancel(session=session, undo_window=timedelta(0))
    [_, _, cancellation] = smtp_sink.wait_for(invitee.email, count=3)

    subjects = [m["Subject"] for m in (invitation, update, cancellation)]
    assert subjects == [
        "Inbjudan: Träff 7 april",
        "Ändrad: Träff 7 april",
        "Inställd: Träff 7 april",
    ]
    calendars = [_calendar(m) for m in (invitation, update, cancellation)]
    methods = [str(cal["METHOD"]) for cal, _ in calendars]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert [param for _, param in calendars] == methods
    events = [cal.walk("VEVENT")[0] for cal, _ in calendars]
    assert len({str(event["UID"]) for event in events}) == 1
    assert [event["SEQUENCE"] for event in events] == [0, 1, 2]
    assert str(events[1]["LOCATION"]) == "Stora salen"
    for cal, _ in calendars:
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "Hej Ida," in invitation.get_body(preferencelist=("plain",)).get_content()
