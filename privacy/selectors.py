"""Reads of erasure and gallring for the administrator."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from privacy import erasure
from privacy.models import RetentionRun
from privacy.retention import RULES

# Gallring runs every night (kungsor_ledarskap/celery.py, 03:15); a day and a margin
# without a run means it has stopped.
GALLRING_EXPECTED_WITHIN = timedelta(hours=26)

_DEACTIVATED_RULE = next(rule for rule in RULES if rule.name == "deactivated_people")


@dataclass(frozen=True)
class ErasureDue:
    deactivated: int  # deactivated and not yet erased
    due: int  # of them, deactivated longer than the period: gallring erases them
    days: int  # the period
    people: list = field(default_factory=list)  # the first `limit` of those due

    @property
    def more(self) -> int:
        """How many are due beyond those in `people`."""
        return self.due - len(self.people)


def erasure_due(now: datetime | None = None, limit: int = 10) -> ErasureDue:
    """People deactivated so long ago that gallring erases them (its own rule), with the
    first few by name, oldest first; and how many are deactivated in all. Three queries."""
    now = now or timezone.now()
    days = _DEACTIVATED_RULE.days
    due = _DEACTIVATED_RULE.overdue(now - timedelta(days=days))
    deactivated = (
        get_user_model()
        .objects.filter(is_active=False)
        .exclude(email__endswith=erasure.ERASED_DOMAIN)
        .count()
    )
    return ErasureDue(
        deactivated=deactivated,
        due=due.count(),
        days=days,
        people=list(
            due.only("pk", "full_name", "email", "deactivated_at").order_by("deactivated_at", "pk")[
                :limit
            ]
        ),
    )


@dataclass(frozen=True)
class GallringDeletion:
    what: str  # the kind of row, in the reader's language
    count: int


@dataclass(frozen=True)
class GallringStatus:
    last_run_at: datetime | None
    deletions: list  # of GallringDeletion, what the last run deleted
    is_late: bool  # no run within GALLRING_EXPECTED_WITHIN

    @property
    def deleted_total(self) -> int:
        return sum(item.count for item in self.deletions)


def _what(rule_name: str) -> str:
    for rule in RULES:
        if rule.name == rule_name:
            return str(apps.get_model(rule.label)._meta.verbose_name_plural)
    return rule_name


def gallring_status(now: datetime | None = None) -> GallringStatus:
    """When gallring last ran to the end, what it deleted, and whether it is late. One query."""
    now = now or timezone.now()
    run = RetentionRun.objects.order_by("-finished_at").first()
    if run is None:
        return GallringStatus(last_run_at=None, deletions=[], is_late=True)
    return GallringStatus(
        last_run_at=run.finished_at,
        deletions=[
            GallringDeletion(what=_what(name), count=count)
            for name, count in sorted(run.deleted.items())
            if count
        ],
        is_late=now - run.finished_at > GALLRING_EXPECTED_WITHIN,
    )
