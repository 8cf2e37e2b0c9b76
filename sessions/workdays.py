"""Swedish public holidays (röda dagar) and the de facto days off (midsommarafton, julafton,
nyårsafton), from the maintained `holidays` library, with their Swedish names."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _year(year: int) -> dict[date, str]:
    return dict(
        holidays.Sweden(
            years=year, language="sv", categories=("public", "de_facto"), include_sundays=False
        )
    )


def holiday_name(day: date) -> str | None:
    """The day's Swedish holiday name, or None on an ordinary day."""
    return _year(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None
