"""iCalendar (RFC 5545) for sessions: invitations, updates, cancellations and feeds."""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from sessions.models import SessionSeries, TrainingSession

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


def series_uid(series: SessionSeries) -> str:
    """The UID of the one recurring event a series is sent as: stable, and unique here."""
    return f"serie-{series.pk}-{series.created_at:%Y%m%dT%H%M%S}@{settings.CALENDAR_UID_DOMAIN}"


def is_series_occurrence(session: TrainingSession) -> bool:
    """The session was sent as an occurrence of its series' recurring invitation, so what
    is sent about it later names the series' UID and the occurrence's RECURRENCE-ID."""
    return session.series_id is not None and session.recurrence_id is not None


def _portal_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def session_url(session: TrainingSession) -> str:
    return _portal_url("training_sessions:session-detail", session.pk)


def calendar_address(email: str, name: str, **params) -> vCalAddress:
    """A calendar user (ORGANIZER, ATTENDEE) with its CN and parameters."""
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(
    session: TrainingSession,
    *,
    attendees: Iterable = (),
    cancelled: bool = False,
    uid: str | None = None,
    recurrence_id: datetime | None = None,
    link: str | None = None,
) -> Event:
    event = Event()
    event.add("uid", uid or session_uid(session))
    if recurrence_id is not None:
        event.add("recurrence-id", recurrence_id.astimezone(STOCKHOLM))
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
    link = link or session_url(session)
    # Every calendar shows the description; not every one shows URL.
    in_portal = _("In Ledarskapsportalen: %(url)s") % {"url": link}
    event.add("description", f"{description}\n\n{in_portal}".strip())
    event.add("url", link)
    coaches = list(session.coaches.all())
    if coaches:
        event.add("organizer", calendar_address(coaches[0].email, coaches[0].full_name))
    else:
        event.add(
            "organizer", calendar_address(settings.CALENDAR_ORGANIZER_EMAIL, "Ledarskapsportalen")
        )
    for user in attendees:
        event.add(
            "attendee",
            calendar_address(
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


def new_calendar(method: str | None) -> Calendar:
    """An empty calendar with our PRODID and the Stockholm VTIMEZONE, with METHOD if given."""
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
    """One session for one attendee: METHOD:REQUEST (new or changed) or METHOD:CANCEL.

    A session sent as part of its series' recurring invitation is that event's occurrence:
    the series' UID, and the RECURRENCE-ID of the start the rule gave it (RFC 5546 3.2.2
    and 3.2.5), so a changed date moves that one occurrence and a cancellation removes it.
    """
    calendar = new_calendar(method)
    occurrence = {}
    if is_series_occurrence(session):
        occurrence = {"uid": series_uid(session.series), "recurrence_id": session.recurrence_id}
    calendar.add_component(
        _event(session, attendees=[user], cancelled=method == "CANCEL", **occurrence)
    )
    return calendar.to_ical()


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def series_invitation_ics(
    series: SessionSeries, sessions: list[TrainingSession], user, *, skipped: Iterable[date] = ()
) -> bytes:
    """The whole series as one recurring event for one attendee (METHOD:REQUEST): every
    `interval_weeks` weeks on the first session's weekday and time until the last session,
    the `skipped` days (holidays) as EXDATE, and a RECURRENCE-ID occurrence for each session
    that is no longer where the rule put it."""
    first, last = sessions[0], sessions[-1]
    starts = timezone.localtime(first.starts_at, STOCKHOLM)
    uid = series_uid(series)
    master = _event(
        first, attendees=[user], uid=uid, link=_portal_url("training_sessions:my-sessions")
    )
    master.add(
        "rrule",
        {
            "freq": "weekly",
            "interval": series.interval_weeks,
            "byday": WEEKDAYS[starts.weekday()],
            # With a DTSTART in a time zone, UNTIL is in UTC (RFC 5545 3.3.10).
            "until": last.recurrence_id.astimezone(UTC),
        },
    )
    exdates = [
        datetime.combine(day, starts.time(), tzinfo=STOCKHOLM)
        for day in sorted(skipped)
        if first.starts_at
        < datetime.combine(day, starts.time(), tzinfo=STOCKHOLM)
        < last.recurrence_id
    ]
    if exdates:
        master.add("exdate", exdates)
    calendar = new_calendar("REQUEST")
    calendar.add_component(master)
    for session in sessions:
        moved = (session.starts_at, session.ends_at - session.starts_at) != (
            session.recurrence_id,
            first.ends_at - first.starts_at,
        )
        if session is not first and moved:
            calendar.add_component(
                _event(session, attendees=[user], uid=uid, recurrence_id=session.recurrence_id)
            )
    return calendar.to_ical()


# Other apps' events in a person's feed (the network groups' meetings). Those apps come after
# this one, which may not import them, so each registers its source when it is ready.
FeedSource = Callable[[object], Iterable[Event]]
_FEED_SOURCES: list[FeedSource] = []


def feed_source_register(source: FeedSource) -> None:
    """Add `source(user)`'s events to every person's feed; registering twice adds it once."""
    if source not in _FEED_SOURCES:
        _FEED_SOURCES.append(source)


def feed_other_events(user) -> list[Event]:
    return [event for source in _FEED_SOURCES for event in source(user)]


def feed_ics(
    sessions: Iterable[TrainingSession], *, name: str, other_events: Iterable[Event] = ()
) -> bytes:
    """A subscription feed: every session (and `other_events`), no METHOD (RFC 5545
    published calendar)."""
    calendar = new_calendar(None)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for session in sessions:
        calendar.add_component(_event(session))
    for event in other_events:
        calendar.add_component(event)
    return calendar.to_ical()
