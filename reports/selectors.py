"""HR's figures. Every count is made in the database, grouped by the department managers are
placed in, in a fixed number of queries whatever the amount of data; the rows that come back
(one per department, training group or month) are then added up into the tables here.

Figures about reflections (journal entries, commitments, ledord ratings, answers to
repetition steps) are shown only for groups that reports.disclosure allows; attendance is
part of the job and is shown down to each manager.

Who is counted is fixed by the period, not by who is active today: a report about a period
counts the managers of that period, each in the department they were last placed in. A
manager deactivated during or after the period (a staff list without them, someone who
left) still counts there, in every figure and in the group sizes behind the small-group
rule; only someone deactivated before the period began does not (they could write nothing
in it). So deactivating one person, reading the same report again and importing them back
changes no figure and no group: the difference of two reads never isolates that person's
reflections (tests/reports/test_small_groups_property.py models it over time). A move to
another department or a changed manager role still moves a person's figures with them:
the portal keeps no history of where someone worked when they wrote.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, FloatField, Q, Subquery, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.roles import Role
from programme.models import CohortMembership
from reflections.models import Commitment, Entry, LedordRating
from reminders.models import Reminder
from reports.disclosure import Organisation, SafeCells, safe_cells
from reports.forms import Filters
from reports.models import SickLeaveFigure
from sessions.models import Invitation, TrainingSession

MIN_REFLECTION_GROUP = 5


class Hidden:
    """A figure that may not be shown (its group is too small); never a number."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        # Unpickled (from the cache) as the module's own object, so `is HIDDEN` holds.
        return self.name


# Reflection figures about fewer than 5 managers; sick leave of 10 employees or fewer.
HIDDEN = Hidden("HIDDEN")
HIDDEN_STAFF = Hidden("HIDDEN_STAFF")
# Averages of answers (reports.effekt): fewer than 5 people answered in the group, or the
# group is not a union of safe cells of those who answered (it would give a smaller one away).
HIDDEN_FEW_ANSWERS = Hidden("HIDDEN_FEW_ANSWERS")
HIDDEN_SMALL_PART = Hidden("HIDDEN_SMALL_PART")
MIN_SICK_LEAVE_GROUP = 11


def is_hidden(value) -> bool:
    return isinstance(value, Hidden)


# Per-manager rows are listed on the page up to this many; exports have them all.
MANAGER_ROWS_ON_PAGE = 300

ATTENDANCE_FIGURES = ("invited", "present", "excused", "makeups")
REFLECTION_FIGURES = (
    "entries",
    "commitments",
    "followed_up",
    "ratings",
    "steps_sent",
    "steps_answered",
)


def day_start(day, end=False) -> datetime:
    """Midnight at the start of `day` in Kungsör (of the day after, with `end`): the bounds of
    a period of whole days."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if end:
        return datetime.combine(day + timedelta(days=1), time.min, zone)
    return datetime.combine(day, time.min, zone)


def chef_group():
    """The managers' group by id, not by name. Joined through auth_group by name, PostgreSQL
    has no statistics for that three-row table (too small for autovacuum to analyse), so it
    guessed a few hundred managers instead of 40,000 and chose nested loops over millions
    of rows (the dashboard took 21 s at national scale instead of about 7)."""
    return Subquery(Group.objects.filter(name=Role.CHEF).values("pk")[:1])


def _counted_from(since: date) -> datetime:
    """People deactivated from this moment on are still counted for a period beginning on
    `since` (for a period not yet begun: those deactivated from today on)."""
    return day_start(min(since, timezone.localdate()))


def _counted(field: str, since: date | None) -> Q:
    """A Q on `<field>` (a user, or "" for User itself) for the managers a report counts:
    active now, or, for a period from `since`, deactivated since it began."""
    prefix = f"{field}__" if field else ""
    active = Q(**{f"{prefix}is_active": True})
    if since is not None:
        active |= Q(**{f"{prefix}deactivated_at__gte": _counted_from(since)})
    return Q(**{f"{prefix}groups": chef_group()}) & active


def managers(since: date | None = None):
    """The managers counted: active ones, and with `since` those deactivated since then."""
    return User.objects.filter(_counted("", since))


@dataclass
class Row:
    """One line of a table: a label, the department keys it covers, and its figures."""

    label: str
    keys: set = field(default_factory=set)
    managers: int = 0
    figures: dict = field(default_factory=lambda: defaultdict(int))
    reflections_shown: bool = False
    pk: int | None = None
    email: str = ""  # for the per-manager rows

    def rate(self, part: str, whole: str) -> float | None:
        return self.figures[part] / self.figures[whole] if self.figures[whole] else None

    @property
    def attendance_rate(self):
        return self.rate("present", "invited")

    @property
    def excused_rate(self):
        return self.rate("excused", "invited")

    @property
    def response_rate(self):
        return self.rate("steps_answered", "steps_sent") if self.reflections_shown else HIDDEN

    def value(self, name: str):
        """A figure, or HIDDEN where it may not be shown."""
        if name in REFLECTION_FIGURES and not self.reflections_shown:
            return HIDDEN
        return self.figures[name]


@dataclass
class Structure:
    forvaltningar: list
    enheter: dict  # id -> Department
    cells: SafeCells
    managers_per_key: dict
    tree: Organisation


def organisation(since: date | None = None) -> Structure:
    """The department tree and the safe cells for reflection figures (whole municipality,
    independent of any filter but the period, so that filters cannot be played against
    each other), counting the managers of a period from `since` (see the module)."""
    # With the parent: str() of an enhet, which names and orders the rows, includes it.
    departments = list(Department.objects.select_related("parent").order_by("name"))
    per_key = dict(
        managers(since)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    org = Organisation()
    forvaltningar = [d for d in departments if d.kind == Department.Kind.FORVALTNING]
    for forvaltning in forvaltningar:
        org.units_of[forvaltning.pk] = [forvaltning.pk] + [
            d.pk for d in departments if d.parent_id == forvaltning.pk
        ]
    enheter = {d.pk: d for d in departments if d.kind == Department.Kind.ENHET}
    return Structure(
        forvaltningar=forvaltningar,
        enheter=enheter,
        cells=safe_cells(org, per_key, MIN_REFLECTION_GROUP),
        managers_per_key=per_key,
        tree=org,
    )


def _scope_keys(filters: Filters, org: Structure) -> set | None:
    """The department keys the filters cover, or None for the whole municipality."""
    if filters.enhet:
        return {filters.enhet.pk}
    if filters.forvaltning:
        return {filters.forvaltning.pk} | {
            pk for pk, d in org.enheter.items() if d.parent_id == filters.forvaltning.pk
        }
    return None


def _people(filters: Filters, keys: set | None, field: str = "user"):
    """A Q on `<field>` for the managers in scope: those of the period (see the module)."""
    q = _counted(field, filters.since)
    if keys is not None:
        q &= Q(**{f"{field}__department_id__in": keys})
    return q


def _session_filter(filters: Filters, prefix: str = "session__") -> Q:
    q = Q()
    if filters.programme:
        q &= Q(**{f"{prefix}programme": filters.programme})
    if filters.cohort:
        q &= Q(**{f"{prefix}cohort": filters.cohort})
    if filters.theme:
        q &= Q(**{f"{prefix}theme": filters.theme})
    return q


def _invitations(filters: Filters, keys):
    return Invitation.objects.filter(
        _people(filters, keys),
        _session_filter(filters),
        session__status=TrainingSession.Status.HELD,
        session__starts_at__gte=day_start(filters.since),
        session__starts_at__lt=day_start(filters.until, end=True),
    )


def _entries(filters: Filters, keys):
    """Journal entries in scope: dated in the period, not in the trash, on the theme."""
    entries = Entry.objects.filter(
        _people(filters, keys, "author"),
        deleted_at__isnull=True,
        written_on__gte=filters.since,
        written_on__lte=filters.until,
    )
    return entries.filter(theme=filters.theme) if filters.theme else entries


def _steps(filters: Filters, keys):
    """Repetition steps sent in the period to managers in scope, for sessions in scope."""
    return Reminder.objects.filter(
        _people(filters, keys),
        _session_filter(filters),
        kind=Reminder.Kind.REPETITION,
        status=Reminder.Status.SENT,
        sent_at__gte=day_start(filters.since),
        sent_at__lt=day_start(filters.until, end=True),
    )


ATTENDANCE_AGGREGATES = {
    "invited": Count("pk"),
    "present": Count("pk", filter=Q(attendance=Invitation.Attendance.PRESENT)),
    "excused": Count(
        "pk", filter=Q(excused_at__isnull=False) | Q(attendance=Invitation.Attendance.EXCUSED)
    ),
    "makeups": Count("pk", filter=Q(is_makeup=True, attendance=Invitation.Attendance.PRESENT)),
}


def _reflection_counts(filters: Filters, keys) -> dict:
    """Per department key: entries, commitments, ratings and repetition steps."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    since, until = filters.since, filters.until
    entries = _entries(filters, keys)
    for key, n in entries.values_list("author__department_id").annotate(n=Count("pk")):
        counts[key]["entries"] = n
    commitments = Commitment.objects.filter(
        _people(filters, keys, "author"),
        created_at__gte=day_start(since),
        created_at__lt=day_start(until, end=True),
    )
    for key, made, followed in commitments.values_list("author__department_id").annotate(
        made=Count("pk"), followed=Count("pk", filter=Q(followed_up_at__isnull=False))
    ):
        counts[key]["commitments"], counts[key]["followed_up"] = made, followed
    ratings = LedordRating.objects.filter(
        _people(filters, keys, "author"), rated_on__gte=since, rated_on__lte=until
    )
    for key, n in ratings.values_list("author__department_id").annotate(n=Count("pk")):
        counts[key]["ratings"] = n
    steps = _steps(filters, keys)
    for key, sent, answered in steps.values_list("user__department_id").annotate(
        sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False))
    ):
        counts[key]["steps_sent"], counts[key]["steps_answered"] = sent, answered
    return counts


@dataclass
class Dashboard:
    filters: Filters
    total: Row
    sessions_held: int
    by_forvaltning: list
    by_enhet: list
    by_cohort: list
    by_manager: list
    manager_count: int
    trends: list
    sick_leave: "SickLeave"
    computed_at: datetime | None = None


def _managers_per_key(filters: Filters, org: Structure, keys) -> dict:
    """Per department key, the managers a selection's figures are about (its "Managers").

    Without a programme or training group: every manager of the period in the departments
    (reflections are counted for them all, invited or not). With one: those of them in its
    training groups during the period, and those invited to its sessions held in the period
    (a make-up guest too), the people its attendance figures count. The safe cells behind
    the small-group rule stay those of the whole organisation (`org.cells`): a filter
    changes what is shown, never which groups may be shown."""
    if not filters.narrows_population:
        return org.managers_per_key
    memberships = CohortMembership.objects.filter(joined_on__lte=filters.until).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=filters.since)
    )
    if filters.cohort:
        memberships = memberships.filter(cohort=filters.cohort)
    else:
        memberships = memberships.filter(programme=filters.programme)
    invited = _invitations(filters, keys).values("user_id")
    people = managers(filters.since).filter(
        Q(pk__in=memberships.values("user_id")) | Q(pk__in=invited)
    )
    if keys is not None:
        people = people.filter(department_id__in=keys)
    return dict(
        people.values("department_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("department_id", "n")
    )


def _row(label, keys, per_key: dict, org, filters, pk=None) -> Row:
    """A row of `keys`' figures; `per_key` holds, per department key, the "managers",
    "attendance" and "reflection" counts of the selection."""
    per_key_managers = per_key["managers"]
    per_key_attendance, per_key_reflection = per_key["attendance"], per_key["reflection"]
    row = Row(label=label, keys=set(keys), pk=pk)
    for key in keys:
        row.managers += per_key_managers.get(key, 0)
        for name, value in per_key_attendance.get(key, {}).items():
            row.figures[name] += value
        for name, value in per_key_reflection.get(key, {}).items():
            row.figures[name] += value
    row.reflections_shown = not filters.narrows_population and org.cells.may_show(
        {k for k in keys if org.managers_per_key.get(k)}
    )
    return row


def _months(filters: Filters) -> list:
    months, day = [], filters.since.replace(day=1)
    while day <= filters.until:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def trends(filters: Filters, keys, shown: bool) -> list[dict]:
    """Per month: attendance, repetition answers and reflections written (those two only
    where the group may be shown)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    by_month: dict = defaultdict(lambda: defaultdict(int))
    attendance = (
        _invitations(filters, keys)
        .annotate(month=TruncMonth("session__starts_at", tzinfo=zone))
        .values_list("month")
        .annotate(**{name: ATTENDANCE_AGGREGATES[name] for name in ("invited", "present")})
    )
    for month, invited, present in attendance:
        by_month[month.date()]["invited"] = invited
        by_month[month.date()]["present"] = present
    if shown:
        steps = (
            _steps(filters, keys)
            .annotate(month=TruncMonth("sent_at", tzinfo=zone))
            .values_list("month")
            .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)))
        )
        for month, sent, answered in steps:
            by_month[month.date()]["steps_sent"] = sent
            by_month[month.date()]["steps_answered"] = answered
        for month, n in (
            _entries(filters, keys)
            .annotate(month=TruncMonth("written_on"))
            .values_list("month")
            .annotate(n=Count("pk"))
        ):
            by_month[month]["entries"] = n
    result = []
    for month in _months(filters):
        figures = by_month.get(month, {})
        invited, present = figures.get("invited", 0), figures.get("present", 0)
        sent, answered = figures.get("steps_sent", 0), figures.get("steps_answered", 0)
        result.append(
            {
                "month": month,
                "invited": invited,
                "present": present,
                "attendance_rate": present / invited if invited else None,
                "steps_sent": sent if shown else HIDDEN,
                "steps_answered": answered if shown else HIDDEN,
                "response_rate": (answered / sent if sent else None) if shown else HIDDEN,
                "entries": figures.get("entries", 0) if shown else HIDDEN,
            }
        )
    return result


@dataclass
class SickLeave:
    """Monthly sick leave for the selection beside participation, and per förvaltning for
    the latest month. Each figure is one month's, for a group that is a union of that
    month's safe cells (more than 10 employees each): no hidden group can be worked out."""

    months: list[dict]
    latest_month: object
    by_forvaltning: list[dict]

    @property
    def has_figures(self) -> bool:
        """Any month with figures, shown or hidden (a hidden one is said to be hidden,
        never that there are no figures)."""
        return any(m["employees"] is not None for m in self.months)


def _percent(sick, scheduled):
    return float(sick) / float(scheduled) if scheduled else None


def _sick_leave_period(filters: Filters):
    return SickLeaveFigure.objects.filter(
        month__gte=filters.since.replace(day=1), month__lte=filters.until
    ).order_by()


def _sick_leave_monthly_totals(period, org: Structure) -> dict:
    """The whole organisation's sums per month, made in the database: month -> its row.

    Whether a month may be shown needs no safe cells: the whole is a union of every cell,
    shown exactly when the people in the organisation's departments reach the limit
    (tests/reports/test_small_groups_property.py)."""
    known = [key for keys_ in org.tree.units_of.values() for key in keys_]
    return {
        row["month"]: row
        for row in period.values("month").annotate(
            all_employees=Sum("employees"),
            in_organisation=Sum("employees", filter=Q(department_id__in=known)),
            all_scheduled=Sum(Cast("scheduled_hours", FloatField())),
            all_sick=Sum(Cast("sick_hours", FloatField())),
        )
    }


def _sick_leave_figures(period) -> dict:
    """Every figure of `period`: month -> department key -> (employees, scheduled, sick)."""
    figures = period.values_list(
        "department_id",
        "month",
        "employees",
        Cast("scheduled_hours", FloatField()),
        Cast("sick_hours", FloatField()),
    )
    per_month: dict = defaultdict(dict)
    # Read straight from the cursor, as floats: a filtered view needs every figure of the
    # period (the safe cells are worked out month by month), five years for the whole
    # country some 160,000 rows, and Django's per-row conversion and Decimals took half the time.
    sql, params = figures.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, month, employees, scheduled, sick in cursor.fetchall():
            per_month[month][key] = (employees, scheduled, sick)
    return per_month


def _sick_leave_cells(org: Structure, month_figures: dict) -> SafeCells:
    """One month's safe cells: departments merged until each has more than 10 employees."""
    employees = {key: figures[0] for key, figures in month_figures.items()}
    return safe_cells(org.tree, employees, MIN_SICK_LEAVE_GROUP)


def _sick_leave_of_group(month_figures: dict, cells: SafeCells, group_keys) -> tuple:
    """(employees, sick-leave rate) of a group of departments in one month: (None, None)
    without figures, HIDDEN_STAFF unless the group is a union of safe cells."""
    present = [key for key in group_keys if key in month_figures]
    if not present:
        return None, None
    if not cells.may_show(group_keys):
        return HIDDEN_STAFF, HIDDEN_STAFF
    employees = scheduled = sick = 0
    for key in present:
        figures = month_figures[key]
        employees += figures[0]
        scheduled += figures[1]
        sick += figures[2]
    return employees, _percent(sick, scheduled)


def _sick_leave_of_whole(total: dict | None) -> tuple:
    """(employees, sick-leave rate) of the whole organisation from a month's totals."""
    if total is None:
        return None, None
    if (total["in_organisation"] or 0) < MIN_SICK_LEAVE_GROUP:
        return HIDDEN_STAFF, HIDDEN_STAFF
    return total["all_employees"], _percent(total["all_sick"], total["all_scheduled"])


def _sick_leave_by_forvaltning(org: Structure, keys, month_figures: dict, cells) -> list[dict]:
    """One month per förvaltning in the selection; those too small to show are also shown
    together, per safe cell wholly in the selection ("Together: A, B")."""
    rows, hidden = [], []
    for forvaltning in org.forvaltningar:
        units = set(org.tree.units_of.get(forvaltning.pk, [forvaltning.pk]))
        if keys is not None and not units & keys:
            continue
        employees, percent = _sick_leave_of_group(month_figures, cells, units)
        if employees is None:
            continue
        rows.append({"label": forvaltning.name, "employees": employees, "sick_rate": percent})
        if is_hidden(employees):
            hidden.append((forvaltning.name, units))
    merged: dict = defaultdict(lambda: ([], set()))
    for name, units in hidden:
        for key in units:
            if key in cells.cell_of:
                names, members = merged[cells.cell_of[key]]
                if name not in names:
                    names.append(name)
                members |= cells.members(cells.cell_of[key])
    for names, members in merged.values():
        if keys is not None and not members <= keys:
            continue
        employees, percent = _sick_leave_of_group(month_figures, cells, members)
        if not is_hidden(employees) and employees is not None:
            label = _("Together: %(groups)s") % {"groups": ", ".join(sorted(names))}
            rows.append({"label": label, "employees": employees, "sick_rate": percent})
    return rows


def sick_leave(filters: Filters, org: Structure, keys, trend_rows: list[dict]) -> SickLeave:
    """Sick leave per month of the period for the selection (`keys`, None for the whole
    organisation) beside `trend_rows`' participation, and per förvaltning for the latest
    month with figures."""
    period = _sick_leave_period(filters)
    # The whole organisation, HR's usual view: each month's totals are summed in the
    # database, and only the latest month, broken down by förvaltning, needs each
    # department's own figures.
    totals = _sick_leave_monthly_totals(period, org) if keys is None else {}
    if totals:
        period = period.filter(month=max(totals))
    per_month = _sick_leave_figures(period)
    latest = max(per_month) if per_month else None
    attendance = {row["month"]: row for row in trend_rows}
    months, latest_cells = [], None
    for month in _months(filters):
        if keys is None and month != latest:
            employees, percent = _sick_leave_of_whole(totals.get(month))
        else:
            figures = per_month.get(month, {})
            cells = _sick_leave_cells(org, figures)
            if month == latest:
                latest_cells = cells
            scope = set(figures) if keys is None else keys
            employees, percent = _sick_leave_of_group(figures, cells, scope)
        row = attendance.get(month, {})
        months.append(
            {
                "month": month,
                "employees": employees,
                "sick_rate": percent,
                "attendance_rate": row.get("attendance_rate"),
                "entries": row.get("entries"),
            }
        )
    by_forvaltning = []
    if latest is not None:
        figures = per_month[latest]
        cells = latest_cells or _sick_leave_cells(org, figures)
        by_forvaltning = _sick_leave_by_forvaltning(org, keys, figures, cells)
    return SickLeave(months=months, latest_month=latest, by_forvaltning=by_forvaltning)


def _merged_rows(rows: list[Row], make, org: Structure, scope: set) -> list[Row]:
    """For rows too small to show: one row per safe cell they were merged into, where the
    whole cell is within the selection ("Together: A, B")."""
    hidden_by_cell: dict = defaultdict(list)
    for row in rows:
        if row.reflections_shown:
            continue
        for key in row.keys:
            if org.managers_per_key.get(key) and key in org.cells.cell_of:
                hidden_by_cell[org.cells.cell_of[key]].append(row)
    merged = []
    for cell, members_rows in hidden_by_cell.items():
        members = org.cells.members(cell)
        if not members <= scope:
            continue
        labels = sorted({r.label for r in members_rows})
        covered = set().union(*(r.keys for r in members_rows))
        if {k for k in members - covered if org.managers_per_key.get(k)}:
            labels.append(_("others"))
        row = make(_("Together: %(groups)s") % {"groups": ", ".join(labels)}, members)
        if row.reflections_shown:
            merged.append(row)
    return merged


def dashboard(filters: Filters) -> Dashboard:
    org = organisation(filters.since)
    keys = _scope_keys(filters, org)
    invitations = _invitations(filters, keys)
    per_key_attendance: dict = defaultdict(dict)
    for row in invitations.values("user__department_id").annotate(**ATTENDANCE_AGGREGATES):
        key = row.pop("user__department_id")
        per_key_attendance[key] = row
    per_key_reflection = _reflection_counts(filters, keys)
    per_key_managers = _managers_per_key(filters, org, keys)
    all_keys = set(org.managers_per_key) | set(per_key_attendance) | set(per_key_reflection)
    scope = all_keys if keys is None else keys

    per_key = {
        "managers": per_key_managers,
        "attendance": per_key_attendance,
        "reflection": per_key_reflection,
    }

    def make(label, row_keys, pk=None):
        return _row(label, row_keys, per_key, org, filters, pk)

    def listed(row: Row) -> bool:
        # With a programme or training group, a department is listed for its people in it
        # (the invited among them), not for reflections that are not shown for it.
        return bool(row.managers or (row.figures and not filters.narrows_population))

    total = make("", scope)
    by_forvaltning = []
    for forvaltning in org.forvaltningar:
        if filters.forvaltning and forvaltning.pk != filters.forvaltning.pk:
            continue
        if filters.enhet and forvaltning.pk != filters.enhet.parent_id:
            continue
        units = {forvaltning.pk} | {
            pk for pk, d in org.enheter.items() if d.parent_id == forvaltning.pk
        }
        row = make(forvaltning.name, units & scope, pk=forvaltning.pk)
        if listed(row):
            by_forvaltning.append(row)
    if None in scope and (per_key_managers.get(None) or per_key_attendance.get(None)):
        by_forvaltning.append(make(str(_("No department")), {None}))
    by_enhet = []
    for pk, enhet in sorted(org.enheter.items(), key=lambda item: str(item[1])):
        if pk not in scope:
            continue
        row = make(str(enhet), {pk}, pk=pk)
        if listed(row):
            by_enhet.append(row)

    if not filters.narrows_population:
        by_forvaltning += _merged_rows(by_forvaltning, make, org, scope)
        by_enhet += _merged_rows(by_enhet, make, org, scope)

    by_cohort = []
    for row in (
        invitations.filter(session__cohort__isnull=False)
        .values("session__cohort_id", "session__cohort__name", "session__programme__name")
        .annotate(**ATTENDANCE_AGGREGATES)
        .order_by("session__programme__name", "session__cohort__name")
    ):
        cohort_row = Row(
            label=f"{row.pop('session__programme__name')}: {row.pop('session__cohort__name')}",
            pk=row.pop("session__cohort_id"),
        )
        cohort_row.figures.update(row)
        by_cohort.append(cohort_row)

    by_manager = []
    for row in (
        invitations.values("user_id", "user__full_name", "user__email")
        .annotate(**ATTENDANCE_AGGREGATES)
        .order_by("user__full_name", "user_id")
    ):
        manager_row = Row(
            label=row.pop("user__full_name"), pk=row.pop("user_id"), email=row.pop("user__email")
        )
        manager_row.figures.update(row)
        by_manager.append(manager_row)

    # Held sessions in scope: those with an in-scope invitation (the invitations are
    # filtered on held sessions in the period already). Counting distinct ids, not rows.
    sessions_held = invitations.aggregate(n=Count("session_id", distinct=True))["n"]
    trend_rows = trends(filters, keys, total.reflections_shown)
    return Dashboard(
        filters=filters,
        total=total,
        sessions_held=sessions_held,
        by_forvaltning=by_forvaltning,
        by_enhet=by_enhet,
        by_cohort=by_cohort,
        by_manager=by_manager,
        manager_count=total.managers,
        trends=trend_rows,
        sick_leave=sick_leave(filters, org, keys, trend_rows),
        computed_at=timezone.now(),
    )


def forvaltning_get(pk: int) -> Department | None:
    """A förvaltning by id (HR may read every one), or None."""
    return Department.objects.filter(pk=pk, kind=Department.Kind.FORVALTNING).first()


def department_keys(forvaltning: Department) -> set:
    """The department keys of a förvaltning: its own id and its enheter' ids."""
    return {forvaltning.pk} | set(
        Department.objects.filter(parent=forvaltning).values_list("pk", flat=True)
    )
