"""Adding many managers to a training group at once: search and tick, paste addresses, or a
whole unit; all or none, and the coach is told exactly what happened."""

import pytest
from django.urls import reverse

from programme.models import CohortMembership
from tests.factories import CohortFactory, EnhetFactory, ManagerFactory
from tests.support.forms import form_fields, submit


@pytest.fixture
def newcomers(world):
    """Three managers of the unit Ekonomienheten, in no group yet."""
    unit = EnhetFactory(name="Ekonomienheten")
    return [
        ManagerFactory(full_name=name, email=email, department=unit)
        for name, email in [
            ("Alva Ekonom", "alva.ekonom@kungsor.test"),
            ("Bruno Ekonom", "bruno.ekonom@kungsor.test"),
            ("Cilla Ekonom", "cilla.ekonom@kungsor.test"),
        ]
    ]


def _url(cohort) -> str:
    return reverse("programme:members-add", args=[cohort.pk])


def _active(cohort) -> set:
    return set(
        cohort.memberships.filter(left_on__isnull=True).values_list("user__email", flat=True)
    )


def test_the_coach_searches_ticks_and_pastes_and_all_are_added_in_one_post(
    client, world, coach, newcomers
):
    cohort = world["cohort"]
    alva, bruno, cilla = newcomers
    client.force_login(coach)
    # From the group's page, then a search as a GET form (no JavaScript needed).
    detail = client.get(reverse("programme:cohort-detail", args=[cohort.pk])).content.decode()
    assert f'href="{_url(cohort)}"' in detail
    url = f"{_url(cohort)}?q=ekonomi"
    page = client.get(url).content.decode()

    assert "3 chefer utanför gruppen matchar ”ekonomi”." in page
    assert "Alva Ekonom, alva.ekonom@kungsor.test" in page
    response = submit(
        client,
        page,
        url,
        users=[str(alva.pk), str(bruno.pk)],
        emails="Cilla Ekonom <Cilla.Ekonom@kungsor.test>; alva.ekonom@kungsor.test",
    )

    assert response.status_code == 302
    assert _active(cohort) >= {alva.email, bruno.email, cilla.email}
    message = client.get(response["Location"]).content.decode()
    assert "3 chefer är tillagda i gruppen: Alva Ekonom, Bruno Ekonom, Cilla Ekonom." in message


def test_unknown_or_wrong_addresses_are_named_and_nobody_is_added(
    client, world, coach, hr_user, newcomers
):
    cohort = world["cohort"]
    alva = newcomers[0]
    before = CohortMembership.objects.count()
    client.force_login(coach)
    page = client.get(_url(cohort)).content.decode()
    pasted = f"bruno.ekonom@kungsor.test\nokand@kungsor.test, {hr_user.email};inte-en-adress"

    response = submit(client, page, _url(cohort), users=[str(alva.pk)], emails=pasted)

    assert response.status_code == 400
    text = response.content.decode()
    assert "Ingen i portalen har de här adresserna: okand@kungsor.test, inte-en-adress." in text
    assert f"De här är inte chefer (eller har avslutade konton): {hr_user.email}." in text
    assert "Ingen lades till. Rätta listan och försök igen." in text
    assert CohortMembership.objects.count() == before
    # What the coach chose is still there to correct.
    again = form_fields(text)
    assert again["users"] == [str(alva.pk)]
    assert "okand@kungsor.test" in again["emails"][0]


def test_all_managers_of_a_unit_and_a_move_only_when_ticked(client, world, coach, newcomers):
    cohort = world["cohort"]
    alva, bruno, cilla = newcomers
    south = CohortFactory(name="Grupp Söder", programme=cohort.programme, members=[cilla])
    client.force_login(coach)
    page = client.get(_url(cohort)).content.decode()
    unit = str(alva.department_id)

    refused = submit(client, page, _url(cohort), department=unit)

    assert refused.status_code == 400
    assert (
        "Redan med i en annan träningsgrupp i programmet: Cilla Ekonom (Grupp Söder)."
        in refused.content.decode()
    )
    assert _active(cohort).isdisjoint({alva.email, bruno.email, cilla.email})
    moved = submit(client, refused.content.decode(), _url(cohort), department=unit, move="on")
    assert moved.status_code == 302
    assert _active(cohort) >= {alva.email, bruno.email, cilla.email}
    assert _active(south) == set()
    message = client.get(moved["Location"]).content.decode()
    assert "Flyttade hit från sin tidigare grupp: Cilla Ekonom." in message


def test_people_already_in_the_group_are_reported_unchanged(client, world, coach, manager):
    cohort = world["cohort"]
    client.force_login(coach)
    page = client.get(_url(cohort)).content.decode()
    joined = CohortMembership.objects.get(cohort=cohort, user=manager).joined_on

    response = submit(client, page, _url(cohort), emails=manager.email)

    assert response.status_code == 302
    message = client.get(response["Location"]).content.decode()
    assert "Redan med i gruppen, oförändrade: Maja Chef." in message
    assert CohortMembership.objects.get(cohort=cohort, user=manager).joined_on == joined


def test_nothing_chosen_is_a_clear_message(client, world, coach):
    client.force_login(coach)

    response = client.post(_url(world["cohort"]), {"joined_on": "2027-01-10"})

    assert response.status_code == 400
    assert "Välj minst en chef" in response.content.decode()


@pytest.mark.parametrize("who", ["other_coach", "manager", "hr_user"])
def test_only_the_groups_coaches_may_add_members(client, world, manager, hr_user, newcomers, who):
    cohort = world["cohort"]
    person = {"other_coach": world["other_coach"], "manager": manager, "hr_user": hr_user}
    client.force_login(person[who])
    refused = 403 if who == "hr_user" else 404
    before = CohortMembership.objects.count()

    assert client.get(_url(cohort)).status_code == refused
    response = client.post(_url(cohort), {"users": [newcomers[0].pk], "emails": newcomers[1].email})

    assert response.status_code == refused
    assert CohortMembership.objects.count() == before


def test_the_page_makes_the_same_number_of_queries_with_ten_times_the_managers(
    client, world, coach
):
    client.force_login(coach)
    ManagerFactory.create_batch(4)
    url = _url(world["cohort"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ManagerFactory.create_batch(40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
