"""The iCalendar invitations: what Outlook and Google Calendar read."""

from datetime import UTC, datetime

from icalendar import Calendar

from sessions import calendar, services
from tests.factories import CohortFactory
from tests.training_sessions.conftest import at, session_data


def _parse(data: bytes):
    parsed = Calendar.from_ical(data)
    [event] = parsed.walk("VEVENT")
    return parsed, event


def test_invitation_has_method_uid_organizer_attendee_and_stockholm_timezone(
    schedule_world, coach, manager
):
    session = schedule_world["session"]

    parsed, event = _parse(calendar.invitation_ics(session, manager))

    assert parsed["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{session.uid}@ledarskap.kungsor.se"
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == f"mailto:{coach.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{manager.email}"
    assert event["ATTENDEE"].params["CN"] == manager.full_name
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 3, 10, 13, 0)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert event["SUMMARY"] == "Leda sig själv, del 1"
    assert event["LOCATION"] == "Lilla salen"


def test_a_session_the_monday_after_the_switch_to_summer_time_is_in_local_time(db, coach):
    cohort = CohortFactory(coaches=[coach])
    # Summer time starts on Sunday 28 March 2027; the session is on Monday at 09:00.
    session = services.session_create(
        data=session_data(
            cohort=cohort,
            coaches=[coach],
            starts_at=at(2027, 3, 29, 9),
            ends_at=at(2027, 3, 29, 12),
        ),
        created_by=coach,
    )

    _, event = _parse(calendar.invitation_ics(session, coach))
    text = calendar.invitation_ics(session, coach).decode()

    assert "DTSTART;TZID=Europe/Stockholm:20270329T090000" in text
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 2 * 3600
    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_cancellation_has_method_cancel_the_same_uid_and_a_higher_sequence(schedule_world, manager):
    session = schedule_world["session"]
    first_uid = str(_parse(calendar.invitation_ics(session, manager))[1]["UID"])

    cancelled = services.session_cancel(session=session)
    parsed, event = _parse(calendar.invitation_ics(cancelled, manager, method="CANCEL"))

    assert parsed["METHOD"] == "CANCEL"
    assert str(event["UID"]) == first_uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"


def test_feed_lists_sessions_without_a_method(schedule_world):
    session = schedule_world["session"]

    parsed = Calendar.from_ical(calendar.feed_ics([session], name="Mina träffar"))

    assert "METHOD" not in parsed
    assert len(parsed.walk("VEVENT")) == 1
