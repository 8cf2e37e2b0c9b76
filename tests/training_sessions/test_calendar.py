"""The iCalendar invitations: what Outlook and Google Calendar read."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from sessions import calendar, services
from tests.factories import CohortFactory
from tests.support.calendar_readers import READERS
from tests.training_sessions.conftest import STOCKHOLM, at, session_data


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


# Summer and winter, this decade and after 2037 (where a list of dates would end).
SESSION_TIMES = [
    pytest.param(at(2027, 1, 14, 13), datetime(2027, 1, 14, 12, 0, tzinfo=UTC), id="winter-2027"),
    pytest.param(at(2027, 6, 17, 13), datetime(2027, 6, 17, 11, 0, tzinfo=UTC), id="summer-2027"),
    pytest.param(at(2040, 1, 12, 13), datetime(2040, 1, 12, 12, 0, tzinfo=UTC), id="winter-2040"),
    pytest.param(at(2040, 6, 14, 13), datetime(2040, 6, 14, 11, 0, tzinfo=UTC), id="summer-2040"),
    # The Monday after each switch.
    pytest.param(at(2040, 3, 26, 9), datetime(2040, 3, 26, 7, 0, tzinfo=UTC), id="spring-2040"),
    pytest.param(at(2040, 10, 29, 9), datetime(2040, 10, 29, 8, 0, tzinfo=UTC), id="autumn-2040"),
]


def _outputs(session, user) -> dict[str, bytes]:
    return {
        "invitation": calendar.invitation_ics(session, user),
        "cancellation": calendar.invitation_ics(session, user, method="CANCEL"),
        "feed": calendar.feed_ics([session], name="Mina träffar"),
    }


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("starts_at", "expected_utc"), SESSION_TIMES)
def test_other_calendar_clients_put_the_session_at_its_stockholm_time(
    db, coach, manager, reader, starts_at, expected_utc
):
    cohort = CohortFactory(coaches=[coach], members=[manager])
    session = services.session_create(
        data=session_data(
            cohort=cohort,
            coaches=[coach],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
        ),
        created_by=coach,
    )

    for kind, data in _outputs(session, manager).items():
        _, [event] = READERS[reader](data)
        assert (kind, event.start) == (kind, expected_utc)
        assert (kind, event.end) == (kind, expected_utc + timedelta(hours=2))


def test_the_time_zone_is_two_yearly_rules_as_outlook_writes_it(schedule_world, manager):
    for data in _outputs(schedule_world["session"], manager).values():
        [zone] = Calendar.from_ical(data).walk("VTIMEZONE")
        rules = {
            part.name: (part["TZOFFSETTO"].td, part["RRULE"].to_ical().decode())
            for part in zone.subcomponents
        }
        assert str(zone["TZID"]) == "Europe/Stockholm"
        assert "RDATE" not in data.decode()
        assert rules == {
            "STANDARD": (timedelta(hours=1), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
            "DAYLIGHT": (timedelta(hours=2), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
        }


def test_the_time_zone_rules_agree_with_the_time_zone_database_every_day_to_2060(db):
    """Read by vobject from our VTIMEZONE, noon of every day has Python's offset."""
    data = calendar.feed_ics([], name="Tom").decode()
    zone = vobject.readOne(io.StringIO(data)).vtimezone.gettzinfo()
    day, wrong = datetime(2026, 1, 1, 12), []
    while day.year < 2061:
        if day.replace(tzinfo=zone).utcoffset() != day.replace(tzinfo=STOCKHOLM).utcoffset():
            wrong.append(day.date())
        day += timedelta(days=1)
    assert wrong == []
