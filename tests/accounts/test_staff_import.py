"""Staff import: Swedish Excel files in, a preview, then all or nothing."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Department, StaffImport, User
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

HEADER = ["Namn", "E-post", "Förvaltning", "Enhet", "Titel", "Chef"]
FORVALTNINGAR = ["Barn- och utbildningsförvaltningen", "Vård- och omsorgsförvaltningen"]


def _people(count: int) -> list[list[str]]:
    return [
        [
            f"Åsa Öberg {i}",
            f"asa.oberg{i}@kungsor.test",
            FORVALTNINGAR[i % 2],
            f"Enhet Ängen {i % 7}",
            "Enhetschef" if i % 3 else "Handläggare",
            "ja" if i % 3 else "nej",
        ]
        for i in range(count)
    ]


def _csv(rows, *, delimiter=";", encoding="cp1252", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, name: str):
    return client.post(reverse("accounts:staff-import"), {"file": SimpleUploadedFile(name, data)})


def _import(client, data: bytes, name: str, deactivate: bool = False):
    response = _upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response["Location"])
    staff_import = StaffImport.objects.latest("created_at")
    confirm = client.post(
        reverse("accounts:staff-import-confirm", args=[staff_import.pk]),
        {"deactivate_missing": "on"} if deactivate else {},
        follow=True,
    )
    return preview.content.decode(), confirm.content.decode()


def _state() -> list[tuple]:
    people = User.objects.order_by("email").values_list(
        "email", "full_name", "title", "department__name", "is_active"
    )
    managers = Group.objects.get(name="chef").user_set.order_by("pk").values_list("pk")
    return [*people, tuple(managers)]


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("personal.csv", _csv(_people(500), delimiter=";", encoding="cp1252")),
        ("personal.csv", _csv(_people(500), delimiter=",", encoding="utf-8", bom=True)),
        ("personal.xlsx", _xlsx(_people(500))),
    ],
    ids=["semicolon-windows-1252", "comma-utf8-bom", "xlsx"],
)
def test_500_people_import_in_one_step_and_again_changes_nothing(hr_client, name, data):
    preview, done = _import(hr_client, data, name)

    assert "500 nya personer" in preview
    assert "Listan är importerad. Nya: 500," in done
    person = User.objects.get(email="asa.oberg4@kungsor.test")
    assert person.full_name == "Åsa Öberg 4"
    assert person.department.name == "Enhet Ängen 4"
    assert person.department.parent.name == "Barn- och utbildningsförvaltningen"
    assert person.groups.filter(name="chef").exists()
    assert not User.objects.get(email="asa.oberg3@kungsor.test").groups.exists()
    assert Department.objects.filter(kind="forvaltning", name__in=FORVALTNINGAR).count() == 2
    assert not person.has_usable_password()

    before = _state()
    again = _upload(hr_client, data, name)
    second_preview = hr_client.get(again["Location"]).content.decode()

    assert "0 nya personer" in second_preview
    assert "500 personer oförändrade" in second_preview
    assert "Portalen stämmer redan med filen" in second_preview
    assert _state() == before


def test_one_bad_row_imports_nothing_and_names_row_column_and_problem(hr_client):
    rows = _people(20)
    rows[5][1] = "anna@"  # spreadsheet row 7: the header is row 1
    rows[11][5] = "kanske"

    response = _upload(hr_client, _csv(rows), "personal.csv")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Inget importerades." in page
    assert "Rad 7, kolumn ”E-post”: ”anna@” är inte en giltig e-postadress." in page
    assert "Rad 13, kolumn ”Chef”: ”kanske” förstås inte; skriv ”ja” eller ”nej”." in page
    assert not StaffImport.objects.exists()
    assert (
        not User.objects.filter(email__endswith="@kungsor.test").exclude(groups__name="hr").exists()
    )


def test_reimport_with_a_changed_department_moves_the_person(hr_client):
    rows = _people(10)
    _import(hr_client, _csv(rows), "personal.csv")
    rows[4][2], rows[4][3] = "Kommunledningsförvaltningen", "Ekonomienheten"

    preview, _ = _import(hr_client, _csv(rows), "personal.csv")

    assert "1 person ändrad" in preview
    assert "avdelning: Barn- och utbildningsförvaltningen › Enhet Ängen 4 → " in preview
    person = User.objects.get(email="asa.oberg4@kungsor.test")
    assert str(person.department) == "Kommunledningsförvaltningen › Ekonomienheten"


def test_missing_managers_are_deactivated_only_when_asked(hr_client):
    leaving = ManagerFactory(email="slutat@kungsor.test", full_name="Stina Slutat")

    preview, _ = _import(hr_client, _csv(_people(3)), "personal.csv")
    leaving.refresh_from_db()
    assert "Stina Slutat" in preview
    assert leaving.is_active

    _, done = _import(hr_client, _csv(_people(3)), "personal.csv", deactivate=True)
    leaving.refresh_from_db()
    assert not leaving.is_active
    assert leaving.deactivated_at is not None  # gallring counts from here
    assert "inaktiverade: 1." in done
    assert User.objects.filter(pk=leaving.pk).exists()  # nobody is deleted


def test_confirming_twice_applies_once(hr_client):
    _upload(hr_client, _csv(_people(3)), "personal.csv")
    staff_import = StaffImport.objects.get()
    url = reverse("accounts:staff-import-confirm", args=[staff_import.pk])

    hr_client.post(url)
    User.objects.filter(email="asa.oberg1@kungsor.test").update(full_name="Ändrad efteråt")
    hr_client.post(url)

    assert User.objects.get(email="asa.oberg1@kungsor.test").full_name == "Ändrad efteråt"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("personal.pdf", b"%PDF-1.4", "Ladda upp listan som en CSV- eller XLSX-fil."),
        ("personal.xlsx", b"PK\x03\x04 not really a zip", "Excelfilen kunde inte läsas."),
        ("personal.csv", b"Namn;E-post\r\nAnna;a@k.se\r\n", "saknar kolumnen/kolumnerna"),
        ("personal.csv", b"", "Den skickade filen är tom."),
        ("personal.csv", _csv([]), "Filen har en rubrikrad men inga personer."),
    ],
)
def test_unusable_files_get_a_swedish_message(hr_client, name, data, message):
    response = _upload(hr_client, data, name)

    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not StaffImport.objects.exists()


def test_the_same_email_twice_in_a_file_is_an_error(hr_client):
    rows = _people(4)
    rows[3][1] = rows[0][1]

    page = _upload(hr_client, _csv(rows), "personal.csv").content.decode()

    assert "Rad 5, kolumn ”E-post”: asa.oberg0@kungsor.test finns också på rad 2." in page


@pytest.mark.parametrize("actor", ["manager", "coach"])
def test_only_hr_and_administrators_import(client, request, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("accounts:staff-import")).status_code == 403
    assert _upload(client, _csv(_people(2)), "personal.csv").status_code == 403


def test_administrators_import_too(admin_client):
    assert admin_client.get(reverse("accounts:staff-import")).status_code == 200


@pytest.mark.parametrize("actor", ["manager", "coach"])
def test_others_cannot_see_or_confirm_a_preview(client, request, hr_client, actor):
    _upload(hr_client, _csv(_people(2)), "personal.csv")
    staff_import = StaffImport.objects.get()
    client.force_login(request.getfixturevalue(actor))

    preview = client.get(reverse("accounts:staff-import-preview", args=[staff_import.pk]))
    confirm = client.post(reverse("accounts:staff-import-confirm", args=[staff_import.pk]))

    assert (preview.status_code, confirm.status_code) == (403, 403)
    assert not User.objects.filter(email="asa.oberg0@kungsor.test").exists()


def test_an_old_preview_cannot_undo_a_newer_import(hr_client):
    rows = _people(3)
    _upload(hr_client, _csv(rows), "personal.csv")
    old = StaffImport.objects.get()
    rows[0][0] = "Nytt Namn"
    _import(hr_client, _csv(rows), "personal.csv")

    response = hr_client.post(reverse("accounts:staff-import-confirm", args=[old.pk]), follow=True)

    assert "En nyare lista har importerats sedan den här förhandsgranskningen." in (
        response.content.decode()
    )
    assert User.objects.get(email="asa.oberg0@kungsor.test").full_name == "Nytt Namn"


def test_only_people_missing_in_the_preview_are_deactivated(hr_client):
    _upload(hr_client, _csv(_people(2)), "personal.csv")
    staff_import = StaffImport.objects.get()
    # Someone becomes a manager after HR looked at the preview.
    later = ManagerFactory(email="senare@kungsor.test")

    hr_client.post(
        reverse("accounts:staff-import-confirm", args=[staff_import.pk]),
        {"deactivate_missing": "on"},
    )

    later.refresh_from_db()
    assert later.is_active
