from datetime import date

import pytest

from reflections import services
from tests.factories import CoachFactory, CohortFactory

SENTINEL = "HEMLIG-REFLEKTION-7f3a"


@pytest.fixture
def journal(db, manager, other_manager, coach, hr_user):
    """`manager` (A) in a cohort run by `coach`; `other_manager` (B) in another group with
    another coach. A has a private and a shared entry."""
    CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    other_coach = CoachFactory(full_name="Olof Annantränare")
    CohortFactory(coaches=[other_coach], members=[other_manager], programme__coaches=[other_coach])
    private = services.entry_create(
        author=manager,
        data=services.EntryData(
            title="Privat", body=f"{SENTINEL} om ledarskapet", written_on=date(2027, 3, 1)
        ),
    )
    shared = services.entry_share(
        entry=services.entry_create(
            author=manager,
            data=services.EntryData(
                title="Delad", body="Det här får tränaren läsa.", written_on=date(2027, 3, 2)
            ),
        )
    )
    return {"private": private, "shared": shared, "other_coach": other_coach}


def upcoming_session(manager, coach):
    """A session of the manager's training group, two days from now."""
    from datetime import timedelta

    from django.utils import timezone

    from sessions import services as session_services
    from tests.training_sessions.conftest import session_data

    cohort = manager.cohort_memberships.get().cohort
    start = timezone.now() + timedelta(days=2)
    return session_services.session_create(
        data=session_data(
            cohort=cohort, coaches=[coach], starts_at=start, ends_at=start + timedelta(hours=2)
        ),
        created_by=coach,
    )
