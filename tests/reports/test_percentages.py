"""One rounding rule for HR's percentages, half up to one decimal, on the page, in the
charts' words and in both files: 14 of 18 is 77,8 % everywhere, 8,35 % is 8,4 %."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import SickLeaveFigure
from reports.tables import display
from sessions.models import Invitation
from tests.factories import CohortFactory, EnhetFactory, ManagerFactory
from tests.reports.conftest import _session, at
from tests.support import libreoffice

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2027-01-01", "until": "2027-03-31"}


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (14 / 18, "77,8 %"),  # 77,777…: not cut to 77,7
        (835 / 10_000, "8,4 %"),  # a tie: up, not to even (8,3) nor cut
        (865 / 10_000, "8,7 %"),  # the float holds 8,6499…
        (88 / 1_000, "8,8 %"),  # the float holds 8,7999…
        (5 / 6, "83,3 %"),
        (1, "100,0 %"),
        (0, "0,0 %"),
    ],
)
def test_a_rate_is_rounded_half_up_to_one_decimal(rate, shown):
    with translation.override("sv"):
        assert display(rate, "rate") == shown


@pytest.fixture
def library(db):
    """18 managers of one unit in one training group: 14 present of 18 at February's
    session. Sick leave: 880 of 10,000 hours in January (8,8 %), 835 of 10,000 in
    February (8,35 %)."""
    bibliotek = EnhetFactory(name="Bibliotek")
    people = ManagerFactory.create_batch(18, department=bibliotek)
    group = CohortFactory(name="Grupp Bok", members=people)
    session = _session(group.programme, group, at(2027, 2, 10))
    for index, person in enumerate(people):
        Invitation.objects.create(
            session=session,
            user=person,
            attendance=Invitation.Attendance.PRESENT if index < 14 else "franvarande",
        )
    for month, sick in ((1, 880), (2, 835)):
        SickLeaveFigure.objects.create(
            department=bibliotek,
            month=date(2027, month, 1),
            employees=20,
            scheduled_hours=Decimal(10_000),
            sick_hours=Decimal(sick),
        )
    return bibliotek


def _section(page: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}".*?</(section|figure)>', page, re.S).group(0)


def _cell(page: str, table_slug: str, row: str, column: str) -> str:
    """One cell of a table on the page, by its row's and column's names."""
    table = _section(page, f"table-{table_slug}")
    header = [unescape(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)]
    line = re.search(rf'<th scope="row">(?:<a [^>]*>)?{row}(?:</a>)?</th>(.*?)</tr>', table, re.S)
    cells = [unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", line.group(1))]
    return cells[header.index(column) - 1]


def _chart_caption(page: str, slug: str) -> str:
    caption = re.search(rf'<figcaption id="chart-{slug}-caption">(.*?)</figcaption>', page, re.S)
    return unescape(re.sub(r"<[^>]+>", "", caption.group(1)))


def test_the_page_rounds_half_up(client, library, hr_user):
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()

    assert _cell(page, "oversikt", "Närvaro", "Värde") == "77,8 %"
    assert "14 av 18 blir 77,8 procent" in page  # the rule, stated under "Om siffrorna"
    assert _cell(page, "trender", "Februari 2027", "Närvaro") == "77,8 %"
    assert _cell(page, "sjukfranvaro", "Februari 2027", "Sjukfrånvaro") == "8,4 %"
    assert _cell(page, "sjukfranvaro", "Januari 2027", "Sjukfrånvaro") == "8,8 %"
    assert _cell(page, "sjukfranvaro-forvaltningar", library.parent.name, "Sjukfrånvaro") == (
        "8,4 %"
    )


def test_a_charts_words_say_what_its_table_says(client, library, hr_user):
    client.force_login(hr_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()

    sick = _chart_caption(page, "sjukfranvaro")
    high, high_value, low, low_value = re.search(
        r"högst i (\w+ \d{4}) \(([^)]+)\), lägst i (\w+ \d{4}) \(([^)]+)\)", sick
    ).groups()
    assert (high, low) == ("januari 2027", "februari 2027")
    assert high_value == _cell(page, "sjukfranvaro", "Januari 2027", "Sjukfrånvaro") == "8,8 %"
    assert low_value == _cell(page, "sjukfranvaro", "Februari 2027", "Sjukfrånvaro") == "8,4 %"

    attendance = _chart_caption(page, "narvaro")
    assert "högst i februari 2027 (77,8 %)" in attendance
    assert _cell(page, "trender", "Februari 2027", "Närvaro") == "77,8 %"
    # The chart's own table (under "as a table") says the same.
    chart = _section(page, "chart-sjukfranvaro-caption")
    assert re.search(r"<th scope=\"row\">Januari 2027</th><td[^>]*>8,8 %</td>", chart)


def _files(client, table: str) -> tuple[list[list[str]], list[list], bytes]:
    """One table's CSV rows, its XLSX rows (cells, as openpyxl reads them) and the XLSX."""
    csv_text = client.get(reverse("reports:export", args=[table, "csv"]), PERIOD)
    xlsx = client.get(reverse("reports:export", args=[table, "xlsx"]), PERIOD)
    csv_rows = list(csv.reader(io.StringIO(csv_text.content.decode("utf-8-sig")), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    return csv_rows, [list(row) for row in sheet.iter_rows()], xlsx.content


def test_both_files_hold_the_pages_figures_as_numbers(client, library, hr_user, tmp_path):
    client.force_login(hr_user)
    csv_rows, xlsx_rows, xlsx_bytes = _files(client, "sjukfranvaro")

    header = next(r for r in csv_rows if r and r[0] == "Månad")
    sick_at, attendance_at = header.index("Sjukfrånvaro (%)"), header.index("Närvaro (%)")
    csv_feb = next(r for r in csv_rows if r and r[0] == "Februari 2027")
    xlsx_feb = next(r for r in xlsx_rows if r[0].value == "Februari 2027")
    assert (csv_feb[sick_at], csv_feb[attendance_at]) == ("8,4", "77,8")
    assert (xlsx_feb[sick_at].value, xlsx_feb[attendance_at].value) == (8.4, 77.8)
    assert xlsx_feb[sick_at].number_format == "0.0"  # shown with its decimal, as on the page
    csv_jan = next(r for r in csv_rows if r and r[0] == "Januari 2027")
    assert csv_jan[sick_at] == "8,8"

    # LibreOffice, as HR's office suite opens it: the same figures.
    source = tmp_path / "sjukfranvaro.xlsx"
    source.write_bytes(xlsx_bytes)
    [shown] = libreoffice.convert([source], f"csv:{libreoffice.CSV_FILTER}", tmp_path)
    rows = list(csv.reader(shown.open(encoding="utf-8"), delimiter=";"))
    feb = next(r for r in rows if r and r[0] == "Februari 2027")
    assert [feb[sick_at].replace(",", "."), feb[attendance_at].replace(",", ".")] == [
        "8.4",
        "77.8",
    ]


def test_a_hidden_sick_leave_chart_says_why(client, library, hr_user):
    """A unit of 10 employees or fewer: the chart and its table say so, not that there
    are no figures, nor the managers' rule."""
    small = EnhetFactory(name="Arkiv", parent=library.parent)
    SickLeaveFigure.objects.create(
        department=small,
        month=date(2027, 2, 1),
        employees=8,
        scheduled_hours=Decimal(1_280),
        sick_hours=Decimal(64),
    )
    client.force_login(hr_user)
    params = {"since": "2027-02-01", "until": "2027-02-28", "enhet": small.pk}
    page = client.get(reverse("reports:dashboard"), params).content.decode()

    assert "Inga sjukfrånvarosiffror för perioden än." not in page
    assert _chart_caption(page, "sjukfranvaro") == (
        "Sjukfrånvaro. Visas inte: 10 anställda eller färre i gruppen."
    )
    assert _cell(page, "sjukfranvaro", "Februari 2027", "Sjukfrånvaro") == (
        "10 anställda eller färre"
    )
