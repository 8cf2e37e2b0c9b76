"""Each training group's attendance figures, kept between the writes that change them.

The coach's start page shows, for every group they run, the sessions held and left, the
attendance so far and the members with the absence signal. Counted live, these are the
page's dearest reads (at national scale a coach's groups hold tens of thousands of
invitations), yet they change only when attendance is recorded, a session of the group is
planned, moved, cancelled or held, or its members change. So each group's figures are kept
in the cache and counted again after such a write:

- sessions.services and programme's membership changes call `forget` with the groups they
  wrote, and the figures are forgotten when the write commits;
- a change made another way (in the Django admin, or an erased person's attendance) shows
  within COHORT_FIGURES_SECONDS, when the kept figures run out.

What is kept is counts and ids: the members with the absence signal are named from the
database when the page is drawn, and only while they are still active members of the group.

Each group's entry is stored under a generation token that `forget` replaces. A reader
takes the token before counting, so figures counted from data read before a write
committed are stored under the old token and never read again. The sessions "left" are
kept as the planned sessions' start times, so a session that starts stops counting as
left without anything being forgotten.

If the cache server is down, the figures are counted for the request, as before, and a
warning is logged.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from redis.exceptions import RedisError

from programme.models import CohortMembership
from sessions import selectors
from sessions.models import TrainingSession

logger = logging.getLogger(__name__)

# The longest a change made outside the portal's services waits to show.
COHORT_FIGURES_SECONDS = 10 * 60
# A generation token lives far longer than the figures stored under it.
GENERATION_SECONDS = 24 * 60 * 60


@dataclass
class GroupFigures:
    """The figures of some groups: cohort id -> held, left, present, recorded, rate, and
    the members with the absence signal, longest streak first (at most `limit`)."""

    figures: dict[int, dict]
    absences: list[dict]


def _generation_key(cohort_id: int) -> str:
    return f"sessions:cohort-figures:generation:{cohort_id}"


def _figures_key(cohort_id: int, generation: str) -> str:
    return f"sessions:cohort-figures:{cohort_id}:{generation}"


def _count(cohort_ids: list[int], *, now: datetime) -> dict[int, dict]:
    """Each group's figures counted from the database, in the form they are kept."""
    counted = selectors.cohort_session_figures(cohort_ids, now=now)
    planned = TrainingSession.objects.filter(
        cohort__in=cohort_ids, status=TrainingSession.Status.PLANNED, starts_at__gt=now
    ).values_list("cohort", "starts_at")
    starts: dict[int, list[datetime]] = {pk: [] for pk in cohort_ids}
    for cohort_id, starts_at in planned:
        starts[cohort_id].append(starts_at)
    absences: dict[int, list[tuple[int, int]]] = {pk: [] for pk in cohort_ids}
    for row in selectors.absence_signals(cohort_ids, limit=None):
        absences[row["cohort_id"]].append((row["user_id"], row["streak"]))
    return {
        pk: {
            "held": counted[pk]["held"],
            "present": counted[pk]["present"],
            "recorded": counted[pk]["recorded"],
            "planned_starts": starts[pk],
            "absences": absences[pk],
        }
        for pk in cohort_ids
    }


def _generations(cohort_ids: list[int]) -> dict[int, str]:
    """Each group's current generation token; a new one for a group that has none."""
    keys = {_generation_key(pk): pk for pk in cohort_ids}
    found = cache.get_many(list(keys))
    generations = {keys[key]: token for key, token in found.items()}
    for key, pk in keys.items():
        if pk not in generations:
            token = uuid.uuid4().hex
            # Another process may have made one first: then use that one.
            if not cache.add(key, token, GENERATION_SECONDS):
                token = cache.get(key) or token
            generations[pk] = token
    return generations


def _kept(cohort_ids: list[int], *, now: datetime) -> dict[int, dict]:
    try:
        generations = _generations(cohort_ids)
        keys = {_figures_key(pk, generations[pk]): pk for pk in cohort_ids}
        found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    except RedisError:
        logger.warning("The cache could not be read; the groups' figures are counted live")
        return _count(cohort_ids, now=now)
    missing = [pk for pk in cohort_ids if pk not in found]
    if missing:
        counted = _count(missing, now=now)
        found.update(counted)
        try:
            cache.set_many(
                {_figures_key(pk, generations[pk]): counted[pk] for pk in missing},
                COHORT_FIGURES_SECONDS,
            )
        except RedisError:
            logger.warning("The cache could not be written; the groups' figures were not kept")
    return found


def group_figures(
    cohort_ids: Iterable[int],
    *,
    now: datetime | None = None,
    limit: int = selectors.ABSENCE_SIGNAL_LIMIT,
) -> GroupFigures:
    """The groups' figures as `cohort_session_figures` and `absence_signals` count them,
    read from what is kept and counted only for the groups with nothing kept."""
    now = now or timezone.now()
    cohort_ids = list(dict.fromkeys(cohort_ids))
    kept = _kept(cohort_ids, now=now) if cohort_ids else {}
    figures = {}
    streaks = {}
    for pk in cohort_ids:
        entry = kept[pk]
        present, recorded = entry["present"], entry["recorded"]
        figures[pk] = {
            "held": entry["held"],
            "left": sum(1 for starts_at in entry["planned_starts"] if starts_at > now),
            "present": present,
            "recorded": recorded,
            "rate": round(100 * present / recorded) if recorded else None,
        }
        streaks.update({(pk, user_id): streak for user_id, streak in entry["absences"]})
    return GroupFigures(figures=figures, absences=_named(streaks)[:limit])


def _named(streaks: dict[tuple[int, int], int]) -> list[dict]:
    """The kept streaks ((cohort id, user id) -> streak) of those who are still active
    members, with their names as they are now, longest streak first. What is kept holds
    ids and counts only: a member who has left, or been erased, drops out here."""
    if not streaks:
        return []
    members = CohortMembership.objects.filter(
        cohort__in={cohort_id for cohort_id, _ in streaks},
        user__in={user_id for _, user_id in streaks},
        left_on__isnull=True,
    ).values_list("cohort", "cohort__name", "user", "user__full_name")
    rows = [
        {
            "cohort_id": cohort_id,
            "cohort_name": cohort_name,
            "user_id": user_id,
            "name": name,
            "streak": streaks[cohort_id, user_id],
        }
        for cohort_id, cohort_name, user_id, name in members
        if (cohort_id, user_id) in streaks
    ]
    rows.sort(key=lambda row: (-row["streak"], row["name"], row["user_id"], row["cohort_id"]))
    return rows


def forget(cohort_ids: Iterable[int | None]) -> None:
    """The groups' kept figures are counted again once the current transaction commits."""
    keys = [_generation_key(pk) for pk in set(cohort_ids) if pk is not None]
    if not keys:
        return

    def new_generations() -> None:
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, GENERATION_SECONDS)
        except RedisError:
            logger.warning(
                "The cache could not be written; the groups' figures show the change within "
                "%s seconds",
                COHORT_FIGURES_SECONDS,
            )

    transaction.on_commit(new_generations)
