"""The dashboard page, its exports and the access log, as HR and as everyone else."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflections.models import Entry
from reports.models import ReportAccess, SickLeaveFigure
from sessions.models import Invitation
from tests.factories import ManagerFactory
from tests.reports.conftest import SENTINEL
from tests.support import libreoffice

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}


def test_hr_sees_the_dashboard_and_the_view_is_logged(client, known, hr_user):
    client.force_login(hr_user)
    bou = known["forvaltningar"]["bou"]
    response = client.get(reverse("reports:dashboard"), PERIOD | {"forvaltning": bou.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Deltagande och resultat" in page
    assert "Tillsammans: Barn och utbildning › Förskola C" in page
    assert "färre än 5" in page
    assert SENTINEL not in page
    [log] = ReportAccess.objects.all()
    assert (log.user, log.action, log.report) == (hr_user, "visning", "deltagande")
    assert log.filters == {"since": "2027-01-01", "until": "2027-12-31", "forvaltning": bou.pk}


def test_a_long_table_shows_its_first_rows_and_the_files_hold_them_all(
    client, known, hr_user, monkeypatch
):
    from reports.tables import Table

    monkeypatch.setattr(Table, "ROWS_ON_PAGE", 2)
    client.force_login(hr_user)

    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    export = client.get(reverse("reports:export", args=["forvaltningar", "csv"]), PERIOD)

    table = re.search(r'id="table-forvaltningar".*?</section>', page, re.S).group(0)
    assert table.count('<th scope="row">') == 2
    assert re.search(r"De första 2 av \d+ raderna visas\.", table)
    exported = export.content.decode("utf-8-sig")
    assert "Barn och utbildning" in exported
    assert "Teknik" in exported


def test_nobody_but_hr_and_admins_sees_reports(client, known, manager, coach, admin_user):
    for person in (manager, coach):
        client.force_login(person)
        assert client.get(reverse("reports:dashboard")).status_code == 403
        url = reverse("reports:export", args=["forvaltningar", "csv"])
        assert client.get(url).status_code == 403
    assert not ReportAccess.objects.exists()
    client.force_login(admin_user)
    assert client.get(reverse("reports:dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"since": "2027-05-01", "until": "2027-01-01"},
            "Slutdatum måste vara samma dag som startdatum eller senare.",
        ),
        ({"since": "inte ett datum"}, "Fyll i ett giltigt datum."),
        ({"since": "2000-01-01", "until": "2027-01-01"}, "En period kan vara högst tio år."),
    ],
)
def test_bad_filters_get_a_clear_message_and_nothing_is_logged(client, hr_user, params, message):
    client.force_login(hr_user)
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportAccess.objects.exists()


def test_a_unit_outside_the_chosen_administration_is_refused(client, known, hr_user):
    client.force_login(hr_user)
    response = client.get(
        reverse("reports:dashboard"),
        {"forvaltning": known["forvaltningar"]["voo"].pk, "enhet": known["enheter"]["Gata"].pk},
    )
    assert response.status_code == 400
    assert "Enheten hör inte till den valda förvaltningen." in response.content.decode()


def test_csv_export_opens_as_swedish_excel_expects(client, known, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("reports:export", args=["enheter", "csv"]), PERIOD)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ledarskap-enheter-')
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ledarskapsportalen – Per enhet"]
    assert rows[1] == ["Period", "2027-01-01 – 2027-12-31"]
    assert rows[2] == ["Förvaltning", "Alla"]
    header = rows[rows.index([]) + 1]
    assert header[:5] == ["Enhet", "Chefer", "Inbjudningar", "Närvarande", "Närvaro (%)"]
    skola_a = next(r for r in rows if r and r[0] == "Barn och utbildning › Skola A")
    assert skola_a[1:5] == ["6", "6", "5", "83,3"]
    assert skola_a[header.index("Skrivna reflektioner")] == "12"
    forskola_d = next(r for r in rows if r and r[0] == "Barn och utbildning › Förskola D")
    assert forskola_d[header.index("Skrivna reflektioner")] == "färre än 5"
    [log] = ReportAccess.objects.all()
    assert (log.action, log.report, log.file_format) == ("export", "enheter", "csv")


def test_xlsx_export_opens_with_openpyxl_with_numbers_as_numbers(client, known, hr_user):
    client.force_login(hr_user)
    response = client.get(
        reverse("reports:export", args=["forvaltningar", "xlsx"]),
        PERIOD | {"theme": known["themes"]["leda-sig-sjalv"].pk},
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Ledarskapsportalen – Per förvaltning"
    assert rows[6][:2] == ["Tema", "Leda sig själv"]
    header = next(r for r in rows if r[0] == "Förvaltning" and r[1] == "Chefer")
    bou = next(r for r in rows if r[0] == "Barn och utbildning")
    assert bou[1] == 14 and isinstance(bou[1], int)
    assert bou[header.index("Närvaro (%)")] == 83.3
    assert bou[header.index("Skrivna reflektioner")] == 12
    kultur = next(r for r in rows if r[0] == "Kultur")
    assert kultur[header.index("Skrivna reflektioner")] == "färre än 5"


def test_unknown_table_or_format_is_404(client, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("reports:export", args=["okand", "csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["enheter", "pdf"])).status_code == 404


def test_the_access_log_cannot_be_changed(known, hr_user):
    entry = ReportAccess.objects.create(user=hr_user, action="visning", report="deltagande")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportAccess.objects.filter(pk=entry.pk).update(report="annat")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportAccess.objects.filter(pk=entry.pk).delete()


def test_admins_read_the_access_log_in_the_admin(client, known, hr_user, admin_user):
    client.force_login(hr_user)
    client.get(reverse("reports:dashboard"))
    client.force_login(admin_user)
    page = client.get(reverse("admin:reports_reportaccess_changelist")).content.decode()
    assert hr_user.full_name in page
    client.force_login(hr_user)
    response = client.get(reverse("admin:reports_reportaccess_changelist"))
    assert response.status_code in (302, 403)


def _grow(known, times: int) -> None:
    """More managers, invitations, entries and monthly sick leave in the same departments."""
    s1 = known["sessions"]["s1"]
    for round_ in range(times):
        for enhet in known["enheter"].values():
            manager = ManagerFactory(department=enhet)
            Invitation.objects.create(session=s1, user=manager, attendance="narvarande")
            Entry.objects.create(author=manager, body="x", written_on=date(2027, 2, 1))
            SickLeaveFigure.objects.create(
                department=enhet,
                month=date(2027, round_ + 1, 1),
                employees=20,
                scheduled_hours=3200,
                sick_hours=100,
            )


def _queries(client, url, params) -> int:
    cache.clear()  # the figures are kept (reports.cache): measure counting them
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:dashboard"),
        reverse("reports:export", args=["enheter", "xlsx"]),
        reverse("reports:export", args=["chefer", "csv"]),
        reverse("reports:export", args=["sjukfranvaro", "csv"]),
    ],
)
def test_queries_do_not_grow_with_the_data(client, known, hr_user, url):
    client.force_login(hr_user)
    before = _queries(client, url, PERIOD)
    _grow(known, 9)  # ten times the managers per unit, and their rows
    assert _queries(client, url, PERIOD) == before


def test_xlsx_export_converts_cleanly_with_libreoffice(client, known, hr_user, tmp_path):
    client.force_login(hr_user)
    response = client.get(reverse("reports:export", args=["enheter", "xlsx"]), PERIOD)
    source = tmp_path / "enheter.xlsx"
    source.write_bytes(response.content)

    [converted] = libreoffice.convert([source], f"csv:{libreoffice.CSV_FILTER}", tmp_path)

    rows = list(csv.reader(converted.open(encoding="utf-8"), delimiter=";"))
    assert rows[0][0] == "Ledarskapsportalen – Per enhet"
    skola_a = next(r for r in rows if r and r[0] == "Barn och utbildning › Skola A")
    assert skola_a[1:4] == ["6", "6", "5"]
    forskola_d = next(r for r in rows if r and r[0] == "Barn och utbildning › Förskola D")
    assert "färre än 5" in forskola_d
