"""The staff import's rules on its upload page, one message for a problem on many rows, and a
template (XLSX and CSV) that imports as it is."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Department, StaffImport, User
from accounts.staff_import import TEMPLATE_HEADER
from tests.accounts.test_staff_import import _csv, _people
from tests.factories import EnhetFactory, ForvaltningFactory
from tests.support import libreoffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def skola_a(db):
    return EnhetFactory(name="Skola A", parent=ForvaltningFactory(name="Barn och utbildning"))


def _errors(page: str) -> list[str]:
    block = re.search(r'id="import-errors">(.*?)</div>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block[1], re.S) if block else []


def _template(client, fmt: str) -> bytes:
    response = client.get(reverse("accounts:staff-import-template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="mall-personallista.{fmt}"'
    return response.content


def _imports(client, data: bytes, name: str) -> User:
    response = client.post(
        reverse("accounts:staff-import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, _errors(response.content.decode())
    assert "1 ny person" in client.get(response["Location"]).content.decode()
    client.post(
        reverse("accounts:staff-import-confirm", args=[StaffImport.objects.latest("pk").pk])
    )
    return User.objects.get(email="anna.andersson@example.com")


def test_the_same_problem_on_many_rows_is_one_message_naming_the_rows(hr_client):
    rows = _people(25)
    for row in rows[:18]:
        row[5] = "kanske"
    rows[20][1] = "anna@"

    response = hr_client.post(
        reverse("accounts:staff-import"),
        {"file": SimpleUploadedFile("personal.csv", _csv(rows))},
    )

    assert response.status_code == 400
    assert _errors(response.content.decode()) == [
        "Raderna 2–19, kolumn ”Chef”: ”kanske” förstås inte; skriv ”ja” eller ”nej”.",
        "Rad 22, kolumn ”E-post”: ”anna@” är inte en giltig e-postadress.",
    ]


def test_the_upload_page_states_the_rules_and_offers_templates(hr_client):
    page = hr_client.get(reverse("accounts:staff-import")).content.decode()

    assert "Så ska filen se ut" in page
    for column in TEMPLATE_HEADER:
        assert f'<th scope="row">{column}</th>' in page
    assert "Personer känns igen på e-postadressen." in page
    assert "ja eller nej: om personen är chef i programmet" in page
    assert reverse("accounts:staff-import-template", args=["xlsx"]) in page
    assert reverse("accounts:staff-import-template", args=["csv"]) in page


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_imports_as_it_is(hr_client, skola_a, fmt):
    person = _imports(hr_client, _template(hr_client, fmt), f"mall.{fmt}")

    assert person.full_name == "Anna Andersson"
    assert person.department == skola_a
    assert person.title == "Rektor"
    assert person.groups.filter(name="chef").exists()


def test_the_template_imports_in_a_portal_without_departments(hr_client):
    User.objects.update(department=None)
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()

    person = _imports(hr_client, _template(hr_client, "csv"), "mall.csv")

    assert person.department.name == "Barn- och utbildningsförvaltningen"


def test_the_csv_template_is_swedish_excel_csv(hr_client, skola_a):
    data = _template(hr_client, "csv")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        TEMPLATE_HEADER,
        [
            "Anna Andersson",
            "anna.andersson@example.com",
            "Barn och utbildning",
            "Skola A",
            "Rektor",
            "ja",
        ],
    ]


def test_the_xlsx_template_holds_values_only_and_libreoffice_reads_it(hr_client, skola_a, tmp_path):
    data = _template(hr_client, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s"}
    source = tmp_path / "mall.xlsx"
    source.write_bytes(data)

    [shown] = libreoffice.convert([source], f"csv:{libreoffice.CSV_FILTER}", tmp_path)

    rows = list(csv.reader(shown.open(encoding="utf-8"), delimiter=";"))
    assert rows == [
        TEMPLATE_HEADER,
        [
            "Anna Andersson",
            "anna.andersson@example.com",
            "Barn och utbildning",
            "Skola A",
            "Rektor",
            "ja",
        ],
    ]
    assert _imports(hr_client, shown.read_bytes(), "mall.csv").department == skola_a


def test_only_hr_and_administrators_get_the_template(client, manager, coach, admin_user):
    for fmt in ("xlsx", "csv"):
        url = reverse("accounts:staff-import-template", args=[fmt])
        assert client.get(url).status_code == 302  # to the sign-in page
        for person in (manager, coach):
            client.force_login(person)
            assert client.get(url).status_code == 403
        client.force_login(admin_user)
        assert client.get(url).status_code == 200
        client.logout()
    client.force_login(admin_user)
    assert client.get(reverse("accounts:staff-import-template", args=["ods"])).status_code == 404
