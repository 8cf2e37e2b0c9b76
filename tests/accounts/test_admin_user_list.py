"""The administrators' list of people, filtered by förvaltning, at any number of departments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.factories import EnhetFactory, ForvaltningFactory, ManagerFactory

pytestmark = pytest.mark.django_db


def _user_list(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:accounts_user_changelist"), params or {})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_forvaltning_filter_lists_its_enheter_people_and_its_own(client, admin_user):
    skola = ForvaltningFactory(name="Skolförvaltningen")
    inside = ManagerFactory(full_name="Ida Enhetschef", department=EnhetFactory(parent=skola))
    direct = ManagerFactory(full_name="Dan Direkt", department=skola)
    outside = ManagerFactory(full_name="Otto Utanför", department=EnhetFactory())
    client.force_login(admin_user)

    page, _ = _user_list(client)
    assert "Skolförvaltningen" in page  # a choice in the filter
    page, _ = _user_list(client, {"forvaltning": skola.pk})

    assert inside.full_name in page
    assert direct.full_name in page
    assert outside.full_name not in page
    page, _ = _user_list(client, {"forvaltning": "x"})
    assert outside.full_name not in page


def test_the_user_list_makes_as_many_queries_with_ten_times_the_departments(client, admin_user):
    client.force_login(admin_user)
    for _ in range(3):
        EnhetFactory()
    _, small = _user_list(client)
    for _ in range(30):
        ManagerFactory(department=EnhetFactory())
    _, large = _user_list(client)
    assert large == small


def test_the_admin_stores_a_new_address_in_lower_case_and_refuses_another_case(client, admin_user):
    client.force_login(admin_user)
    add = reverse("admin:accounts_user_add")

    client.post(
        add,
        {"email": "Ny.Person@Kungsor.TEST", "full_name": "Ny Person", "usable_password": "false"},
    )
    again = client.post(
        add,
        {"email": "NY.PERSON@kungsor.test", "full_name": "Dubblett", "usable_password": "false"},
    )

    assert User.objects.get(full_name="Ny Person").email == "ny.person@kungsor.test"
    assert again.status_code == 200  # the form again, with an error
    assert "Det finns redan ett konto med den här e-postadressen." in again.content.decode()
    assert not User.objects.filter(full_name="Dubblett").exists()
