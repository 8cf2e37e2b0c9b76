"""The dashboard's tables, one definition for the page and for the exports, so that what a
page hides no file shows."""

from dataclasses import dataclass, field, replace

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from reports.rounding import one_decimal, percent_text
from reports.selectors import (
    HIDDEN_FEW_ANSWERS,
    HIDDEN_SMALL_PART,
    HIDDEN_STAFF,
    Dashboard,
    Row,
    is_hidden,
)

# Table slugs in URLs, in the order they appear on the page.
TABLES = {
    "oversikt": gettext_lazy("Overview"),
    "forvaltningar": gettext_lazy("Per administration"),
    "enheter": gettext_lazy("Per unit"),
    "traningsgrupper": gettext_lazy("Per training group"),
    "chefer": gettext_lazy("Attendance per manager"),
    "trender": gettext_lazy("Per month"),
    "sjukfranvaro": gettext_lazy("Sick leave and participation per month"),
    "sjukfranvaro-forvaltningar": gettext_lazy("Sick leave per administration"),
}


@dataclass
class Column:
    label: str
    kind: str = "count"  # count, rate (0..1), average (of ratings 1 to 5), text


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""
    # Per row, the primary key of what it counts (a department, a training group), or None
    # for rows that are not one thing ("No department", "Together: …"); the files leave it out.
    row_pks: list = field(default_factory=list)
    # The page links a row's name to this URL (with the row's pk), e.g. a förvaltning's units.
    link: str = ""

    # The page shows at most this many rows of a table; the files hold them all.
    ROWS_ON_PAGE = 300

    @property
    def rows_not_shown(self) -> int:
        return max(len(self.rows) - self.ROWS_ON_PAGE, 0)

    @property
    def display_rows(self) -> list[tuple[int | None, list[tuple[str, bool]]]]:
        """Each row as (the pk to link, or None; its cells as (text, right-aligned)), for
        the page: the first ROWS_ON_PAGE rows."""
        pks = self.row_pks if self.link else []
        return [
            (
                pks[index] if index < len(pks) else None,
                [
                    (display(value, column.kind), column.kind != "text")
                    for column, value in zip(self.columns, row, strict=True)
                ],
            )
            for index, row in enumerate(self.rows[: self.ROWS_ON_PAGE])
        ]

    def page_of(self, page) -> "Table":
        """The same table with only the rows of one Paginator page (of this table's row
        indexes), for a page that lists a long table part by part."""
        indexes = list(page.object_list)
        return replace(
            self,
            rows=[self.rows[i] for i in indexes],
            row_pks=[self.row_pks[i] for i in indexes] if self.row_pks else [],
        )


def _text(label) -> Column:
    return Column(str(label), "text")


def _count(label) -> Column:
    return Column(str(label), "count")


def _rate(label) -> Column:
    return Column(str(label), "rate")


ATTENDANCE_COLUMNS = [
    (gettext_lazy("Invitations"), "count", lambda r: r.figures["invited"]),
    (gettext_lazy("Present"), "count", lambda r: r.figures["present"]),
    (gettext_lazy("Attendance rate"), "rate", lambda r: r.attendance_rate),
    (gettext_lazy("Förhinder"), "count", lambda r: r.figures["excused"]),
    (gettext_lazy("Förhinder rate"), "rate", lambda r: r.excused_rate),
    (gettext_lazy("Make-ups taken"), "count", lambda r: r.figures["makeups"]),
]
REFLECTION_COLUMNS = [
    (gettext_lazy("Repetition steps sent"), "count", lambda r: r.value("steps_sent")),
    (gettext_lazy("Steps answered"), "count", lambda r: r.value("steps_answered")),
    (gettext_lazy("Answer rate"), "rate", lambda r: r.response_rate),
    (gettext_lazy("Reflections written"), "count", lambda r: r.value("entries")),
    (gettext_lazy("Commitments made"), "count", lambda r: r.value("commitments")),
    (gettext_lazy("Commitments followed up"), "count", lambda r: r.value("followed_up")),
    (gettext_lazy("Ledord self-ratings"), "count", lambda r: r.value("ratings")),
]


def _group_table(slug, first_label, rows: list[Row], *, reflections=True) -> Table:
    specs = ATTENDANCE_COLUMNS + (REFLECTION_COLUMNS if reflections else [])
    columns = [_text(first_label), _count(_("Managers"))] if reflections else [_text(first_label)]
    columns += [Column(str(label), kind) for label, kind, _get in specs]
    body = []
    for row in rows:
        cells = [row.label, row.managers] if reflections else [row.label]
        cells += [get(row) for _label, _kind, get in specs]
        body.append(cells)
    return Table(slug, str(TABLES[slug]), columns, body, row_pks=[row.pk for row in rows])


def overview(board: Dashboard) -> Table:
    total = board.total
    pairs = [
        (_("Managers"), "count", total.managers),
        (_("Sessions held"), "count", board.sessions_held),
        *((str(label), kind, get(total)) for label, kind, get in ATTENDANCE_COLUMNS),
        *((str(label), kind, get(total)) for label, kind, get in REFLECTION_COLUMNS),
    ]
    return Table(
        "oversikt",
        str(TABLES["oversikt"]),
        [_text(_("Figure")), Column(_("Value"), "mixed")],
        [[label, (kind, value)] for label, kind, value in pairs],
    )


def trend_table(board: Dashboard) -> Table:
    columns = [
        _text(_("Month")),
        _count(_("Invitations")),
        _count(_("Present")),
        _rate(_("Attendance rate")),
        _count(_("Repetition steps sent")),
        _count(_("Steps answered")),
        _rate(_("Answer rate")),
        _count(_("Reflections written")),
    ]
    rows = [
        [
            formats.date_format(month["month"], "F Y").capitalize(),
            month["invited"],
            month["present"],
            month["attendance_rate"],
            month["steps_sent"],
            month["steps_answered"],
            month["response_rate"],
            month["entries"],
        ]
        for month in board.trends
    ]
    return Table("trender", str(TABLES["trender"]), columns, rows)


def sick_leave_tables(board: Dashboard) -> tuple[Table, Table]:
    months = board.sick_leave.months
    monthly = Table(
        "sjukfranvaro",
        str(TABLES["sjukfranvaro"]),
        [
            _text(_("Month")),
            _count(_("Employees")),
            _rate(_("Sick leave")),
            _rate(_("Attendance rate")),
            _count(_("Reflections written")),
        ],
        [
            [
                formats.date_format(m["month"], "F Y").capitalize(),
                m["employees"],
                m["sick_rate"],
                m["attendance_rate"],
                m["entries"],
            ]
            for m in months
        ],
    )
    latest = board.sick_leave.latest_month
    title = str(TABLES["sjukfranvaro-forvaltningar"])
    if latest:
        title = f"{title}, {formats.date_format(latest, 'F Y')}"
    per_forvaltning = Table(
        "sjukfranvaro-forvaltningar",
        title,
        [
            _text(pgettext_lazy("department", "Administration")),
            _count(_("Employees")),
            _rate(_("Sick leave")),
        ],
        [[r["label"], r["employees"], r["sick_rate"]] for r in board.sick_leave.by_forvaltning],
    )
    return monthly, per_forvaltning


def manager_table(board: Dashboard) -> Table:
    table = _group_table("chefer", _("Manager"), board.by_manager, reflections=False)
    table.columns.insert(1, _text(_("Email")))
    for cells, row in zip(table.rows, board.by_manager, strict=True):
        cells.insert(1, row.email)
    return table


BUILDERS = {
    "oversikt": overview,
    "forvaltningar": lambda board: replace(
        _group_table(
            "forvaltningar", pgettext_lazy("department", "Administration"), board.by_forvaltning
        ),
        link="reports:forvaltning",
    ),
    "enheter": lambda board: _group_table("enheter", _("Unit"), board.by_enhet),
    "traningsgrupper": lambda board: _group_table(
        "traningsgrupper", _("Training group"), board.by_cohort, reflections=False
    ),
    "chefer": manager_table,
    "trender": trend_table,
    "sjukfranvaro": lambda board: sick_leave_tables(board)[0],
    "sjukfranvaro-forvaltningar": lambda board: sick_leave_tables(board)[1],
}


def table_of(board: Dashboard, slug: str) -> Table:
    """One table, built alone (an export needs only the one it writes)."""
    return BUILDERS[slug](board)


def tables(board: Dashboard) -> dict[str, Table]:
    return {slug: table_of(board, slug) for slug in TABLES}


def hidden_text(value) -> str:
    """Why a figure is not shown, in words (the page, the charts and the files alike)."""
    if value is HIDDEN_STAFF:
        return _("10 employees or fewer")
    if value is HIDDEN_FEW_ANSWERS:
        return _("fewer than 5 answered")
    if value is HIDDEN_SMALL_PART:
        return _("hidden: would reveal a smaller group")
    return _("fewer than 5")


def display(value, kind: str) -> str:
    """A cell as text, Swedish style: 83,3 % for rates (reports.rounding), 3,8 for
    averages, "färre än 5" for hidden figures."""
    if kind == "mixed":
        kind, value = value
    if is_hidden(value):
        return hidden_text(value)
    if value is None:
        return "–"
    if kind == "rate":
        return percent_text(value)
    if kind == "average":
        return formats.number_format(one_decimal(value), 1)
    if kind == "count":
        return formats.number_format(value, 0, force_grouping=True)
    return str(value)


def forvaltning_units_table(board: Dashboard, keys: set, name: str) -> Table:
    """The units of one förvaltning (its department `keys`, its `name`), from the counted
    dashboard: its enheter' rows, and the rows of small enheter shown together within it,
    named without the förvaltning's name in front (the page is about it). A row of small
    förvaltningar shown together is on the dashboard's own table, not here."""
    rows = [row for row in board.by_enhet if row.keys and row.keys <= keys]
    table = _group_table("enheter", _("Unit"), rows)
    for cells in table.rows:
        cells[0] = cells[0].replace(f"{name} › ", "")
    return table
