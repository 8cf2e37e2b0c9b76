from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sessions import services
from sessions.models import TrainingSession
from tests.factories import CoachFactory, CohortFactory, EnhetFactory, ManagerFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def session_data(*, cohort, coaches, starts_at, ends_at, place="Lilla salen", title="Träff", **kw):
    return services.SessionData(
        programme_id=cohort.programme_id if cohort else kw.pop("programme_id"),
        cohort=cohort,
        capacity=kw.pop("capacity", None),
        theme_id=kw.pop("theme_id", None),
        focus_area_id=None,
        format=kw.pop("format", TrainingSession.Format.THEORY),
        title=title,
        description=kw.pop("description", ""),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        coaches=list(coaches),
        key_points=kw.pop("key_points", ""),
    )


@pytest.fixture
def schedule_world(db, coach, manager, other_manager, hr_user):
    """`coach` runs a programme with cohort Norr (`manager` + 3); `other_coach` another
    programme with cohort Annan (`other_manager`). One session each, on 10 March 2027."""
    colleagues = [ManagerFactory(department=EnhetFactory()) for _ in range(3)]
    cohort = CohortFactory(
        name="Grupp Norr",
        coaches=[coach],
        members=[manager, *colleagues],
        programme__coaches=[coach],
    )
    other_coach = CoachFactory(full_name="Olof Annantränare")
    other_cohort = CohortFactory(
        name="Grupp Annan",
        coaches=[other_coach],
        members=[other_manager],
        programme__coaches=[other_coach],
    )
    session = services.session_create(
        data=session_data(
            cohort=cohort,
            coaches=[coach],
            starts_at=at(2027, 3, 10, 13),
            ends_at=at(2027, 3, 10, 16),
            title="Leda sig själv, del 1",
        ),
        created_by=coach,
    )
    other_session = services.session_create(
        data=session_data(
            cohort=other_cohort,
            coaches=[other_coach],
            starts_at=at(2027, 3, 10, 9),
            ends_at=at(2027, 3, 10, 11),
            place="Stora salen",
            title="Annan träff",
        ),
        created_by=other_coach,
    )
    return {
        "cohort": cohort,
        "other_cohort": other_cohort,
        "other_coach": other_coach,
        "session": session,
        "other_session": other_session,
        "colleagues": colleagues,
    }
