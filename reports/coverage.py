"""Coverage: are all managers in the training? Who is in an active training group, and who
is in none (HR's list of people to place).

A manager is *in an active training group* on a day when they are a member of a training
group that has not ended (its end date is that day or later) and have not left it. A member
of a group that starts later counts: they are placed. For a day in the past the membership
must also have begun by then, and the managers counted are those who had an account by
then and were not yet deactivated (roles have no history: a manager is one today).

Managers are those the dashboard counts (reports.selectors.managers: the manager role,
active), so "managers" is the same number on both pages for today.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Department, User
from programme.models import CohortMembership
from reports.selectors import chef_group, day_start, managers


@dataclass(frozen=True)
class Coverage:
    """Managers in an active training group (`in_group`) out of all managers, on `day`."""

    day: date
    in_group: int
    managers: int

    @property
    def rate(self) -> float | None:
        return self.in_group / self.managers if self.managers else None

    @property
    def outside(self) -> int:
        return self.managers - self.in_group


def _memberships_on(day: date, today: date) -> QuerySet[CohortMembership]:
    memberships = CohortMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day), cohort__ends_on__gte=day
    )
    if day < today:
        memberships = memberships.filter(joined_on__lte=day)
    return memberships


def _managers_on(day: date, today: date) -> Q:
    """A Q on a manager for the managers of `day` (today: the active ones)."""
    if day >= today:
        return Q(is_active=True)
    end = day_start(day, end=True)
    return Q(date_joined__lt=end) & (Q(is_active=True) | Q(deactivated_at__gte=end))


def coverage_on(days: list[date], today: date | None = None) -> list[Coverage]:
    """Coverage on each of `days`, counted in one query."""
    today = today or timezone.localdate()
    aggregates = {}
    for index, day in enumerate(days):
        who = _managers_on(day, today)
        in_group = Q(pk__in=_memberships_on(day, today).values("user_id"))
        aggregates[f"managers_{index}"] = Count("pk", filter=who, distinct=True)
        aggregates[f"in_group_{index}"] = Count("pk", filter=who & in_group, distinct=True)
    if not aggregates:
        return []
    counted = User.objects.filter(groups=chef_group()).aggregate(**aggregates)
    return [
        Coverage(
            day=day,
            in_group=counted[f"in_group_{index}"] or 0,
            managers=counted[f"managers_{index}"] or 0,
        )
        for index, day in enumerate(days)
    ]


def managers_outside_groups(forvaltning: Department | None = None) -> QuerySet[User]:
    """Today's managers in no active training group, by förvaltning, unit and name, each
    with their department and its förvaltning; with `forvaltning`, only its people."""
    today = timezone.localdate()
    people = (
        managers()
        .exclude(pk__in=_memberships_on(today, today).values("user_id"))
        .select_related("department__parent")
        .order_by(
            Coalesce("department__parent__name", "department__name").asc(nulls_last=True),
            # People placed on the förvaltning itself first, then each unit's.
            Coalesce("department__parent_id", 0).asc(),
            "department__name",
            "full_name",
            "pk",
        )
    )
    if forvaltning is not None:
        people = people.filter(Q(department=forvaltning) | Q(department__parent=forvaltning))
    return people


def outside_per_forvaltning() -> list[dict]:
    """Per förvaltning with managers: how many managers, and how many are in no active
    training group (people without a department last, as "No department" by the caller)."""
    today = timezone.localdate()
    in_group = Q(pk__in=_memberships_on(today, today).values("user_id"))
    rows = (
        managers()
        .annotate(forvaltning_id=Coalesce("department__parent_id", "department_id"))
        .values("forvaltning_id")
        .annotate(
            managers=Count("pk", distinct=True),
            in_group=Count("pk", filter=in_group, distinct=True),
        )
        .order_by()
    )
    counted = {row["forvaltning_id"]: row for row in rows}
    names = dict(
        Department.objects.filter(pk__in=[k for k in counted if k is not None]).values_list(
            "pk", "name"
        )
    )
    result = [
        {
            "pk": pk,
            "name": names.get(pk),
            "managers": row["managers"],
            "outside": row["managers"] - row["in_group"],
        }
        for pk, row in counted.items()
    ]
    return sorted(result, key=lambda r: (r["name"] is None, r["name"] or ""))
