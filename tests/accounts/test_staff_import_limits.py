"""A small hostile Excel file gets a clear answer at once, and changes nothing: a sheet that
declares 300 million cells, a cell far to the right, a part that unpacks to too much."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import StaffImport, User
from tests.accounts.test_staff_import import HEADER
from tests.support.xlsx import xlsx, zip_bomb

pytestmark = pytest.mark.django_db

TOO_BIG = (
    "Bladet är större än 20000 rader eller 50 kolumner, räknat med tomma celler som någon "
    "gång har formaterats. Kopiera listan till en ny Excelfil eller spara den som CSV."
)
PERSON = ["Åsa Öberg", "asa.oberg@kungsor.test", "Vård- och omsorgsförvaltningen", "", "", "ja"]


def _upload(client, data: bytes):
    started = time.monotonic()
    response = client.post(
        reverse("accounts:staff-import"), {"file": SimpleUploadedFile("personal.xlsx", data)}
    )
    return response, time.monotonic() - started


@pytest.fixture
def importer(request, client):
    client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.mark.parametrize("importer", ["hr_user", "admin_user"], indirect=True)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (xlsx([HEADER, PERSON], dimension="A1:XFD20000", extra=[(20_000, 1, "x")]), TOO_BIG),
        (xlsx([HEADER, PERSON], dimension="A1:F20002"), TOO_BIG),
        (
            zip_bomb(21 * 1024 * 1024),
            "Excelfilen blir större än 20 MB när den packas upp. Spara listan som CSV eller "
            "kopiera den till en ny Excelfil.",
        ),
        (zip_bomb(2 * 1024 * 1024), "Excelfilen kunde inte läsas."),
    ],
    ids=["declares-A1:XFD20000", "declares-20001-people", "unpacks-21-MB", "packs-1000-to-1"],
)
def test_a_hostile_excel_file_is_answered_at_once_and_changes_nothing(importer, data, message):
    people = User.objects.count()

    response, seconds = _upload(importer, data)

    assert len(data) < 40_000
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Inget importerades." in response.content.decode()
    assert seconds < 5
    assert not StaffImport.objects.exists()
    assert User.objects.count() == people


def test_a_sheet_fifty_columns_wide_imports(client, hr_user):
    client.force_login(hr_user)
    header = HEADER + [f"Övrigt {n}" for n in range(len(HEADER) + 1, 51)]
    data = xlsx([header, PERSON + ["-"] * (50 - len(PERSON))], dimension="A1:AX2")

    response, _seconds = _upload(client, data)

    assert response.status_code == 302
    assert StaffImport.objects.get().rows[0]["email"] == "asa.oberg@kungsor.test"


def test_cells_far_to_the_right_are_not_read(client, hr_user):
    # No declared size, but every row holds a cell in the sheet's last column, XFD.
    client.force_login(hr_user)
    far = [(number, 16384, "x") for number in range(1, 20_001)]
    data = xlsx([HEADER, PERSON], extra=far)

    response, seconds = _upload(client, data)

    assert response.status_code == 302
    assert seconds < 5
    assert [row["email"] for row in StaffImport.objects.get().rows] == [PERSON[1]]
