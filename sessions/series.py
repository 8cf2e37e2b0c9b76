"""Dates for a series of sessions: every N weeks on a weekday, skipping holidays."""

from dataclasses import dataclass
from datetime import date, timedelta

from sessions.workdays import holiday_name

MAX_OCCURRENCES = 60


class TooManyDates(ValueError):
    """The rule gives more than MAX_OCCURRENCES sessions."""


@dataclass(frozen=True)
class SkippedDate:
    day: date
    reason: str


def series_dates(
    *,
    first_date: date,
    weekday: int,
    interval_weeks: int,
    until: date | None = None,
    count: int | None = None,
) -> tuple[list[date], list[SkippedDate]]:
    """The dates from the first `weekday` on or after `first_date`, every `interval_weeks`
    weeks, until `until` (inclusive) or until `count` sessions: holidays are skipped and do
    not count. At most MAX_OCCURRENCES dates."""
    if until is None and count is None:
        raise ValueError("a series needs an end date or a count")
    day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
    dates: list[date] = []
    skipped: list[SkippedDate] = []
    while True:
        if until is not None and day > until:
            break
        if count is not None and len(dates) >= count:
            break
        if len(dates) >= MAX_OCCURRENCES:
            raise TooManyDates
        name = holiday_name(day)
        if name:
            skipped.append(SkippedDate(day, name))
        else:
            dates.append(day)
        day += timedelta(weeks=interval_weeks)
    return dates, skipped
