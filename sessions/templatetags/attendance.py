"""Attendance signals for pages outside this app (the programme's cohort page)."""

from django import template

from sessions import selectors

register = template.Library()


@register.simple_tag
def absence_streaks(cohort) -> dict[int, int]:
    """Members with two or more absences in a row, as user id -> streak."""
    return selectors.absence_streaks(cohort)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
