import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Department, User
from tests.factories import EnhetFactory, ForvaltningFactory, UserFactory


@pytest.mark.django_db
def test_an_enhet_must_belong_to_a_forvaltning():
    with pytest.raises(IntegrityError):
        Department.objects.create(name="Lös enhet", kind=Department.Kind.ENHET)


@pytest.mark.django_db
def test_department_names_are_unique_within_their_parent_whatever_the_case():
    forvaltning = ForvaltningFactory(name="Kultur")
    EnhetFactory(name="Biblioteket", parent=forvaltning)

    with pytest.raises(ValidationError):
        Department(name="BIBLIOTEKET", kind=Department.Kind.ENHET, parent=forvaltning).full_clean()
    # The same unit name under another förvaltning is fine.
    Department(
        name="Biblioteket", kind=Department.Kind.ENHET, parent=ForvaltningFactory()
    ).full_clean()


@pytest.mark.django_db
def test_email_is_the_login_and_unique_whatever_the_case():
    User.objects.create_user("Anna.Berg@Kungsor.test", "Ett-långt-lösenord-1", full_name="Anna")

    assert User.objects.get_by_natural_key("anna.berg@kungsor.test").full_name == "Anna"
    with pytest.raises(IntegrityError):
        UserFactory(email="ANNA.BERG@kungsor.test")


@pytest.mark.django_db
def test_createsuperuser_makes_an_admin():
    admin = User.objects.create_superuser("it@kungsor.test", "Ett-långt-lösenord-2", full_name="IT")

    assert admin.is_superuser and admin.is_staff


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert perms["chef"] == {"write_journal"}
    assert "coach_programme" in perms["ledartranare"]
    assert {"view_reports", "import_staff"} <= perms["hr"]
    assert "write_journal" not in perms["hr"] | perms["ledartranare"]
