import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

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


def _lowercase_emails():
    """The data migration's function, run against the current models."""
    migration = importlib.import_module("accounts.migrations.0006_lowercase_emails")
    migration.lowercase_emails(django_apps, None)


@pytest.mark.django_db
def test_the_migration_stores_existing_addresses_in_lower_case():
    anna = UserFactory(email="anna.berg@kungsor.test")
    olle = UserFactory(email="olle@kungsor.test")
    # Written before addresses were normalised (an old staff import, a raw save).
    User.objects.filter(pk=anna.pk).update(email="Anna.Berg@Kungsor.TEST")

    _lowercase_emails()

    anna.refresh_from_db()
    olle.refresh_from_db()
    assert anna.email == "anna.berg@kungsor.test"
    assert olle.email == "olle@kungsor.test"


@pytest.mark.django_db
def test_the_migration_refuses_clashing_addresses_and_names_them():
    # Only possible in a database that never had the case-insensitive constraint.
    constraint = next(c for c in User._meta.constraints if c.name == "user_unique_email_ci")
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, constraint)
    first = UserFactory(email="kim@kungsor.test")
    second = UserFactory(email="Kim@Kungsor.test")
    UserFactory(email="Solo@Kungsor.test")

    with pytest.raises(RuntimeError) as refused:
        _lowercase_emails()

    message = str(refused.value)
    assert "same email address in different letter case" in message
    assert f"id {first.pk}: kim@kungsor.test" in message
    assert f"id {second.pk}: Kim@Kungsor.test" in message
    assert "Solo" not in message
    assert User.objects.filter(email="Solo@Kungsor.test").exists()  # nothing changed


@pytest.mark.django_db
def test_the_database_refuses_an_address_that_differs_only_in_case():
    UserFactory(email="a@kungsor.test")

    with pytest.raises(IntegrityError):
        # A raw save, past every form and the manager: the constraint still holds.
        User(email="A@kungsor.test", full_name="A").save()
