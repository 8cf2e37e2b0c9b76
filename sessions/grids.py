"""Week and month grids for the schedule: days from Monday, each with its sessions."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass
class Day:
    day: date
    in_period: bool
    sessions: list = field(default_factory=list)


@dataclass
class Grid:
    kind: str  # "vecka" or "manad"
    first: date
    last: date
    previous: date
    next: date
    days: list[Day]

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.days[0].day, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.days[-1].day + timedelta(days=1), time.min)
        )

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    def fill(self, sessions) -> "Grid":
        by_day = {d.day: d for d in self.days}
        for session in sessions:
            day = by_day.get(timezone.localtime(session.starts_at).date())
            if day is not None:
                day.sessions.append(session)
        return self


def week_grid(day: date) -> Grid:
    monday = day - timedelta(days=day.weekday())
    days = [Day(monday + timedelta(days=i), True) for i in range(7)]
    return Grid(
        "vecka",
        monday,
        monday + timedelta(days=6),
        monday - timedelta(weeks=1),
        monday + timedelta(weeks=1),
        days,
    )


def month_grid(day: date) -> Grid:
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    days = [
        Day(start + timedelta(days=i), first <= start + timedelta(days=i) <= last)
        for i in range((end - start).days + 1)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return Grid("manad", first, last, previous, last + timedelta(days=1), days)
