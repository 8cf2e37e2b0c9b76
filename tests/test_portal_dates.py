"""{% load portal_dates %}: the date and time filters give exactly Django's output."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone, translation

FORMATS = [
    "l j F Y",
    "j F Y",
    "j F",
    "F Y",
    "D",
    "W",
    "Y-m-d",
    "H:i",
    "G.i:s",
    "d/m/y, N b M E n",
    r"\v\e\c\k\a W, \k\l H:i",
    "jS F Y",  # S is not handled here: Django's own filter
    "c",
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "TIME_FORMAT",
    "",
]
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
VALUES = [
    datetime.date(2026, 1, 1),
    datetime.date(2027, 12, 31),
    datetime.date(2024, 2, 29),
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # the night clocks go forward
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),  # and back
    datetime.datetime(2026, 11, 27, 23, 5, 9, tzinfo=datetime.UTC),  # another day in Sweden
    datetime.datetime(2026, 6, 1, 8, 0, tzinfo=STOCKHOLM),
    datetime.datetime(2026, 6, 1, 8, 0),  # naive
    datetime.time(7, 5, 3),
    None,
    "",
    "2026-01-01",
]


def _render(source: str, value, fmt) -> str:
    return engines["django"].from_string(source).render({"value": value, "fmt": fmt})


def _outcome(source: str, value, fmt) -> str:
    """The output, or the error (a time format on a date is an error in Django too)."""
    try:
        return _render(source, value, fmt)
    except TypeError as error:
        return f"TypeError: {error}"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("name", ["date", "time"])
def test_the_filters_give_djangos_output(language, name):
    with translation.override(language), timezone.override(STOCKHOLM):
        for fmt in [*FORMATS, None]:
            for value in VALUES:
                arg = "" if fmt is None else ":fmt"
                ours = _outcome(f"{{% load portal_dates %}}{{{{ value|{name}{arg} }}}}", value, fmt)
                djangos = _outcome(f"{{{{ value|{name}{arg} }}}}", value, fmt)
                assert ours == djangos, (fmt, value)


def test_a_time_format_on_a_date_fails_as_in_django():
    for source in ("{% load portal_dates %}{{ value|date:'H:i' }}", "{{ value|date:'H:i' }}"):
        with pytest.raises(TypeError):
            _render(source, datetime.date(2026, 1, 1), None)
