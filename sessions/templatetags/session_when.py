"""`{{ session|when }}`: "torsdag 26 november 2026, 13:00–16:00", the session's day and
times in the current time zone and language, on pages and in emails alike."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def when(session) -> str:
    """{{ starts|date:"l j F Y" }}, {{ starts|time:"H:i" }}–{{ ends|time:"H:i" }}"""
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    day = date_format(starts, "l j F Y")
    return f"{day}, {date_format(starts, 'H:i')}–{date_format(ends, 'H:i')}"
