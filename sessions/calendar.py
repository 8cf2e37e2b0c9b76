"""iCalendar (RFC 5545) for sessions: invitations, updates, cancellations and feeds."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from sessions.models import TrainingSession

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Kungsörs kommun//Ledarskapsportalen//SV"


def stockholm_vtimezone() -> Timezone:
    """Europe/Stockholm as two yearly rules, the way Outlook and Thunderbird write it.

    icalendar's `add_missing_timezones()` writes the zone as a list of dates that ends in
    2037, which Thunderbird's parser and vobject misread (summer sessions an hour wrong, and
    every session from 2038). The EU rule has held since 1996: summer time from the last
    Sunday of March at 02:00 to the last Sunday of October at 03:00. The rules start in 1970,
    as in Thunderbird's own zone data; no session is older than the portal.
    """
    zone = Timezone()
    zone.add("tzid", "Europe/Stockholm")
    zone.add("x-lic-location", "Europe/Stockholm")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


def session_uid(session: TrainingSession) -> str:
    return f"{session.uid}@{settings.CALENDAR_UID_DOMAIN}"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(session: TrainingSession, *, attendees: Iterable = (), cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", session.ends_at.astimezone(STOCKHOLM))
    event.add("summary", session.title)
    if session.place:
        event.add("location", session.place)
    description = session.description
    if session.key_points:
        description = f"{description}\n\n{session.key_points}".strip()
    if description:
        event.add("description", description)
    coaches = list(session.coaches.all())
    if coaches:
        event.add("organizer", _address(coaches[0].email, coaches[0].full_name))
    else:
        event.add("organizer", _address(settings.CALENDAR_ORGANIZER_EMAIL, "Ledarskapsportalen"))
    for user in attendees:
        event.add(
            "attendee",
            _address(
                user.email,
                user.full_name,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="FALSE",
            ),
        )
    status = "CANCELLED" if cancelled or session.is_cancelled else "CONFIRMED"
    event.add("status", status)
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    # Every time in our events is in Stockholm time (DTSTAMP is UTC): one zone, first.
    calendar.add_component(stockholm_vtimezone())
    return calendar


def invitation_ics(session: TrainingSession, user, *, method: str = "REQUEST") -> bytes:
    """One session for one attendee: METHOD:REQUEST (new or changed) or METHOD:CANCEL."""
    calendar = _calendar(method)
    calendar.add_component(_event(session, attendees=[user], cancelled=method == "CANCEL"))
    return calendar.to_ical()


def feed_ics(sessions: Iterable[TrainingSession], *, name: str) -> bytes:
    """A subscription feed: every session, no METHOD (RFC 5545 published calendar)."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()
