"""The working calendar reminders follow: working days only, at a set local time."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from sessions.workdays import is_working_day

# Looking further than this for a send day means the calendar settings exclude every day.
_MAX_LOOKAHEAD = 400


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def is_send_day(day: date) -> bool:
    """A working day (not a weekend, public holiday or de facto day off), and not in July
    when REMINDERS_SKIP_JULY is on."""
    if settings.REMINDERS_SKIP_JULY and day.month == 7:
        return False
    return is_working_day(day)


def roll_forward(day: date) -> date:
    """The day itself if reminders may go out on it, else the next day they may."""
    for _ in range(_MAX_LOOKAHEAD):
        if is_send_day(day):
            return day
        day += timedelta(days=1)
    raise ValueError("No day within a year is a send day")


def add_send_days(day: date, count: int) -> date:
    """`count` send days after `day` (2 from a Friday is the Tuesday, holidays skipped)."""
    for _ in range(count):
        day = roll_forward(day + timedelta(days=1))
    return day


def previous_send_day(day: date) -> date:
    """The last send day before `day`."""
    for _ in range(_MAX_LOOKAHEAD):
        day -= timedelta(days=1)
        if is_send_day(day):
            return day
    raise ValueError("No day within a year is a send day")


def send_time(day: date) -> datetime:
    """When reminders for `day` go out: the set local time (08:30) that day."""
    return datetime.combine(day, _clock(settings.REMINDERS_SEND_TIME), tzinfo=_local_zone())


def local_date(moment: datetime) -> date:
    return moment.astimezone(_local_zone()).date()


def may_send_now(moment: datetime) -> bool:
    """Reminders go out on send days between the send time and REMINDERS_SEND_UNTIL."""
    local = moment.astimezone(_local_zone())
    opens, closes = _clock(settings.REMINDERS_SEND_TIME), _clock(settings.REMINDERS_SEND_UNTIL)
    return is_send_day(local.date()) and opens <= local.time() < closes


def next_send_time(moment: datetime) -> datetime:
    """The first moment from `moment` on when reminders may go out."""
    if may_send_now(moment):
        return moment
    local = moment.astimezone(_local_zone())
    today = local.date()
    if is_send_day(today) and local.time() < _clock(settings.REMINDERS_SEND_TIME):
        return send_time(today)
    return send_time(roll_forward(today + timedelta(days=1)))


def send_day_after_pauses(base: date, pauses, *, anchor: date | None = None) -> date:
    """The send day for something planned on `base`, with the person's pauses counted.

    Each pause that overlaps the stretch from `anchor` (default: `base`) to the day pushes
    the day later by the pause's days within that stretch, so repetition steps, anchored at
    their session, keep their spacing: a two-week vacation moves every later step by two
    weeks. `pauses` are (starts_on, ends_on) pairs.
    """
    anchor = anchor or base
    pending = sorted(pauses)
    day = base
    while True:
        send_day = roll_forward(day)
        reaching = [(s, e) for s, e in pending if e >= anchor and s <= send_day]
        if not reaching:
            return send_day
        for pause in reaching:
            starts_on, ends_on = pause
            day += timedelta(days=(ends_on - max(starts_on, anchor)).days + 1)
            pending.remove(pause)
