"""Which accounts the staff list may change: managers and people without a role. Rows that
match an administrator, staff, a coach or HR are refused row by row and change nothing;
addresses are matched whatever their case."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import services, staff_import
from accounts.models import Department, StaffImport, User
from tests.accounts.test_staff_import import _csv, _import, _upload
from tests.factories import CoachFactory, HRFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

FORVALTNING = "Kommunledningsförvaltningen"


def _row(person: User, *, manager: str = "ja", name: str = "Ändrad Av Listan") -> list[str]:
    return [name, person.email, FORVALTNING, "Listenheten", "Ny titel", manager]


def _fields(person: User) -> tuple:
    person.refresh_from_db()
    return (
        person.full_name,
        person.title,
        person.department_id,
        person.is_active,
        person.is_staff,
        person.is_superuser,
        sorted(person.groups.values_list("name", flat=True)),
    )


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def protected(admin_user, coach):
    """Accounts an uploaded list must never change: most of them deactivated, as someone
    who had left and whom a list would bring back."""
    staff = UserFactory(email="stod@kungsor.test", full_name="Sara Stöd", is_staff=True)
    hr_and_manager = HRFactory(email="hr.chef@kungsor.test", full_name="Hilda HR-chef")
    hr_and_manager.groups.add(Group.objects.get(name="chef"))
    granted = ManagerFactory(email="behorig@kungsor.test", full_name="Bo Behörig")
    granted.user_permissions.add(Permission.objects.get(codename="import_staff"))
    former_coach = CoachFactory(email="f.d.tranare@kungsor.test", full_name="Frida Förre")
    people = [admin_user, coach, staff, hr_and_manager, granted, former_coach]
    User.objects.filter(pk__in=[admin_user.pk, staff.pk, former_coach.pk]).update(is_active=False)
    return people


def test_rows_matching_administrators_staff_coaches_or_hr_change_nothing(hr_client, protected):
    manager = ManagerFactory(email="maja@kungsor.test", full_name="Maja Före", is_active=False)
    before = {person.pk: _fields(person) for person in protected}
    rows = [_row(person) for person in protected] + [_row(manager, name="Maja Efter")]

    preview, done = _import(hr_client, _csv(rows), "personal.csv", deactivate=True)

    assert {person.pk: _fields(person) for person in protected} == before
    # The manager the list manages is brought back and changed, as before.
    assert (_fields(manager)[0], _fields(manager)[1], _fields(manager)[3]) == (
        "Maja Efter",
        "Ny titel",
        True,
    )
    for number, person in enumerate(protected, start=2):
        assert (
            f"Rad {number}: {person.email} är kontot för en administratör, en ledartränare "
            "eller HR. Personallistan ändrar inte sådana konton; en administratör ändrar dem "
            "på administrationssidan."
        ) in preview
    assert "Rader som inte importeras" in preview
    assert "Nya: 0, ändrade: 1, oförändrade: 0, inaktiverade: 0." in done


def test_a_list_of_refused_rows_only_creates_no_department(hr_client, coach):
    response = _upload(hr_client, _csv([_row(coach)]), "personal.csv")
    staff_import_row = StaffImport.objects.get()

    hr_client.post(reverse("accounts:staff-import-confirm", args=[staff_import_row.pk]))

    assert response.status_code == 302
    assert not Department.objects.filter(name=FORVALTNING).exists()
    assert _fields(coach)[0] == "Karin Tränare"


def test_deactivating_missing_people_never_touches_staff_or_roles(hr_client, protected):
    # A manager who is also staff or coach is not the list's to deactivate.
    for person in protected:
        person.groups.add(Group.objects.get(name="chef"))
    User.objects.filter(pk__in=[p.pk for p in protected]).update(is_active=True)
    leaving = ManagerFactory(email="slutat@kungsor.test")

    preview, done = _import(hr_client, _csv([_row(ManagerFactory())]), "personal.csv", True)

    assert all(User.objects.get(pk=person.pk).is_active for person in protected)
    assert not User.objects.get(pk=leaving.pk).is_active
    assert "inaktiverade: 1." in done
    for person in protected:
        assert person.email not in preview


def test_the_service_refuses_what_the_preview_refused(hr_user, coach):
    created = services.staff_import_preview(
        data=_csv([_row(coach)]), filename="personal.csv", created_by=hr_user
    )

    diff = staff_import.compare([staff_import.StaffRow(**row) for row in created.rows])
    summary = services.staff_import_apply(staff_import=created, deactivate_missing=True)

    assert [refused.row for refused in diff.refused] == [2]
    assert (diff.new, diff.changed, diff.unchanged, diff.has_changes) == ([], [], 0, False)
    assert summary == {"new": 0, "changed": 0, "unchanged": 0, "deactivated": 0}
    assert _fields(coach)[0] == "Karin Tränare"


def test_addresses_are_matched_whatever_their_case_and_stored_lower_case(hr_client):
    existing = ManagerFactory(email="Anna.Berg@Kungsor.test", full_name="Anna Berg")
    rows = [
        ["Anna Berg-Ny", "ANNA.BERG@KUNGSOR.TEST", FORVALTNING, "", "", "ja"],
        ["Nils Ny", "Nils.Ny@Kungsor.Test", FORVALTNING, "", "", "ja"],
    ]

    preview, _done = _import(hr_client, _csv(rows), "personal.csv")

    assert "1 ny person" in preview and "1 person ändrad" in preview
    existing.refresh_from_db()
    assert existing.full_name == "Anna Berg-Ny"
    assert User.objects.filter(email__iexact="anna.berg@kungsor.test").count() == 1
    assert User.objects.get(full_name="Nils Ny").email == "nils.ny@kungsor.test"
