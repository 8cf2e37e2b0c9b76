"""`{{ session|when }}`: "Torsdag 26 november 2026, 13:00–16:00", what
training_sessions/_session_when.html writes, in one filter for lists of sessions (the
include, with its three formatted dates, was a good part of a long list's time)."""

from django import template
from django.utils import timezone

from kungsor_ledarskap.templatetags.portal_dates import format_date

register = template.Library()


@register.filter
def when(session) -> str:
    """{{ starts|date:"l j F Y" }}, {{ starts|time:"H:i" }}–{{ ends|time:"H:i" }}"""
    here = timezone.get_current_timezone()
    starts = session.starts_at.astimezone(here)
    ends = session.ends_at.astimezone(here)
    return f"{format_date(starts, 'l j F Y')}, {starts:%H:%M}–{ends:%H:%M}"
