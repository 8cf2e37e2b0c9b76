"""Reading monthly sick-leave figures (CSV or XLSX, as a payroll system exports them).

Columns (the header row, in any order; spellings as payroll systems write them):
Förvaltning, Enhet (may be empty: the figure is for the whole förvaltning), Månad
(2027-01, 2027-01-01, januari 2027 or an Excel date), Antal anställda, Schemalagda timmar,
and either Sjukfrånvaro (timmar) or Sjukfrånvaro (%). A förvaltning's total row beside its
unit rows in the same month is skipped (and checked against their sum). Nothing here writes.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Department
from accounts.staff_import import example_place
from shared.spreadsheets import ImportFileError, RowProblems, read_rows, template_file

MAX_ROWS = 50_000
MAX_NUMBER = Decimal(10) ** 9

COLUMNS = {
    "forvaltning": {"förvaltning", "forvaltning"},
    "enhet": {"enhet", "avdelning", "kostnadsställe", "unit"},
    "month": {"månad", "manad", "period", "month"},
    "employees": {"antal anställda", "anställda", "antal", "employees"},
    "scheduled_hours": {
        "schemalagda timmar",
        "schemalagd tid",
        "schemalagd tid (timmar)",
        "ordinarie arbetstid",
        "scheduled hours",
    },
    "sick_hours": {
        "sjukfrånvaro",
        "sjukfrånvaro (timmar)",
        "sjukfrånvarotimmar",
        "sjuktimmar",
        "sick hours",
    },
    "sick_percent": {"sjukfrånvaro (%)", "sjukfrånvaro %", "sjukfrånvaro i procent", "sick %"},
}
REQUIRED = ("forvaltning", "month", "employees", "scheduled_hours")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def column_label(column: str) -> str:
    return {
        "forvaltning": pgettext("department", "Administration"),
        "enhet": _("Unit"),
        "month": _("Month"),
        "employees": _("Employees"),
        "scheduled_hours": _("Scheduled hours"),
        "sick_hours": _("Sick-leave hours"),
        "sick_percent": _("Sick leave (%)"),
    }[column]


@dataclass(frozen=True)
class SickLeaveRow:
    row: int
    forvaltning: str
    enhet: str
    month: str  # ISO date, the first of the month
    employees: int
    scheduled_hours: str  # decimal as text, for JSON
    sick_hours: str
    department_id: int


def parse_month(value: str) -> date | None:
    text = value.strip().lower()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?: 00:00:00)?", text)
    if match:
        year, month = int(match[1]), int(match[2])
        day = int(match[3]) if match[3] else 1
        if 1 <= month <= 12 and day == 1:
            return date(year, month, 1)
        return None
    match = re.fullmatch(r"(\d{4})(\d{2})", text)
    if match and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    # "januari 2027", "jan 2027", and "jan-27" as Excel shows a month (and writes it back
    # when a CSV file with 2027-01 in it is opened and saved).
    match = re.fullmatch(r"([a-zåäö]+)\.?(?: (\d{4})|-(\d{2}))", text)
    if match and match[1] in MONTHS:
        year = int(match[2]) if match[2] else 2000 + int(match[3])
        return date(year, MONTHS[match[1]], 1)
    return None


def parse_decimal(value: str) -> Decimal | None:
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace("%", "")
    text = text.replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    # Nothing a payroll file holds is anywhere near this; it keeps the arithmetic exact.
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        return None
    return number


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = " ".join(title.strip().lower().lstrip("\ufeff").split())
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in positions:
                positions[column] = index
    missing = [column_label(c) for c in REQUIRED if c not in positions]
    if "sick_hours" not in positions and "sick_percent" not in positions:
        missing.append(_("Sick-leave hours or Sick leave (%)"))
    if missing:
        raise ImportFileError(
            _("Row 1 (the header) lacks the column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return positions


def _departments() -> dict[tuple[str, str], Department]:
    found = {}
    for department in Department.objects.select_related("parent"):
        if department.parent_id:
            found[(department.parent.name.lower(), department.name.lower())] = department
        else:
            found[(department.name.lower(), "")] = department
    return found


@dataclass(frozen=True)
class SickLeaveFile:
    """What a file holds: the rows to import, and the förvaltning total rows skipped because
    the file has the förvaltning's units for the same month (with any that differ from the
    sum of those units)."""

    rows: list[SickLeaveRow]
    skipped_totals: list[int] = field(default_factory=list)
    # {"row": 7, "forvaltning": "Kultur", "month": "2027-01", "columns": ["employees", ...]}
    total_mismatches: list[dict] = field(default_factory=list)


def _total_mismatch(total: SickLeaveRow, units: list[SickLeaveRow], *, percent: bool) -> list:
    """The columns in which a total row differs from the sum of its units. Hours given as a
    percentage are compared to within 0.05 percentage points (the rounding of 4,9 %)."""
    columns = []
    if total.employees != sum(unit.employees for unit in units):
        columns.append("employees")
    scheduled = sum(Decimal(unit.scheduled_hours) for unit in units)
    if Decimal(total.scheduled_hours) != scheduled:
        columns.append("scheduled_hours")
    sick = sum(Decimal(unit.sick_hours) for unit in units)
    allowed = Decimal(total.scheduled_hours) * Decimal("0.0005") if percent else 0
    if abs(Decimal(total.sick_hours) - sick) > allowed:
        columns.append("sick_percent" if percent else "sick_hours")
    return columns


def read(*, data: bytes, filename: str) -> SickLeaveFile:
    """Every row, checked. Raises ImportFileError naming each problem and the rows it is on."""
    rows = read_rows(data=data, filename=filename, max_rows=MAX_ROWS)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    positions = _map_header(rows[0])
    departments = _departments()
    problems = RowProblems()
    result: list[SickLeaveRow] = []
    from_percent: set[int] = set()
    seen: dict[tuple[int, date], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells=cells) -> str:
            index = positions.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def problem(column: str, message: str, number=number) -> None:
            problems.add(number, column_label(column), message)

        department = departments.get((cell("forvaltning").lower(), cell("enhet").lower()))
        if not cell("forvaltning"):
            problem("forvaltning", _("the administration is missing."))
        elif department is None:
            place = " › ".join(filter(None, [cell("forvaltning"), cell("enhet")]))
            problem(
                "enhet" if cell("enhet") else "forvaltning",
                _("“%(value)s” is not a department in the portal (import the staff list first).")
                % {"value": place},
            )
        month = parse_month(cell("month"))
        if month is None:
            problem(
                "month",
                _("“%(value)s” is not a month; write e.g. 2027-01 or januari 2027.")
                % {"value": cell("month")},
            )
        employees = parse_decimal(cell("employees"))
        if employees is None or employees < 0 or employees != employees.to_integral_value():
            problem(
                "employees",
                _("“%(value)s” is not a whole number of people.") % {"value": cell("employees")},
            )
        scheduled = parse_decimal(cell("scheduled_hours"))
        if scheduled is None or scheduled <= 0:
            problem(
                "scheduled_hours",
                _("“%(value)s” is not a number of hours above 0.")
                % {"value": cell("scheduled_hours")},
            )
        sick = None
        if cell("sick_hours"):
            sick = parse_decimal(cell("sick_hours"))
            if sick is None or sick < 0:
                problem(
                    "sick_hours",
                    _("“%(value)s” is not a number of hours.") % {"value": cell("sick_hours")},
                )
                sick = None
            elif scheduled is not None and sick > scheduled:
                problem("sick_hours", _("more sick-leave hours than scheduled hours."))
                sick = None
        elif cell("sick_percent"):
            percent = parse_decimal(cell("sick_percent"))
            if percent is None or not 0 <= percent <= 100:
                problem(
                    "sick_percent",
                    _("“%(value)s” is not a percentage between 0 and 100.")
                    % {"value": cell("sick_percent")},
                )
            elif scheduled is not None:
                sick = (scheduled * percent / 100).quantize(Decimal("0.01"))
                from_percent.add(number)
        else:
            problem(
                "sick_hours" if "sick_hours" in positions else "sick_percent",
                _("the sick leave is missing."),
            )
        if department is not None and month is not None:
            key = (department.pk, month)
            if key in seen:
                problem(
                    "month",
                    _("%(place)s %(month)s is also on row %(other)d.")
                    % {"place": str(department), "month": f"{month:%Y-%m}", "other": seen[key]},
                )
            seen.setdefault(key, number)
        if not problems and department is not None and month and scheduled and sick is not None:
            result.append(
                SickLeaveRow(
                    row=number,
                    forvaltning=cell("forvaltning"),
                    enhet=cell("enhet"),
                    month=month.isoformat(),
                    employees=int(employees),
                    scheduled_hours=str(scheduled),
                    sick_hours=str(sick),
                    department_id=department.pk,
                )
            )
    if problems:
        raise ImportFileError(problems.messages())
    if not result:
        raise ImportFileError(_("The file has a header but no figures."))
    return _without_totals(result, departments, from_percent)


def _without_totals(
    rows: list[SickLeaveRow], departments: dict, from_percent: set[int]
) -> SickLeaveFile:
    """A payroll file often has a total row per förvaltning (Enhet empty) beside the rows of
    its units. Where a förvaltning has unit rows in a month, its total row for that month is
    left out (the units are the finer figures), and checked against their sum."""
    parent = {department.pk: department.parent_id for department in departments.values()}
    units: dict[tuple[int, str], list[SickLeaveRow]] = {}
    for row in rows:
        if parent[row.department_id]:
            units.setdefault((parent[row.department_id], row.month), []).append(row)
    kept, skipped, mismatches = [], [], []
    for row in rows:
        beside = units.get((row.department_id, row.month))
        if parent[row.department_id] or not beside:
            kept.append(row)
            continue
        skipped.append(row.row)
        columns = _total_mismatch(row, beside, percent=row.row in from_percent)
        if columns:
            mismatches.append(
                {
                    "row": row.row,
                    "forvaltning": row.forvaltning,
                    "month": row.month[:7],
                    "columns": columns,
                }
            )
    return SickLeaveFile(rows=kept, skipped_totals=skipped, total_mismatches=mismatches)


def parse(*, data: bytes, filename: str) -> list[SickLeaveRow]:
    """The rows to import (see `read`)."""
    return read(data=data, filename=filename).rows


# The header row of the template file: the first spelling the importer knows of each column.
TEMPLATE_HEADER = [
    "Förvaltning",
    "Enhet",
    "Månad",
    "Antal anställda",
    "Schemalagda timmar",
    "Sjukfrånvaro (timmar)",
]


def template(fmt: str) -> bytes:
    """The template to fill in (XLSX or CSV): the header row and one example row, for a unit
    in the portal (so the template itself imports) and last month."""
    place = example_place()
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return template_file(
        fmt=fmt,
        title=_("Sick leave"),
        header=TEMPLATE_HEADER,
        example=[*place, f"{last_month:%Y-%m}", 25, 4000, Decimal("180.5")],
        text_columns=(0, 1, 2),
    )


def as_json(rows: list[SickLeaveRow]) -> list[dict]:
    return [asdict(row) for row in rows]
