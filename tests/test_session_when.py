"""{{ session|when }}: a session's day and times as a person reads them, in Swedish time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import timezone, translation

from sessions.models import TrainingSession

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("language", "start", "expected"),
    [
        # The night clocks go forward: 00:30 + 2 h of real time is 03:30 on the wall.
        (
            "sv",
            datetime(2026, 3, 29, 0, 30, tzinfo=STOCKHOLM),
            "söndag 29 mars 2026, 00:30–03:30",
        ),
        # And back: 02:30 UTC is 03:30 in Sweden, winter time.
        ("sv", datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "söndag 25 oktober 2026, 03:30–05:30"),
        # A new year in Sweden while it is still the old one in UTC.
        ("sv", datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "fredag 1 januari 2027, 00:00–02:00"),
        ("sv", datetime(2027, 6, 7, 9, 5, tzinfo=STOCKHOLM), "måndag 7 juni 2027, 09:05–11:05"),
        ("en", datetime(2027, 6, 7, 9, 5, tzinfo=STOCKHOLM), "Monday 7 June 2027, 09:05–11:05"),
    ],
)
def test_when_gives_the_day_and_times_in_swedish_time(language, start, expected):
    start = start.astimezone(UTC)  # as the database gives it
    session = TrainingSession(starts_at=start, ends_at=start + timedelta(hours=2))
    template = engines["django"].from_string("{% load session_when %}{{ session|when }}")
    with translation.override(language), timezone.override(STOCKHOLM):
        assert template.render({"session": session}) == expected
