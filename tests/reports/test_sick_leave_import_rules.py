"""The sick-leave import as HR meets it with a typical payroll file: the file's rules on the
upload page, förvaltning total rows skipped with one note, one message for a problem on many
rows, numbers shown as the file has them, and a template that imports as it is."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import SickLeaveFigure, SickLeaveImport
from reports.sick_leave import TEMPLATE_HEADER
from tests.reports.test_sick_leave_import import HEADER, upload
from tests.support import libreoffice

pytestmark = pytest.mark.django_db

UNITS = {
    "Skola A": (40, 6400, "320,5"),
    "Skola B": (12, 1920, "96"),
    "Förskola C": (8, 1280, "64"),
    "Förskola D": (5, 800, "40"),
}


def _payroll_file(*, total_employees: int = 65) -> str:
    """Three months as a payroll system writes them: Barn och utbildning's total row first
    (65 employees, 10 400 hours, 520,5 sick), then its four units; Kultur as a whole only.
    Rows 2, 8 and 14 are the totals."""
    lines = [HEADER]
    for month in ("2027-01", "2027-02", "2027-03"):
        lines.append(f"Barn och utbildning;;{month};{total_employees};10 400;520,5\r\n")
        for unit, (employees, scheduled, sick) in UNITS.items():
            lines.append(f"Barn och utbildning;{unit};{month};{employees};{scheduled};{sick}\r\n")
        lines.append(f"Kultur;;{month};14;2240;110\r\n")
    return "".join(lines)


def _errors(page: str) -> list[str]:
    block = re.search(r'id="import-errors">(.*?)</div>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block[1], re.S) if block else []


def test_total_rows_beside_unit_rows_are_skipped_with_one_note(client, known, hr_user):
    client.force_login(hr_user)

    response = upload(client, _payroll_file())

    assert response.status_code == 302, _errors(response.content.decode())
    preview = client.get(response["Location"]).content.decode()
    assert (
        "3 summeringsrader för förvaltningar hoppades över (rad 2, 8, 14): "
        "siffrorna per enhet används." in preview
    )
    assert "Var och en stämmer med summan av sina enheter." in preview
    assert "15 rader för 5 avdelningar, månaderna 2027-01 till 2027-03." in preview
    client.post(reverse("reports:sick-leave-confirm", args=[SickLeaveImport.objects.get().pk]))
    figures = SickLeaveFigure.objects.select_related("department")
    assert sorted({f.department.name for f in figures}) == [
        "Förskola C",
        "Förskola D",
        "Kultur",
        "Skola A",
        "Skola B",
    ]
    assert figures.count() == 15


def test_a_total_row_that_differs_from_its_units_is_named(client, known, hr_user):
    client.force_login(hr_user)

    response = upload(client, _payroll_file(total_employees=66))

    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "3 summeringsrader för förvaltningar hoppades över" in preview
    assert (
        "Rad 8, summeringen för Barn och utbildning 2027-02, skiljer sig från summan av "
        "enheterna i: Antal anställda." in preview
    )
    assert "stämmer med summan" not in preview


def test_the_same_problem_on_many_rows_is_one_message_naming_the_rows(client, known, hr_user):
    client.force_login(hr_user)
    lines = [HEADER]
    lines += [f"Okänd;;2027-{month:02d};10;100;1\r\n" for month in range(1, 13)]
    lines += ["Kultur;Bibliotek;2027-01;10;100;5\r\n"]
    lines += [f"Okänd;;2028-{month:02d};10;100;1\r\n" for month in range(1, 7)]
    lines += ["Kultur;Bibliotek;2027-02;10;100;500\r\n"]

    response = upload(client, "".join(lines))

    assert response.status_code == 400
    assert _errors(response.content.decode()) == [
        "Raderna 2–13, 15–20, kolumn ”Förvaltning”: ”Okänd” är inte en avdelning i portalen "
        "(importera personallistan först).",
        "Rad 21, kolumn ”Sjukfrånvarotimmar”: fler sjukfrånvarotimmar än schemalagda timmar.",
    ]
    assert not SickLeaveImport.objects.exists()


def _as_payroll_writes_numbers(data: bytes, values: dict[str, str]) -> bytes:
    """The XLSX file with numbers written the way some payroll systems write them (as
    floats: 15450.0, 0.30000000000000004), where openpyxl writes 15450 and 0.3."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                for shown, written in values.items():
                    content = content.replace(
                        f"<v>{shown}</v>".encode(), f"<v>{written}</v>".encode()
                    )
            target.writestr(part, content)
    return out.getvalue()


def test_the_preview_shows_numbers_as_the_file_has_them(client, known, hr_user):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(TEMPLATE_HEADER)
    sheet.append(["Barn och utbildning", "Skola A", "2027-01", 40, 15450, 320.5])
    sheet.append(["Barn och utbildning", "Skola B", "2027-01", 12, 1920.25, 0.3])
    out = io.BytesIO()
    book.save(out)
    data = _as_payroll_writes_numbers(
        out.getvalue(), {"15450": "15450.0", "12": "12.0", "0.3": "0.30000000000000004"}
    )
    assert b"<v>15450.0</v>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    client.force_login(hr_user)

    response = upload(client, data, name="lön.xlsx")

    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', preview)
    assert cells == ["40", "15\xa0450", "320,5", "12", "1\xa0920,25", "0,3"]
    assert "15450.0" not in preview
    client.post(reverse("reports:sick-leave-confirm", args=[SickLeaveImport.objects.get().pk]))
    assert SickLeaveFigure.objects.get(department__name="Skola A").scheduled_hours == Decimal(
        "15450"
    )


def test_a_month_as_excel_shows_it_is_read(client, known, hr_user):
    """Swedish Excel opens the CSV template's 2027-01 as a date and saves it as jan-27."""
    client.force_login(hr_user)

    response = upload(
        client,
        HEADER + "Kultur;Bibliotek;jan-27;14;2240;110\r\nTeknik;Gata;maj-27;11;1760;80\r\n",
    )

    assert response.status_code == 302, _errors(response.content.decode())
    months = [row["month"] for row in SickLeaveImport.objects.get().rows]
    assert months == ["2027-01-01", "2027-05-01"]


def test_the_upload_page_states_the_rules_and_offers_templates(client, known, hr_user):
    client.force_login(hr_user)

    page = client.get(reverse("reports:sick-leave-import")).content.decode()

    assert "Så ska filen se ut" in page
    for column in TEMPLATE_HEADER:
        assert f'<th scope="row">{column}</th>' in page
    assert "Summeringsrader: en rad med tom Enhet" in page
    assert "Månad: 2027-01, 2027-01-01, 202701, januari 2027" in page
    assert "Tal: med decimalkomma eller decimalpunkt (320,5 eller 320.5)" in page
    assert reverse("reports:sick-leave-template", args=["xlsx"]) in page
    assert reverse("reports:sick-leave-template", args=["csv"]) in page


def _template(client, fmt: str) -> bytes:
    response = client.get(reverse("reports:sick-leave-template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="mall-sjukfranvaro.{fmt}"'
    return response.content


def _imports(client, data: bytes, name: str) -> SickLeaveFigure:
    response = client.post(
        reverse("reports:sick-leave-import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, _errors(response.content.decode())
    assert "Barn och utbildning › Förskola C" in client.get(response["Location"]).content.decode()
    upload_row = SickLeaveImport.objects.latest("created_at")
    client.post(reverse("reports:sick-leave-confirm", args=[upload_row.pk]))
    return SickLeaveFigure.objects.get(source=upload_row)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_imports_as_it_is(client, known, hr_user, fmt):
    client.force_login(hr_user)

    figure = _imports(client, _template(client, fmt), f"mall.{fmt}")

    assert str(figure.department) == "Barn och utbildning › Förskola C"
    assert (figure.employees, figure.scheduled_hours, figure.sick_hours) == (
        25,
        Decimal("4000"),
        Decimal("180.5"),
    )


def test_the_csv_template_is_swedish_excel_csv(client, known, hr_user):
    client.force_login(hr_user)
    data = _template(client, "csv")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == TEMPLATE_HEADER
    assert rows[1][:2] == ["Barn och utbildning", "Förskola C"]
    assert rows[1][3:] == ["25", "4000", "180,5"]
    assert re.fullmatch(r"\d{4}-\d{2}", rows[1][2])


def test_the_xlsx_template_holds_values_only_and_libreoffice_reads_it(
    client, known, hr_user, tmp_path
):
    client.force_login(hr_user)
    data = _template(client, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.data_type for row in sheet.iter_rows() for cell in row if cell.value] == [
        *["s"] * 6,
        *["s"] * 3,
        *["n"] * 3,
    ]
    source = tmp_path / "mall.xlsx"
    source.write_bytes(data)

    [shown] = libreoffice.convert([source], f"csv:{libreoffice.CSV_FILTER}", tmp_path)

    rows = list(csv.reader(shown.open(encoding="utf-8"), delimiter=";"))
    assert rows[0] == TEMPLATE_HEADER
    assert rows[1][:2] == ["Barn och utbildning", "Förskola C"]
    # The month stays the text it was (a date would read as a number of days).
    assert re.fullmatch(r"\d{4}-\d{2}", rows[1][2])
    assert rows[1][3:5] == ["25", "4000"]
    assert rows[1][5] in {"180.5", "180,5"}
    # What LibreOffice shows imports too.
    assert _imports(client, shown.read_bytes(), "mall.csv").sick_hours == Decimal("180.5")


def test_only_hr_and_administrators_get_the_template(client, known, manager, coach, admin_user):
    for fmt in ("xlsx", "csv"):
        url = reverse("reports:sick-leave-template", args=[fmt])
        assert client.get(url).status_code == 302  # to the sign-in page
        for person in (manager, coach):
            client.force_login(person)
            assert client.get(url).status_code == 403
        client.force_login(admin_user)
        assert client.get(url).status_code == 200
        client.logout()
    client.force_login(admin_user)
    assert client.get(reverse("reports:sick-leave-template", args=["ods"])).status_code == 404
