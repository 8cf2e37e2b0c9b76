"""Differencing over time (issue #17, item 8), as HR would try it: export the figures,
import a staff list without one manager, export the same figures again, import the
manager back. The files must be the same each time: their difference would be that
manager's reflections."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffImport, User
from reflections.models import Entry

pytestmark = pytest.mark.django_db

HEADER = ["Namn", "E-post", "Förvaltning", "Enhet", "Titel", "Chef"]
STAFF = [
    [f"Chef {i}", f"chef{i}@kungsor.test", "Barn och utbildning", "Skola A", "Rektor", "ja"]
    for i in range(6)
]


def _staff_import(client, rows, *, deactivate: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([HEADER, *rows])
    upload = SimpleUploadedFile("personal.csv", buffer.getvalue().encode("cp1252"))
    response = client.post(reverse("accounts:staff-import"), {"file": upload})
    assert response.status_code == 302
    staff_import = StaffImport.objects.latest("created_at")
    confirm = client.post(
        reverse("accounts:staff-import-confirm", args=[staff_import.pk]),
        {"deactivate_missing": "on"} if deactivate else {},
    )
    assert confirm.status_code == 302


def _export(client, params) -> str:
    cache.clear()  # the figures are kept a quarter of an hour: HR waits it out
    response = client.get(reverse("reports:export", args=["enheter", "csv"]), params)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_a_staff_import_without_one_manager_does_not_change_the_figures(client, hr_user):
    client.force_login(hr_user)
    _staff_import(client, STAFF, deactivate=False)
    today = timezone.localdate()
    for n, manager in enumerate(User.objects.filter(email__startswith="chef").order_by("email")):
        for _ in range(n + 1):  # 1 + 2 + ... + 6 = 21 entries; the last manager wrote 6
            Entry.objects.create(author=manager, body="x", written_on=today - timedelta(days=3))
    params = {"since": (today - timedelta(days=30)).isoformat(), "until": today.isoformat()}

    before = _export(client, params)
    _staff_import(client, STAFF[:5], deactivate=True)
    while_gone = _export(client, params)
    _staff_import(client, STAFF, deactivate=False)
    back = _export(client, params)

    assert not User.objects.get(email="chef5@kungsor.test").deactivated_at  # back again
    rows = list(csv.reader(io.StringIO(before), delimiter=";"))
    header = rows[rows.index([]) + 1]
    skola_a = next(r for r in rows if r and r[0] == "Barn och utbildning › Skola A")
    assert skola_a[header.index("Chefer")] == "6"
    assert skola_a[header.index("Skrivna reflektioner")] == "21"
    assert while_gone == before  # not 5 managers and 15 entries: the 6 would be hers
    assert back == before
