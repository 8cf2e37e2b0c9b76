"""What coaches, HR and managers see and do on the programme pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme import services
from programme.models import (
    CohortMembership,
    FocusArea,
    Keyword,
    Module,
    ModuleLink,
    NetworkGroup,
    Theme,
)
from tests.factories import CohortFactory, EnhetFactory, ManagerFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_programme_page_shows_the_framework_in_swedish(client, manager):
    client.force_login(manager)

    page = client.get(reverse("programme:overview")).content.decode()

    for text in [
        "Leda sig själv",
        "Leda andra",
        "Leda utveckling i förändring",
        "Ledarens uppdrag",
        "Teamets utveckling och utmaningar",
        "Modigt",
        "Tydligt",
        "Engagerande",
        "provtänka och provgöra",
    ]:
        assert text in page
    assert "Redigera" not in page  # a manager cannot edit


def test_coach_edits_a_theme_and_no_script_survives(client, coach):
    client.force_login(coach)
    url = reverse("programme:framework-item-update", args=["tema", "leda-andra"])

    response = client.post(
        url,
        {
            "name": "Leda andra",
            "description": "**Relationer** först.\n\n<script>alert('x')</script>\n\n"
            "[klicka](javascript:alert(1)) <img src=x onerror=alert(1)>",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "”Leda andra” är sparad." in page
    assert "<strong>Relationer</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert "<img" not in page


def test_empty_theme_description_is_refused_in_swedish_and_nothing_changes(client, coach):
    client.force_login(coach)
    before = Theme.objects.get(slug="leda-andra").description

    response = client.post(
        reverse("programme:framework-item-update", args=["tema", "leda-andra"]),
        {"name": "", "description": ""},
    )

    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert Theme.objects.get(slug="leda-andra").description == before


def test_coach_creates_a_cohort_in_their_own_programme_only(client, world, coach):
    client.force_login(coach)
    other_programme = world["other_cohort"].programme

    refused = client.post(
        reverse("programme:cohort-create"),
        {
            "programme": other_programme.pk,
            "name": "Smyg",
            "starts_on": "2028-01-10",
            "ends_on": "2028-06-01",
            "coaches": [coach.pk],
        },
    )
    created = client.post(
        reverse("programme:cohort-create"),
        {
            "programme": world["cohort"].programme.pk,
            "name": "Grupp Väst",
            "starts_on": "2027-02-01",
            "ends_on": "2027-01-01",
            "coaches": [coach.pk],
        },
    )

    assert "Välj ett giltigt alternativ" in refused.content.decode()
    assert "Slutdatum måste vara samma dag som startdatum eller senare." in (
        created.content.decode()
    )
    assert not other_programme.cohorts.filter(name="Smyg").exists()


def test_adding_someone_from_another_cohort_asks_for_a_move(client, world, coach):
    client.force_login(coach)
    cohort = world["cohort"]
    second = CohortFactory(programme=cohort.programme, name="Grupp Söder", coaches=[coach])
    person = world["colleagues"][0]
    url = reverse("programme:member-add", args=[second.pk])

    refused = client.post(url, {"user": person.pk, "joined_on": "2027-03-01"})
    moved = client.post(url, {"user": person.pk, "joined_on": "2027-03-01", "move": "on"})

    assert refused.status_code == 400
    assert "redan i träningsgruppen Grupp Norr" in refused.content.decode()
    assert moved.status_code == 302
    assert CohortMembership.objects.get(user=person, left_on__isnull=True).cohort == second
    assert CohortMembership.objects.filter(user=person).count() == 2


def test_ending_a_membership_keeps_it_in_the_history(client, world, coach, manager):
    client.force_login(coach)
    cohort = world["cohort"]
    membership = cohort.memberships.get(user=manager)

    client.post(reverse("programme:member-end", args=[cohort.pk, membership.pk]))
    page = client.get(reverse("programme:cohort-detail", args=[cohort.pk])).content.decode()

    assert "Tidigare medlemmar" in page
    assert CohortMembership.objects.filter(pk=membership.pk, left_on__isnull=False).exists()


def test_hr_reads_a_cohort_but_sees_no_forms(client, world, hr_user):
    client.force_login(hr_user)

    page = client.get(
        reverse("programme:cohort-detail", args=[world["cohort"].pk])
    ).content.decode()

    assert "Grupp Norr" in page
    assert "Lägg till en medlem" not in page
    assert "Skapa nätverksgrupper" not in page


def test_generate_move_and_publish_network_groups(client, world, coach, manager):
    client.force_login(coach)
    cohort = world["cohort"]

    response = client.post(
        reverse("programme:round-create", args=[cohort.pk]),
        {"name": "Omgång 2", "cohorts": [cohort.pk]},
    )
    network_round = cohort.network_rounds.get(name="Omgång 2")
    assert response["Location"] == reverse("programme:round-detail", args=[network_round.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Utkast" in detail

    target = network_round.groups.exclude(members=manager).first()
    moved = client.post(
        reverse("programme:round-move", args=[network_round.pk]),
        {"user": manager.pk, "group": target.pk},
        follow=True,
    )
    assert list(NetworkGroup.objects.filter(round=network_round, members=manager)) == [target]
    # A draft round has no meetings yet: no emails to tell of.
    page = re.sub(r"\s+", " ", moved.content.decode())
    assert f"{manager.full_name} är flyttad till grupp {target.number}. <" in page
    again = client.post(
        reverse("programme:round-move", args=[network_round.pk]),
        {"user": manager.pk, "group": target.pk},
        follow=True,
    )
    page = re.sub(r"\s+", " ", again.content.decode())
    assert f"{manager.full_name} är redan i grupp {target.number}. <" in page

    client.force_login(manager)
    assert "Omgång 2" not in client.get(reverse("programme:my-group")).content.decode()
    client.force_login(coach)
    client.post(reverse("programme:round-publish", args=[network_round.pk]))
    client.force_login(manager)
    my_group = client.get(reverse("programme:my-group")).content.decode()
    assert "Omgång 2" in my_group
    for colleague in target.members.exclude(pk=manager.pk):
        assert colleague.email in my_group


def test_my_group_shows_own_cohort_and_coach(client, world, manager, coach, other_manager):
    client.force_login(manager)

    page = client.get(reverse("programme:my-group")).content.decode()

    assert "Grupp Norr" in page
    assert coach.email in page
    assert "Grupp Annan" not in page
    assert other_manager.email not in page


def test_list_pages_make_the_same_number_of_queries_at_ten_times_the_data(client, coach, hr_user):
    def grow(count: int) -> None:
        for _ in range(count):
            cohort = CohortFactory(coaches=[coach], programme__coaches=[coach])
            members = [ManagerFactory(department=EnhetFactory()) for _ in range(3)]
            for member in members:
                services.cohort_add_member(cohort=cohort, user=member)
            first = coach.coached_cohorts.order_by("pk").first()
            services.cohort_add_member(cohort=first, user=ManagerFactory(department=EnhetFactory()))
            network_round = services.network_round_generate(
                programme=cohort.programme, cohorts=[cohort], name="Omgång", created_by=coach
            )
            services.network_round_publish(network_round=network_round)
            # All material goes to the first programme, so its page grows too.
            module = Module.objects.create(
                programme=coach.coached_programmes.order_by("pk").first(),
                theme=Theme.objects.first(),
                title="Modul",
            )
            ModuleLink.objects.create(module=module, title="Länk", url="https://kungsor.se/")

    def measure() -> dict[str, int]:
        client.force_login(coach)
        # The first cohort grows with every round of data (see grow()).
        cohort = coach.coached_cohorts.order_by("pk").first()
        counts = {
            "cohort-list": _queries(client, reverse("programme:cohort-list")),
            "overview": _queries(client, reverse("programme:overview")),
            "programme-detail": _queries(
                client,
                reverse(
                    "programme:programme-detail",
                    args=[coach.coached_programmes.order_by("pk").first().pk],
                ),
            ),
            "cohort-detail": _queries(client, reverse("programme:cohort-detail", args=[cohort.pk])),
        }
        member = cohort.memberships.order_by("pk").first().user  # in the first, published round
        client.force_login(member)
        counts["my-group"] = _queries(client, reverse("programme:my-group"))
        client.force_login(hr_user)
        counts["hr-cohort-list"] = _queries(client, reverse("programme:cohort-list"))
        return counts

    grow(2)
    small = measure()
    grow(18)
    large = measure()

    assert large == small


@pytest.mark.parametrize("kind", ["tema", "fokusomrade", "ledord"])
def test_every_framework_item_can_be_edited_by_a_coach(client, coach, kind):
    from programme.views import FRAMEWORK_KINDS

    client.force_login(coach)
    item = FRAMEWORK_KINDS[kind].objects.first()

    response = client.post(
        reverse("programme:framework-item-update", args=[kind, item.slug]),
        {"name": item.name, "description": "Ny beskrivning."},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.description == "Ny beskrivning."


def test_unknown_framework_kind_is_404(client, coach):
    client.force_login(coach)

    assert client.get("/program/annat/modigt/andra/").status_code == 404


def test_seeded_framework_is_in_swedish(db):
    assert list(Theme.objects.values_list("name", flat=True)) == [
        "Leda sig själv",
        "Leda andra",
        "Leda utveckling i förändring",
    ]
    assert list(FocusArea.objects.values_list("name", flat=True)) == [
        "Ledarens uppdrag",
        "Ledarens utveckling och utmaningar",
        "Teamets utveckling och utmaningar",
    ]
    assert list(Keyword.objects.values_list("name", flat=True)) == [
        "Modigt",
        "Tydligt",
        "Engagerande",
    ]


def test_member_counts_are_right_whatever_the_number_of_coaches(client, world, coach):
    from tests.factories import CoachFactory

    cohort = world["cohort"]
    for _ in range(2):
        extra = CoachFactory()
        cohort.coaches.add(extra)
        cohort.programme.coaches.add(extra)
    cohort.coaches.add(coach)
    client.force_login(coach)

    page = client.get(reverse("programme:cohort-list")).content.decode()

    assert '<td class="text-end">6</td>' in page  # manager and five colleagues


def test_a_former_member_can_be_added_back(client, world, coach, manager):
    cohort = world["cohort"]
    services.cohort_end_membership(membership=cohort.memberships.get(user=manager))
    client.force_login(coach)

    response = client.post(
        reverse("programme:member-add", args=[cohort.pk]),
        {"user": manager.pk, "joined_on": "2027-05-01"},
    )

    assert response.status_code == 302
    assert cohort.memberships.filter(user=manager, left_on__isnull=True).exists()
    assert cohort.memberships.filter(user=manager).count() == 2


def test_a_discarded_draft_does_not_count_as_having_met(client, world, coach):
    from programme.selectors import past_pairs

    draft = world["round"]
    assert past_pairs(draft.programme) == set()  # a draft: nobody has met yet
    client.force_login(coach)

    client.post(reverse("programme:round-discard", args=[draft.pk]))

    assert not draft.programme.rounds.exists()


def test_with_many_managers_the_coach_searches_instead_of_scrolling(
    client, world, coach, monkeypatch
):
    """A large municipality: the list shows the matches of a search, never everyone."""
    from programme.forms import MemberAddForm

    monkeypatch.setattr(MemberAddForm, "LISTED", 3)
    cohort = world["cohort"]
    ManagerFactory.create_batch(4, department=EnhetFactory())
    wanted = ManagerFactory(full_name="Sara Sökbar", email="sara.sokbar@kungsor.test")
    client.force_login(coach)
    url = reverse("programme:cohort-detail", args=[cohort.pk])

    first = client.get(url).content.decode()
    found = client.get(url, {"chef": "sökbar"}).content.decode()
    nothing = client.get(url, {"chef": "finns-inte"}).content.decode()
    added = client.post(
        reverse("programme:member-add", args=[cohort.pk]),
        {"user": wanted.pk, "joined_on": "2027-03-01"},
    )

    assert "Sök chefen (namn eller e-postadress)" in first
    assert 'name="user"' not in first
    assert 'name="user"' in found and "Sara Sökbar" in found
    listed = re.search(r'<select name="user".*?</select>', found, re.S).group(0)
    assert listed.count("<option") == 2  # the empty choice and Sara
    assert "Ingen chef utanför gruppen matchar sökningen." in nothing
    assert added.status_code == 302
    assert CohortMembership.objects.filter(cohort=cohort, user=wanted).exists()
