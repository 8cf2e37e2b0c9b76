"""The few figures on HR's start page, each beside the figure it is compared with.

Every figure is the dashboard's own (reports.selectors.dashboard) for a period the start
page names, taken from the counted dashboard kept in reports.cache: the same period on the
dashboard shows the same number, and the start page reads what was made of the count
without counting again.

- Attendance and repetition answers: this year so far (1 January to today), compared with
  the same days last year (1 January to the same date a year ago).
- Sick leave: the latest month with figures in the dashboard's default view (the last
  twelve months), compared with the month before it.
- Coverage (reports.coverage): today, compared with the same date a month ago, and today's
  per förvaltning. They are made with the default view's count, so they are counted again
  as often as the dashboard is.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from reports import cache
from reports.coverage import Coverage, coverage_on, outside_per_forvaltning
from reports.forms import Filters, default_period
from reports.models import SickLeaveImport
from reports.selectors import Dashboard

# Part of the key the start page's figures are kept under: a change in what is kept here
# is not read from figures kept before it.
VERSION = "2"


def year_to_date(today: date) -> Filters:
    return Filters(since=date(today.year, 1, 1), until=today)


def same_days_last_year(today: date) -> Filters:
    """1 January last year to the same date last year (28 February for a 29th)."""
    year = today.year - 1
    day = min(today.day, 28) if today.month == 2 else today.day
    return Filters(since=date(year, 1, 1), until=date(year, today.month, day))


def default_view(today: date) -> Filters:
    return Filters(*default_period(today))


def month_before(day: date) -> date:
    """The same date a month earlier (the month's last day where it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Participation:
    """One period's attendance and repetition answers, as the dashboard's total has them
    (answers HIDDEN where the small-group rule hides them)."""

    filters: Filters
    managers: int
    invited: int
    present: int
    attendance_rate: float | None
    steps_sent: object
    steps_answered: object
    response_rate: object
    computed_at: datetime | None


def participation_of(board: Dashboard) -> Participation:
    total = board.total
    return Participation(
        filters=board.filters,
        managers=total.managers,
        invited=total.figures["invited"],
        present=total.figures["present"],
        attendance_rate=total.attendance_rate,
        steps_sent=total.value("steps_sent"),
        steps_answered=total.value("steps_answered"),
        response_rate=total.response_rate,
        computed_at=board.computed_at,
    )


@dataclass(frozen=True)
class SickLeaveMonth:
    month: date
    employees: object  # a number, or HIDDEN_STAFF
    sick_rate: object


@dataclass(frozen=True)
class SickLeaveLatest:
    """The whole organisation's sick leave in the latest month with figures and the month
    before (None where there is none), with the small-group rule already applied."""

    latest: SickLeaveMonth | None
    before: SickLeaveMonth | None
    computed_at: datetime | None


def sick_leave_of(board: Dashboard) -> SickLeaveLatest:
    months = {row["month"]: row for row in board.sick_leave.months}
    latest = board.sick_leave.latest_month
    if latest is None or latest not in months:
        return SickLeaveLatest(None, None, board.computed_at)
    previous = month_before(latest).replace(day=1)

    def month(day) -> SickLeaveMonth | None:
        row = months.get(day)
        if row is None or row["employees"] is None:
            return None
        return SickLeaveMonth(day, row["employees"], row["sick_rate"])

    return SickLeaveLatest(month(latest), month(previous), board.computed_at)


@dataclass(frozen=True)
class StartFigures:
    today: date
    coverage: Coverage
    coverage_before: Coverage
    this_year: Participation
    last_year: Participation
    sick_leave: SickLeaveLatest
    per_forvaltning: list[dict]  # reports.coverage.outside_per_forvaltning, today

    @property
    def computed_at(self) -> datetime | None:
        """When the oldest of the figures was counted."""
        stamps = [
            s
            for s in (
                self.this_year.computed_at,
                self.last_year.computed_at,
                self.sick_leave.computed_at,
            )
            if s
        ]
        return min(stamps) if stamps else None


def start_figures(today: date | None = None) -> StartFigures:
    """HR's start-page figures, made from the kept dashboards (counted now if not kept)."""
    today = today or timezone.localdate()
    parts = ("start-hr", VERSION, today.isoformat())
    default = default_view(today)
    coverage, coverage_before = cache.made_from_dashboard(
        default,
        (*parts, "coverage"),
        lambda board: tuple(coverage_on([today, month_before(today)], today)),
    )
    per_forvaltning = cache.made_from_dashboard(
        default, (*parts, "per-forvaltning"), lambda board: outside_per_forvaltning()
    )
    sick_leave = cache.made_from_dashboard(default, (*parts, "sick-leave"), sick_leave_of)
    this_year = cache.made_from_dashboard(
        year_to_date(today), (*parts, "participation"), participation_of
    )
    last_year = cache.made_from_dashboard(
        same_days_last_year(today), (*parts, "participation"), participation_of
    )
    return StartFigures(
        today=today,
        coverage=coverage,
        coverage_before=coverage_before,
        this_year=this_year,
        last_year=last_year,
        sick_leave=sick_leave,
        per_forvaltning=per_forvaltning,
    )


def sick_leave_import_latest() -> datetime | None:
    """When the latest sick-leave file was applied, or None."""
    return (
        SickLeaveImport.objects.filter(status=SickLeaveImport.Status.APPLIED)
        .order_by("-applied_at")
        .values_list("applied_at", flat=True)
        .first()
    )
