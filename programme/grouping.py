"""Network groups of 3–4 people that mix departments and avoid pairs who have met.

A pure function, so it can be tested on its own: the coach's page feeds it the members and
the pairs of earlier rounds, and stores what it returns.
"""

import math
import random
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

Pair = frozenset


@dataclass(frozen=True)
class Person:
    id: int
    department: Hashable | None


@dataclass(frozen=True)
class Cost:
    same_department: int
    repeated: int

    @property
    def total(self) -> int:
        return self.same_department + self.repeated


def group_sizes(count: int) -> list[int]:
    """Sizes of 3 and 4 adding up to `count` (fewer than 6 people make one group)."""
    if count < 6:
        return [count] if count else []
    groups = math.ceil(count / 4)
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def _pair_cost(a: Person, b: Person, past: set[Pair]) -> tuple[int, int]:
    same = int(a.department is not None and a.department == b.department)
    return same, int(Pair((a.id, b.id)) in past)


def cost_of(groups: Sequence[Sequence[Person]], past: set[Pair]) -> Cost:
    same = repeated = 0
    for group in groups:
        for a, b in combinations(group, 2):
            s, r = _pair_cost(a, b, past)
            same += s
            repeated += r
    return Cost(same, repeated)


def _member_cost(person: Person, group: list[Person], past: set[Pair]) -> int:
    return sum(sum(_pair_cost(person, other, past)) for other in group if other is not person)


def _improve(groups: list[list[Person]], past: set[Pair]) -> None:
    """Steepest descent over swaps of two people in different groups."""
    while True:
        best_delta, best_swap = 0, None
        for gi, gj in combinations(range(len(groups)), 2):
            for i, a in enumerate(groups[gi]):
                cost_a = _member_cost(a, groups[gi], past)
                for j, b in enumerate(groups[gj]):
                    before = cost_a + _member_cost(b, groups[gj], past)
                    rest_i = [p for p in groups[gi] if p is not a]
                    rest_j = [p for p in groups[gj] if p is not b]
                    after = sum(sum(_pair_cost(b, p, past)) for p in rest_i) + sum(
                        sum(_pair_cost(a, p, past)) for p in rest_j
                    )
                    delta = after - before
                    if delta < best_delta:
                        best_delta, best_swap = delta, (gi, i, gj, j)
        if best_swap is None:
            return
        gi, i, gj, j = best_swap
        groups[gi][i], groups[gj][j] = groups[gj][j], groups[gi][i]


def same_department_floor(people: Sequence[Person], sizes: Sequence[int]) -> int:
    """A lower bound on same-department pairs: each department spread evenly over the groups."""
    groups = len(sizes)
    counts = Counter(p.department for p in people if p.department is not None)
    floor = 0
    for count in counts.values():
        per_group, extra = divmod(count, groups)
        floor += extra * math.comb(per_group + 1, 2) + (groups - extra) * math.comb(per_group, 2)
    return floor


def make_groups(
    people: Sequence[Person],
    past: set[Pair] | None = None,
    *,
    seed: int = 0,
    restarts: int = 60,
    kicks: int = 40,
    time_budget: float = 3.0,
) -> list[list[Person]]:
    """Split `people` into groups of 3–4 with as few same-department and repeated pairs
    as the search finds: iterated local search from random starts, deterministic for a
    seed, stopping at a provable optimum or after `time_budget` seconds."""
    past = past or set()
    sizes = group_sizes(len(people))
    if len(sizes) <= 1:
        return [list(people)] if people else []
    rng = random.Random(seed)  # noqa: S311  (a reproducible shuffle, not a secret)
    floor = same_department_floor(people, sizes)
    deadline = time.monotonic() + time_budget
    best: list[list[Person]] | None = None
    best_cost = math.inf
    for _ in range(restarts):
        if best_cost <= floor or time.monotonic() > deadline:
            break
        order = list(people)
        rng.shuffle(order)
        groups, start = [], 0
        for size in sizes:
            groups.append(order[start : start + size])
            start += size
        for _ in range(kicks):
            _improve(groups, past)
            total = cost_of(groups, past).total
            if total < best_cost:
                best, best_cost = [list(g) for g in groups], total
            if best_cost <= floor or time.monotonic() > deadline:
                break
            # Kick: swap two random people between two random groups and descend again.
            gi, gj = rng.sample(range(len(groups)), 2)
            i, j = rng.randrange(len(groups[gi])), rng.randrange(len(groups[gj]))
            groups[gi][i], groups[gj][j] = groups[gj][j], groups[gi][i]
    if best is None:  # only when restarts=0
        raise ValueError("make_groups needs at least one restart")
    return best


def pairs_of(groups: Sequence[Sequence[Person]]) -> set[Pair]:
    return {Pair((a.id, b.id)) for group in groups for a, b in combinations(group, 2)}
