"""iCalendar for network meetings, on the sessions' path: the same Stockholm VTIMEZONE and
PRODID, one UID per meeting, a higher SEQUENCE for each change, CANCEL when called off."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from network import meeting_selectors
from network.models import Meeting
from sessions.calendar import STOCKHOLM, calendar_address, new_calendar


def meeting_uid(meeting: Meeting) -> str:
    return f"natverk-{meeting.uid}@{settings.CALENDAR_UID_DOMAIN}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("network:meeting-detail", args=[meeting.pk])


def meeting_title(meeting: Meeting) -> str:
    return _("Network meeting, group %(number)s") % {"number": meeting.group.number}


def meeting_event(meeting: Meeting, *, attendees: Iterable = (), cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    event.add("summary", meeting_title(meeting))
    event.add("location", meeting.place or meeting.link)
    link = meeting_url(meeting)
    # What the group will talk about stays in the portal, for its members: not in emails or
    # calendars, which others (an assistant, a shared calendar, the outbox) may read.
    lines = []
    if meeting.link:
        lines.append(_("Meeting link: %(url)s") % {"url": meeting.link})
    lines.append(_("In Ledarskapsportalen: %(url)s") % {"url": link})
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("url", link)
    proposer = meeting.proposed_by
    if proposer is not None:
        event.add("organizer", calendar_address(proposer.email, proposer.full_name))
    else:
        event.add(
            "organizer",
            calendar_address(settings.CALENDAR_ORGANIZER_EMAIL, "Ledarskapsportalen"),
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
    event.add("status", "CANCELLED" if cancelled or meeting.is_cancelled else "CONFIRMED")
    return event


def meeting_ics(meeting: Meeting, user, *, method: str = "REQUEST") -> bytes:
    """One meeting for one member: METHOD:REQUEST (new or changed) or METHOD:CANCEL."""
    calendar = new_calendar(method)
    calendar.add_component(meeting_event(meeting, attendees=[user], cancelled=method == "CANCEL"))
    return calendar.to_ical()


def feed_events(user) -> list[Event]:
    """The person's network meetings for their calendar feed (registered with sessions')."""

    return [meeting_event(meeting) for meeting in meeting_selectors.feed_meetings(user)]
