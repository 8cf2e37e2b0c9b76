"""A series is sent as one recurring invitation per person (RRULE, EXDATE for the holidays
it skips), and a later change to one session as that occurrence (RECURRENCE-ID): read as
Thunderbird's parser (ical.js) and vobject read it, from what a real SMTP server received."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from notifications import services as outbox
from notifications.models import OutboxMessage
from sessions import calendar, services
from sessions.series import series_dates
from tests.support.calendar_readers import read_with_icaljs, read_with_vobject
from tests.training_sessions.conftest import at, session_data

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def deliver_to_sink(settings, smtp_sink):
    settings.NOTIFICATIONS_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    smtp_sink.clear()
    return smtp_sink


def _received(sink, address: str, about: str = "Tematräff") -> list:
    """What `address` received about sessions titled `about`, in order."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        assert outbox.outbox_deliver(message_id=pk) == OutboxMessage.Status.SENT
    return [m for m in sink.to(address) if about in m["Subject"]]


def _ics(message) -> bytes:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True)


def _events_of(data: bytes) -> bytes:
    """The VEVENTs of a calendar file, to put beside another's as a client keeps them."""
    text = data.decode()
    return "".join(re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, re.S)).encode()


def _together(series_ics: bytes, *later: bytes) -> bytes:
    """The series and later messages about its occurrences, in one calendar."""
    return series_ics.replace(
        b"END:VCALENDAR", b"".join(_events_of(m) for m in later) + b"END:VCALENDAR"
    )


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def spring_series(schedule_world, coach):
    """Thursdays at 13–16 from 18 March 2027, nine sessions: summer time starts on 28 March,
    and Ascension Day (6 May) is skipped."""
    template = session_data(
        cohort=schedule_world["cohort"],
        coaches=[coach],
        starts_at=at(2027, 3, 18, 13),
        ends_at=at(2027, 3, 18, 16),
        place="Kommunhuset",
        title="Tematräff",
    )
    dates, skipped = series_dates(
        first_date=date(2027, 3, 18), weekday=3, interval_weeks=1, count=9
    )
    assert [s.day for s in skipped] == [date(2027, 5, 6)]
    return services.series_create(
        plan=services.series_plan(template=template, dates=dates, skipped=skipped),
        interval_weeks=1,
        created_by=coach,
    )


SPRING_STARTS = [
    _utc(2027, 3, 18, 12),
    _utc(2027, 3, 25, 12),
    *(_utc(2027, month, day, 11) for month, day in [(4, 1), (4, 8), (4, 15), (4, 22), (4, 29)]),
    _utc(2027, 5, 13, 11),
    _utc(2027, 5, 20, 11),
]


def test_a_series_sends_each_member_one_recurring_invitation(
    deliver_to_sink, schedule_world, spring_series, manager
):
    [message] = _received(deliver_to_sink, manager.email)
    sessions = list(spring_series.sessions.order_by("starts_at"))

    assert message["Subject"].strip() == "Inbjudan: Tematräff, 9 träffar från 18 mars"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Torsdag 1 april 2027, 13:00–16:00" in text
    assert "Ingen träff torsdag 6 maj (helgdag)." in text
    for colleague in schedule_world["colleagues"]:
        assert len(_received(deliver_to_sink, colleague.email)) == 1

    method, [event] = read_with_icaljs(_ics(message))
    assert method == "REQUEST"
    assert [o.start for o in event.occurrences] == SPRING_STARTS
    assert [o.end - o.start for o in event.occurrences] == [timedelta(hours=3)] * 9
    assert [o.start for o in event.occurrences] == [s.starts_at for s in sessions]
    my_sessions = settings.SITE_URL + reverse("training_sessions:my-sessions")
    assert event.description.endswith(f"I Ledarskapsportalen: {my_sessions}")

    _, [read] = read_with_vobject(_ics(message))
    assert [o.start for o in read.occurrences] == SPRING_STARTS


def test_a_changed_date_and_a_cancelled_session_are_occurrences_of_the_series(
    deliver_to_sink, spring_series, coach, manager
):
    sessions = list(spring_series.sessions.order_by("starts_at"))
    third, fifth = sessions[2], sessions[4]
    services.session_update(
        session=third,
        data=session_data(
            cohort=third.cohort,
            coaches=[coach],
            starts_at=at(2027, 4, 2, 10),
            ends_at=at(2027, 4, 2, 12),
            place="Kommunhuset",
            title="Tematräff",
        ),
    )
    services.session_cancel(session=fifth, undo_window=timedelta(0))  # sent at once
    series_message, changed, cancelled = _received(deliver_to_sink, manager.email)

    assert changed["Subject"].strip() == "Ändrad: Tematräff 2 april"
    for message, method in [(changed, "REQUEST"), (cancelled, "CANCEL")]:
        for read in (read_with_icaljs, read_with_vobject):
            got_method, [event] = read(_ics(message))
            assert got_method == method
            assert event.uid == calendar.series_uid(spring_series)
    _, [moved] = read_with_icaljs(_ics(changed))
    assert moved.recurrence_id == _utc(2027, 4, 1, 11)
    assert (moved.start, moved.end) == (_utc(2027, 4, 2, 8), _utc(2027, 4, 2, 10))
    third_url = settings.SITE_URL + reverse("training_sessions:session-detail", args=[third.pk])
    assert moved.description.endswith(f"I Ledarskapsportalen: {third_url}")

    # As a calendar holds them together: the third moved, the fifth cancelled.
    _, [series, *_] = read_with_icaljs(
        _together(_ics(series_message), _ics(changed), _ics(cancelled))
    )
    shown = [(o.start, o.status) for o in series.occurrences]
    assert shown[2] == (_utc(2027, 4, 2, 8), "CONFIRMED")
    assert shown[4] == (_utc(2027, 4, 15, 11), "CANCELLED")
    moved_and_kept = [*SPRING_STARTS[:2], _utc(2027, 4, 2, 8), SPRING_STARTS[3], *SPRING_STARTS[5:]]
    assert [start for start, status in shown if status == "CONFIRMED"] == moved_and_kept


def test_a_single_session_invitation_links_back_to_the_session(
    deliver_to_sink, schedule_world, manager
):
    session = schedule_world["session"]
    [message] = _received(deliver_to_sink, manager.email, about=session.title)
    url = settings.SITE_URL + reverse("training_sessions:session-detail", args=[session.pk])

    assert f"Träffen i portalen: {url}" in message.get_body(("plain",)).get_content()
    for read in (read_with_icaljs, read_with_vobject):
        _, [event] = read(_ics(message))
        assert event.uid == calendar.session_uid(session)
        assert event.recurrence_id is None
        assert event.description == f"I Ledarskapsportalen: {url}"
