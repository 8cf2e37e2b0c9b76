"""Network groups: sizes 3–4, departments mixed and pairs not repeated whenever possible."""

import random
from itertools import combinations, permutations

import pytest

from programme.grouping import (
    Person,
    cost_of,
    group_sizes,
    make_groups,
    pairs_of,
    same_department_floor,
)


def _partitions(people: list[Person], sizes: tuple[int, ...]):
    """Every way to split `people` into groups of the given sizes, in that order."""
    if not sizes:
        yield []
        return
    first, rest = people[0], people[1:]
    for others in combinations(rest, sizes[0] - 1):
        group = [first, *others]
        remaining = [p for p in rest if p not in others]
        for tail in _partitions(remaining, sizes[1:]):
            yield [group, *tail]


def _best_possible(people, past) -> int:
    """Brute force over every split (small inputs only)."""
    orders = set(permutations(group_sizes(len(people))))
    return min(
        cost_of(split, past).total for sizes in orders for split in _partitions(list(people), sizes)
    )


@pytest.mark.parametrize("count", range(6, 41))
def test_groups_have_three_or_four_people_and_everyone_once(count):
    people = [Person(i, i % 5) for i in range(count)]

    groups = make_groups(people)

    assert all(3 <= len(group) <= 4 for group in groups)
    assert sorted(p.id for group in groups for p in group) == list(range(count))


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_fewer_than_six_people_make_one_group(count):
    assert group_sizes(count) == [count]


def test_24_managers_from_6_departments_three_rounds_mixed_and_never_repeated():
    people = [Person(i, f"förvaltning {i % 6}") for i in range(24)]
    met: set = set()

    for round_number in range(3):
        groups = make_groups(people, met, seed=round_number)

        assert cost_of(groups, met).same_department == 0, f"round {round_number + 1}"
        assert cost_of(groups, met).repeated == 0, f"round {round_number + 1}"
        assert [len(g) for g in groups] == [4] * 6
        met |= pairs_of(groups)
    assert len(met) == 3 * 6 * 6  # 36 new pairs each round


def test_two_departments_of_four_cannot_be_fully_mixed_and_the_best_split_is_found():
    people = [Person(i, i % 2) for i in range(8)]

    groups = make_groups(people)

    # Two groups of four from two departments: at best two and two in each group,
    # which leaves one same-department pair per department per group.
    assert cost_of(groups, set()).same_department == 4 == _best_possible(people, set())
    assert all(sorted(p.department for p in group) == [0, 0, 1, 1] for group in groups)


def test_one_group_of_four_must_repeat_every_pair_in_the_second_round():
    people = [Person(i, i) for i in range(4)]
    first = make_groups(people)

    second = make_groups(people, pairs_of(first))

    assert cost_of(second, pairs_of(first)).repeated == 6


@pytest.mark.parametrize("seed", range(12))
def test_small_random_cases_reach_the_best_possible_grouping(seed):
    rng = random.Random(seed)  # noqa: S311  (a reproducible shuffle, not a secret)
    count = rng.choice([6, 7, 8, 9])
    people = [Person(i, rng.randrange(3)) for i in range(count)]
    met: set = set()
    for _ in range(3):
        groups = make_groups(people, met, seed=seed)
        assert cost_of(groups, met).total == _best_possible(people, met)
        met |= pairs_of(groups)


def test_same_input_and_seed_give_the_same_groups():
    people = [Person(i, i % 4) for i in range(17)]

    assert make_groups(people, seed=3) == make_groups(people, seed=3)


def test_sixty_managers_from_three_departments_reach_the_proven_floor():
    people = [Person(i, i % 3) for i in range(60)]

    groups = make_groups(people)

    # 20 per department over 15 groups: at best five groups hold two from one department.
    assert same_department_floor(people, group_sizes(60)) == 15
    assert cost_of(groups, set()).same_department == 15
