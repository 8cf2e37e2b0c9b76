"""HR's start page in words: each figure, what it is compared with, and where to read more.
Numbers go through reports.rounding (percentages) and the dashboard's display (counts and
figures hidden by the small-group rule), as on the dashboard."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reports.coverage import Coverage
from reports.rounding import percent, percent_text
from reports.selectors import is_hidden
from reports.start_figures import Participation, SickLeaveMonth, StartFigures
from reports.tables import display

# An import older than this is flagged: "a month" read as 31 days, the longest month.
STALE_AFTER = timedelta(days=31)


@dataclass
class Card:
    anchor: str
    title: str
    value: str
    detail: str
    trend: str
    url: str
    link_text: str


def _day(day: date) -> str:
    return formats.date_format(day, "j F Y")


def _count(n: int) -> str:
    return display(n, "count")


def _change(now, before) -> str:
    """The difference of two rates in percentage points, as the page rounds them."""
    points = percent(now) - percent(before)
    if points == 0:
        return _("unchanged")
    text = formats.number_format(abs(points), 1)
    if points > 0:
        return _("up %(points)s percentage points") % {"points": text}
    return _("down %(points)s percentage points") % {"points": text}


def _dashboard_url(participation: Participation | None, anchor: str) -> str:
    url = reverse("reports:dashboard")
    if participation is not None:
        filters = participation.filters
        url += "?" + urlencode(
            {"since": filters.since.isoformat(), "until": filters.until.isoformat()}
        )
    return f"{url}#{anchor}"


def coverage_card(now: Coverage, before: Coverage) -> Card:
    card = Card(
        anchor="coverage",
        title=_("Managers in a training group"),
        value="–",
        detail=_("No managers are registered yet."),
        trend="",
        url=reverse("reports:coverage"),
        link_text=_("Managers in no training group"),
    )
    if not now.managers:
        return card
    card.value = _("%(in_group)s of %(managers)s") % {
        "in_group": _count(now.in_group),
        "managers": _count(now.managers),
    }
    card.detail = _(
        "%(rate)s of the active managers are in an active training group; %(outside)s are in none."
    ) % {"rate": percent_text(now.rate), "outside": _count(now.outside)}
    if before.managers:
        card.trend = _(
            "A month ago (%(day)s): %(in_group)s of %(managers)s, %(rate)s (%(change)s)."
        ) % {
            "day": _day(before.day),
            "in_group": _count(before.in_group),
            "managers": _count(before.managers),
            "rate": percent_text(before.rate),
            "change": _change(now.rate, before.rate),
        }
    else:
        card.trend = _("A month ago (%(day)s) there were no managers to compare with.") % {
            "day": _day(before.day)
        }
    return card


def _last_year_words(last: Participation) -> str:
    return _("Same days last year (%(since)s – %(until)s)") % {
        "since": _day(last.filters.since),
        "until": _day(last.filters.until),
    }


def attendance_card(this: Participation, last: Participation) -> Card:
    card = Card(
        anchor="attendance",
        title=_("Attendance this year"),
        value="–",
        detail=_("No sessions have been held this year yet."),
        trend="",
        url=_dashboard_url(this, "table-oversikt"),
        link_text=_("Attendance on the dashboard"),
    )
    if this.attendance_rate is not None:
        card.value = percent_text(this.attendance_rate)
        card.detail = _(
            "%(present)s present of %(invited)s invited to sessions held since %(since)s."
        ) % {
            "present": _count(this.present),
            "invited": _count(this.invited),
            "since": _day(this.filters.since),
        }
    if last.attendance_rate is None:
        card.trend = _("%(period)s: no sessions were held.") % {"period": _last_year_words(last)}
    else:
        change = (
            f" ({_change(this.attendance_rate, last.attendance_rate)})"
            if this.attendance_rate is not None
            else ""
        )
        card.trend = _("%(period)s: %(rate)s%(change)s.") % {
            "period": _last_year_words(last),
            "rate": percent_text(last.attendance_rate),
            "change": change,
        }
    return card


def response_card(this: Participation, last: Participation) -> Card:
    card = Card(
        anchor="repetition",
        title=_("Repetition steps answered this year"),
        value="–",
        detail=_("No repetition steps have been sent this year yet."),
        trend="",
        url=_dashboard_url(this, "table-oversikt"),
        link_text=_("Repetition on the dashboard"),
    )
    if is_hidden(this.response_rate) and this.managers:
        card.value = display(this.response_rate, "rate")
        card.detail = _(
            "Shown only when at least 5 managers are counted, so that no one's answers can be "
            "worked out."
        )
        return card
    if this.response_rate is not None and not is_hidden(this.response_rate):
        card.value = percent_text(this.response_rate)
        card.detail = _("%(answered)s of %(sent)s steps sent since %(since)s were answered.") % {
            "answered": _count(this.steps_answered),
            "sent": _count(this.steps_sent),
            "since": _day(this.filters.since),
        }
    if is_hidden(last.response_rate) or last.response_rate is None:
        card.trend = _("%(period)s: no steps to compare with.") % {"period": _last_year_words(last)}
    else:
        change = (
            f" ({_change(this.response_rate, last.response_rate)})"
            if this.response_rate is not None and not is_hidden(this.response_rate)
            else ""
        )
        card.trend = _("%(period)s: %(rate)s%(change)s.") % {
            "period": _last_year_words(last),
            "rate": percent_text(last.response_rate),
            "change": change,
        }
    return card


def _month(day: date) -> str:
    return formats.date_format(day, "F Y")


def _sick_value(month: SickLeaveMonth) -> str:
    if is_hidden(month.sick_rate):
        return display(month.sick_rate, "rate")
    return percent_text(month.sick_rate) if month.sick_rate is not None else "–"


def sick_leave_card(figures: StartFigures) -> Card:
    latest, before = figures.sick_leave.latest, figures.sick_leave.before
    card = Card(
        anchor="sick-leave",
        title=_("Sick leave"),
        value="–",
        detail=_("No sick-leave figures for the last twelve months have been imported."),
        trend="",
        url=_dashboard_url(None, "sick-leave-heading"),
        link_text=_("Sick leave on the dashboard"),
    )
    if latest is None:
        return card
    card.title = _("Sick leave, %(month)s") % {"month": _month(latest.month)}
    card.value = _sick_value(latest)
    if is_hidden(latest.employees):
        card.detail = _("Groups of 10 employees or fewer are never shown.")
    else:
        card.detail = _("%(employees)s employees in the figures.") % {
            "employees": _count(latest.employees)
        }
    if before is None:
        card.trend = _("No figures for the month before to compare with.")
    else:
        comparable = not is_hidden(latest.sick_rate) and not is_hidden(before.sick_rate)
        comparable = comparable and None not in (latest.sick_rate, before.sick_rate)
        change = f" ({_change(latest.sick_rate, before.sick_rate)})" if comparable else ""
        card.trend = _("The month before (%(month)s): %(rate)s%(change)s.") % {
            "month": _month(before.month),
            "rate": _sick_value(before),
            "change": change,
        }
    return card


def cards(figures: StartFigures) -> list[Card]:
    return [
        coverage_card(figures.coverage, figures.coverage_before),
        attendance_card(figures.this_year, figures.last_year),
        response_card(figures.this_year, figures.last_year),
        sick_leave_card(figures),
    ]


@dataclass
class ImportState:
    title: str
    applied_at: datetime | None
    stale: bool
    url: str
    link_text: str


def import_state(title: str, applied_at: datetime | None, url: str, link_text: str):
    stale = applied_at is None or timezone.now() - applied_at > STALE_AFTER
    return ImportState(title, applied_at, stale, url, link_text)


# The förvaltningar shown on the start page: those with most managers still to place.
FORVALTNINGAR_SHOWN = 10


def most_outside(per_forvaltning: list[dict]) -> list[dict]:
    """The förvaltningar with most managers in no training group first (then by name), at
    most FORVALTNINGAR_SHOWN, each with its coverage as the page reads it."""
    rows = sorted(
        per_forvaltning, key=lambda r: (-r["outside"], r["name"] is None, r["name"] or "")
    )
    return [
        {
            **row,
            "in_group": row["managers"] - row["outside"],
            "rate": percent_text((row["managers"] - row["outside"]) / row["managers"]),
        }
        for row in rows[:FORVALTNINGAR_SHOWN]
    ]
