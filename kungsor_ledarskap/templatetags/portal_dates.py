"""`date` and `time` filters with exactly Django's output, in a fraction of the time.

`{% load portal_dates %}` replaces the built-in filters in that template. Django's format a
value through a general formatter (a regular expression over the format on every call, a
formatter object, the format looked up as a setting name first): at national scale a list
page formats a few hundred dates and that was a good part of its time. Here the format is
split once (and kept), and each value is formatted by a small function per format
character, with the same month and weekday names (django.utils.dates, translated into the
active language on each call, as Django does).

Only the common characters are handled here (day, weekday, month, year, ISO week, hour,
minute, second); any other format, a format setting's name (DATE_FORMAT, ...), an empty
or no format, or a value that is not a date or time goes to Django's own filter.
"""

import datetime
import re
from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import FORMAT_SETTINGS

register = template.Library()

# The same pattern as django.utils.dateformat: a format character not escaped by a backslash.
_FORMAT_CHARS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_ESCAPED = re.compile(r"\\(.)")

# Each as django.utils.dateformat.DateFormat / TimeFormat computes it (then str()).
_DATE_PARTS = {
    "b": lambda d: str(MONTHS_3[d.month]),
    "d": lambda d: f"{d.day:02d}",
    "D": lambda d: str(WEEKDAYS_ABBR[d.weekday()]),
    "E": lambda d: str(MONTHS_ALT[d.month]),
    "F": lambda d: str(MONTHS[d.month]),
    "j": lambda d: str(d.day),
    "l": lambda d: str(WEEKDAYS[d.weekday()]),
    "m": lambda d: f"{d.month:02d}",
    "M": lambda d: str(MONTHS_3[d.month]).title(),
    "n": lambda d: str(d.month),
    "N": lambda d: str(MONTHS_AP[d.month]),
    "W": lambda d: str(d.isocalendar().week),
    "y": lambda d: f"{d.year % 100:02d}",
    "Y": lambda d: f"{d.year:04d}",
}
_TIME_PARTS = {
    "G": lambda t: str(t.hour),
    "H": lambda t: f"{t.hour:02d}",
    "i": lambda t: f"{t.minute:02d}",
    "s": lambda t: f"{t.second:02d}",
}


@lru_cache(maxsize=256)
def _compile(format_string: str, parts: frozenset) -> tuple | None:
    """The format as a tuple of literal strings and part functions, or None when it uses
    a character not handled here (or is the name of a format setting)."""
    if not format_string or format_string in FORMAT_SETTINGS:
        return None
    compiled = []
    for i, piece in enumerate(_FORMAT_CHARS.split(format_string)):
        if i % 2:
            if piece not in parts:
                return None
            compiled.append(_DATE_PARTS.get(piece) or _TIME_PARTS[piece])
        elif piece:
            compiled.append(_ESCAPED.sub(r"\1", piece))
    return tuple(compiled)


_DATE_ONLY = frozenset(_DATE_PARTS)
_DATE_AND_TIME = frozenset(_DATE_PARTS) | frozenset(_TIME_PARTS)
_TIME_ONLY = frozenset(_TIME_PARTS)


def _format(value, compiled: tuple) -> str:
    return "".join(part if part.__class__ is str else part(value) for part in compiled)


def format_date(value: datetime.date, format_string: str) -> str:
    """dateformat.format(value, format_string) for a date, or a datetime already in local
    time, in the characters handled here (else Django's)."""
    compiled = _compile(format_string, _DATE_AND_TIME)
    if compiled is None:
        return defaultfilters.date(value, format_string)
    return _format(value, compiled)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter."""
    if isinstance(arg, str):  # a format in the template is a SafeString
        if value.__class__ is datetime.datetime:
            compiled = _compile(str(arg), _DATE_AND_TIME)
        elif value.__class__ is datetime.date:
            compiled = _compile(str(arg), _DATE_ONLY)
        else:
            compiled = None
        if compiled is not None:
            return _format(value, compiled)
    return defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    """Django's `time` filter."""
    if isinstance(arg, str) and value.__class__ in (datetime.datetime, datetime.time):
        compiled = _compile(str(arg), _TIME_ONLY)
        if compiled is not None:
            return _format(value, compiled)
    return defaultfilters.time(value, arg)
