"""The small-group rules of HR's Effekt view for averages of answers (the session
evaluations' usefulness, the ledord self-ratings), apart from the counting in
reports.effekt: which groups' averages may be shown in a month or a term.

The safe cells (reports.disclosure) are built, month by month and term by term, from the
people who answered in it; a group's average is shown only when the group is a union of
those cells, and a term only where each of its months with answers may be shown too.
tests/reports/test_small_groups_property.py checks that nothing about fewer than 5 people
who answered can be worked out from what is shown.
"""

from collections import defaultdict
from typing import TYPE_CHECKING

from reports.disclosure import safe_cells
from reports.selectors import (
    HIDDEN_FEW_ANSWERS,
    HIDDEN_SMALL_PART,
    MIN_REFLECTION_GROUP,
    Structure,
)

if TYPE_CHECKING:
    from reports.effekt import Bucket

MONTH, TERM = "month", "term"
# People who answered (rated their ledord, evaluated a session) per cell, at least.
MIN_ANSWERING = MIN_REFLECTION_GROUP


class Answering:
    """People who answered (one ledord, or the evaluations) per department and bucket, and
    whether a group's average may be shown in it (see the module)."""

    def __init__(self, org: Structure, by_month: dict, by_bucket: dict, period: str) -> None:
        self.org, self.period = org, period
        self.month_cells = {m: self._cells(p) for m, p in by_month.items()}
        self.month_people = by_month
        self.bucket_cells = (
            self.month_cells
            if period == MONTH
            else {b: self._cells(p) for b, p in by_bucket.items()}
        )
        self.bucket_people = by_bucket

    def _cells(self, people: dict):
        return safe_cells(self.org.tree, people, MIN_ANSWERING)

    def verdict(self, keys: frozenset, bucket: "Bucket"):
        """None where no one answered; HIDDEN_FEW_ANSWERS or HIDDEN_SMALL_PART where the
        average may not be shown; True where it may."""
        people = self.bucket_people.get(bucket.start, {})
        # Over the group's keys, not every key with answers: hundreds of groups at scale.
        answered = sum(people.get(k, 0) for k in keys)
        if not answered:
            return None
        if answered < MIN_ANSWERING:
            return HIDDEN_FEW_ANSWERS
        if not self.bucket_cells[bucket.start].may_show(keys):
            return HIDDEN_SMALL_PART
        if self.period == TERM:
            for month in bucket.months:
                month_people = self.month_people.get(month, {})
                if any(month_people.get(k) for k in keys) and not self.month_cells[month].may_show(
                    keys
                ):
                    return HIDDEN_SMALL_PART
        return True


def programme_verdict(rule: Answering, bucket: "Bucket", bucket_people, month_people):
    """As Answering.verdict, for a population that is not a set of departments: shown only
    where, in the bucket and in each of its months with answers, the members who answered
    fill every safe cell they touch."""
    members = bucket_people.get(bucket.start, {})
    answered = sum(members.values())
    if not answered:
        return None
    if answered < MIN_ANSWERING:
        return HIDDEN_FEW_ANSWERS
    checks = [(members, rule.bucket_people.get(bucket.start, {}), rule.bucket_cells[bucket.start])]
    if rule.period == TERM:
        for month in bucket.months:
            in_month = month_people.get(month, {})
            if any(in_month.values()):
                checks.append((in_month, rule.month_people[month], rule.month_cells[month]))
    for in_programme, everyone, cells in checks:
        per_cell: dict = defaultdict(lambda: [0, 0])
        for key, n in everyone.items():
            if key in cells.cell_of:
                per_cell[cells.cell_of[key]][1] += n
                per_cell[cells.cell_of[key]][0] += in_programme.get(key, 0)
        if any(part and part != whole for part, whole in per_cell.values()):
            return HIDDEN_SMALL_PART
    return True
