import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programme import services
from programme.models import CohortMembership
from tests.factories import CohortFactory, ManagerFactory, UserFactory


@pytest.fixture
def two_cohorts(db):
    first = CohortFactory(name="Grupp Norr")
    return first, CohortFactory(name="Grupp Söder", programme=first.programme)


def test_adding_a_member_twice_changes_nothing(two_cohorts, manager):
    cohort, _ = two_cohorts

    first = services.cohort_add_member(cohort=cohort, user=manager)
    second = services.cohort_add_member(cohort=cohort, user=manager)

    assert first == second
    assert CohortMembership.objects.count() == 1


def test_a_second_cohort_in_the_same_programme_needs_a_move(two_cohorts, manager):
    north, south = two_cohorts
    services.cohort_add_member(cohort=north, user=manager)

    with pytest.raises(services.MoveNeeded) as error:
        services.cohort_add_member(cohort=south, user=manager)

    assert "redan i träningsgruppen Grupp Norr" in error.value.messages[0]
    assert CohortMembership.objects.get().cohort == north


def test_a_move_ends_the_old_membership_and_keeps_it_as_history(two_cohorts, manager):
    north, south = two_cohorts
    services.cohort_add_member(cohort=north, user=manager)

    services.cohort_add_member(cohort=south, user=manager, move=True)

    old, new = CohortMembership.objects.order_by("pk")
    assert (old.cohort, new.cohort) == (north, south)
    assert old.left_on is not None
    assert new.left_on is None


def test_cohorts_of_different_programmes_can_be_held_at_once(manager):
    services.cohort_add_member(cohort=CohortFactory(), user=manager)
    services.cohort_add_member(cohort=CohortFactory(), user=manager)

    assert CohortMembership.objects.filter(left_on__isnull=True).count() == 2


def test_only_managers_can_be_members(two_cohorts):
    with pytest.raises(ValidationError, match="Bara chefer"):
        services.cohort_add_member(cohort=two_cohorts[0], user=UserFactory())


def test_the_database_refuses_two_active_cohorts_in_one_programme(two_cohorts, manager):
    north, south = two_cohorts
    services.cohort_add_member(cohort=north, user=manager)

    with pytest.raises(IntegrityError):
        CohortMembership.objects.create(cohort=south, programme=south.programme, user=manager)


def test_ending_a_membership_twice_keeps_the_first_date(two_cohorts, manager):
    from datetime import date

    membership = services.cohort_add_member(
        cohort=two_cohorts[0], user=manager, joined_on=date(2027, 1, 11)
    )
    services.cohort_end_membership(membership=membership, left_on=date(2027, 3, 1))
    services.cohort_end_membership(membership=membership, left_on=date(2027, 4, 1))

    membership.refresh_from_db()
    assert membership.left_on == date(2027, 3, 1)


def test_generated_round_covers_every_active_member_once(db, coach):
    cohort = CohortFactory(members=ManagerFactory.create_batch(10), coaches=[coach])
    services.cohort_end_membership(membership=cohort.memberships.first())

    network_round = services.network_round_generate(
        programme=cohort.programme, cohorts=[cohort], name="Omgång 1", created_by=coach
    )

    members = [u.pk for g in network_round.groups.all() for u in g.members.all()]
    assert len(members) == len(set(members)) == 9
    assert not network_round.is_published


def test_a_round_needs_three_people(db, coach):
    cohort = CohortFactory(members=ManagerFactory.create_batch(2))

    with pytest.raises(ValidationError, match="minst tre"):
        services.network_round_generate(
            programme=cohort.programme, cohorts=[cohort], name="Omgång", created_by=coach
        )
