"""HR imports monthly sick-leave figures: preview first, then all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import SickLeaveFigure, SickLeaveImport

pytestmark = pytest.mark.django_db

HEADER = "Förvaltning;Enhet;Månad;Antal anställda;Schemalagda timmar;Sjukfrånvaro (timmar)\r\n"


def upload(client, text: str, name: str = "sjuk.csv", encoding: str = "utf-8-sig"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(
        reverse("reports:sick-leave-import"), {"file": SimpleUploadedFile(name, data)}
    )


def test_preview_then_import(client, known, hr_user):
    client.force_login(hr_user)
    response = upload(
        client,
        HEADER
        + "Barn och utbildning;Skola A;2027-01;40;6400;320,5\r\n"
        + "Barn och utbildning;Skola B;januari 2027;12;1920;96\r\n"
        + "Vård och omsorg;;2027-01-01;80;12800;1024\r\n",
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "3 rader för 3 avdelningar" in preview
    assert not SickLeaveFigure.objects.exists()

    upload_row = SickLeaveImport.objects.get()
    done = client.post(reverse("reports:sick-leave-confirm", args=[upload_row.pk]), follow=True)
    assert "Sjukfrånvarosiffrorna är importerade: 3 rader." in done.content.decode()
    figures = {
        (f.department.name, f.month.isoformat()): (f.employees, f.scheduled_hours, f.sick_hours)
        for f in SickLeaveFigure.objects.select_related("department")
    }
    assert figures == {
        ("Skola A", "2027-01-01"): (40, Decimal("6400.00"), Decimal("320.50")),
        ("Skola B", "2027-01-01"): (12, Decimal("1920.00"), Decimal("96.00")),
        ("Vård och omsorg", "2027-01-01"): (80, Decimal("12800.00"), Decimal("1024.00")),
    }
    # Confirming twice changes nothing.
    client.post(reverse("reports:sick-leave-confirm", args=[upload_row.pk]))
    assert SickLeaveFigure.objects.count() == 3


def test_xlsx_with_percentages_as_payroll_exports_them(client, known, hr_user):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["Förvaltning", "Enhet", "Period", "Anställda", "Schemalagd tid", "Sjukfrånvaro %"]
    )
    sheet.append(["Kultur", "Bibliotek", "2027-02", 14, 2240, "4,9"])
    sheet.append(["Teknik", "Gata", "202702", 11, 1760.0, 8.9])
    out = io.BytesIO()
    book.save(out)
    client.force_login(hr_user)
    response = upload(client, out.getvalue(), name="lön.xlsx")
    assert response.status_code == 302
    client.post(reverse("reports:sick-leave-confirm", args=[SickLeaveImport.objects.get().pk]))
    assert dict(SickLeaveFigure.objects.values_list("department__name", "sick_hours")) == {
        "Bibliotek": Decimal("109.76"),
        "Gata": Decimal("156.64"),
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Okänd;;2027-01;10;100;1", "Rad 2, kolumn ”Förvaltning”: ”Okänd” är inte en avdelning"),
        ("Kultur;Bibliotek;13/2027;10;100;1", "Rad 2, kolumn ”Månad”: ”13/2027” är inte en månad"),
        ("Kultur;Bibliotek;2027-01;tio;100;1", "Rad 2, kolumn ”Antal anställda”: ”tio” är inte"),
        ("Kultur;Bibliotek;2027-01;10;0;0", "Rad 2, kolumn ”Schemalagda timmar”"),
        ("Kultur;Bibliotek;2027-01;10;100;150", "fler sjukfrånvarotimmar än schemalagda timmar"),
        (
            "Kultur;Bibliotek;2027-01;10;100;",
            "Rad 2, kolumn ”Sjukfrånvarotimmar”: sjukfrånvaron saknas.",
        ),
    ],
)
def test_a_bad_row_imports_nothing_and_is_named(client, known, hr_user, line, message):
    client.force_login(hr_user)
    response = upload(client, HEADER + "Kultur;Bibliotek;2027-03;10;100;5\r\n" + line + "\r\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Inget importerades." in page
    assert message.replace("Rad 2", "Rad 3") in page
    assert not SickLeaveImport.objects.exists()
    assert not SickLeaveFigure.objects.exists()


def test_the_same_month_twice_is_refused(client, known, hr_user):
    """(A förvaltning's total row beside its units is skipped: test_sick_leave_import_rules.)"""
    client.force_login(hr_user)
    response = upload(
        client,
        HEADER
        + "Kultur;Bibliotek;2027-01;10;100;5\r\n"
        + "Kultur;Bibliotek;2027-01;10;100;5\r\n"
        + "Kultur;;2027-01;10;100;5\r\n",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kultur › Bibliotek 2027-01 finns också på rad 2." in page
    assert "Kultur har siffror både för hela förvaltningen" not in page


def test_a_missing_column_is_named(client, known, hr_user):
    client.force_login(hr_user)
    response = upload(client, "Förvaltning;Månad;Antal anställda\r\nKultur;2027-01;10\r\n")
    assert "Rad 1 (rubrikraden) saknar kolumnen/kolumnerna: Schemalagda timmar" in (
        response.content.decode()
    )


def test_only_hr_imports(client, known, manager, coach):
    for person in (manager, coach):
        client.force_login(person)
        assert upload(client, HEADER).status_code == 403
        assert client.get(reverse("reports:sick-leave-import")).status_code == 403


def test_absurdly_large_numbers_are_refused_not_crashed_on(client, known, hr_user):
    """Found by the parser fuzzing: 1e309 hours made the percentage arithmetic fail."""
    client.force_login(hr_user)
    response = upload(
        client,
        "Förvaltning;Enhet;Månad;Antal anställda;Schemalagda timmar;Sjukfrånvaro (%)\r\n"
        "Kultur;Bibliotek;2027-01;10;1e309;5\r\n",
    )
    assert response.status_code == 400
    assert "”1e309” är inte ett antal timmar över 0." in response.content.decode()
