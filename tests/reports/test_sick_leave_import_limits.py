"""The sick-leave import reads Excel files through the same guarded reader as the staff
import, with its own row limit."""

import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import staff_import
from reports.models import SickLeaveFigure, SickLeaveImport
from tests.support.xlsx import xlsx, zip_bomb

pytestmark = pytest.mark.django_db

HEADER = ["Förvaltning", "Enhet", "Månad", "Antal anställda", "Schemalagda timmar", "Sjukfrånvaro"]
ROW = ["Kultur", "Bibliotek", "2027-02", "14", "2240", "110"]
TOO_BIG = (
    "Bladet är större än 50000 rader eller 50 kolumner, räknat med tomma celler som någon "
    "gång har formaterats. Kopiera listan till en ny Excelfil eller spara den som CSV."
)


def _upload(client, data: bytes, name: str = "lön.xlsx"):
    started = time.monotonic()
    response = client.post(
        reverse("reports:sick-leave-import"), {"file": SimpleUploadedFile(name, data)}
    )
    return response, time.monotonic() - started


@pytest.mark.parametrize("actor", ["hr_user", "admin_user"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (xlsx([HEADER, ROW], dimension="A1:XFD20000", extra=[(20_000, 1, "x")]), TOO_BIG),
        (xlsx([HEADER, ROW], dimension="A1:F50002"), TOO_BIG),
        (zip_bomb(21 * 1024 * 1024), "Excelfilen blir större än 20 MB när den packas upp."),
    ],
    ids=["declares-A1:XFD20000", "declares-50001-rows", "unpacks-21-MB"],
)
def test_a_hostile_excel_file_is_answered_at_once_and_changes_nothing(
    client, request, known, actor, data, message
):
    client.force_login(request.getfixturevalue(actor))

    response, seconds = _upload(client, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert seconds < 5
    assert not SickLeaveImport.objects.exists()
    assert not SickLeaveFigure.objects.exists()


def test_the_sick_leave_limit_is_its_own_not_the_staff_lists(client, known, hr_user, monkeypatch):
    # Before, the shared reader stopped at the staff list's limit (20,000 rows) and a longer
    # sick-leave file lost its last rows without a word; here the staff limit is made 3.
    monkeypatch.setattr(staff_import, "MAX_ROWS", 3)
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for month in range(1, 7):
        book.active.append(["Kultur", "Bibliotek", f"2027-{month:02d}", 14, 2240, 110])
    out = io.BytesIO()
    book.save(out)
    client.force_login(hr_user)

    response, _seconds = _upload(client, out.getvalue())

    assert response.status_code == 302
    assert len(SickLeaveImport.objects.get().rows) == 6


def test_cells_far_to_the_right_are_not_read(client, known, hr_user):
    client.force_login(hr_user)
    far = [(number, 16384, "x") for number in range(1, 20_001)]

    response, seconds = _upload(client, xlsx([HEADER, ROW], extra=far))

    assert response.status_code == 302
    assert seconds < 5
    assert [row["sick_hours"] for row in SickLeaveImport.objects.get().rows] == ["110"]
