from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reflections import services as reflections
from reminders import planner
from sessions import services as sessions
from sessions.models import Invitation
from tests.factories import CohortFactory, ManagerFactory
from tests.training_sessions.conftest import session_data

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour=8, minute=30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def run_at(moment: datetime) -> dict:
    """One planner round with the clock frozen at `moment`."""
    with time_machine.travel(moment, tick=False):
        return planner.run(now=moment)


@pytest.fixture
def ascension(db, manager, coach):
    """A session on Wednesday 13 May 2026, the day before Ascension Day (Kristi
    himmelsfärdsdag, Thursday 14 May). `manager` attended; `absent` did not. The manager
    also has a commitment due on the holiday itself."""
    absent = ManagerFactory(full_name="Frida Frånvarande")
    cohort = CohortFactory(
        name="Grupp Kristi",
        coaches=[coach],
        members=[manager, absent],
        programme__coaches=[coach],
        programme__starts_on=date(2026, 1, 12),
        programme__ends_on=date(2026, 12, 18),
        starts_on=date(2026, 1, 12),
        ends_on=date(2026, 12, 18),
    )
    with time_machine.travel(at(2026, 4, 20, 10), tick=False):
        session = sessions.session_create(
            data=session_data(
                cohort=cohort,
                coaches=[coach],
                starts_at=at(2026, 5, 13, 13, 0),
                ends_at=at(2026, 5, 13, 16, 0),
                title="Leda andra: tydlighet",
                key_points="Tydlighet skapar trygghet.\nSäg vad du förväntar dig.",
            ),
            created_by=coach,
            override=True,
        )
    with time_machine.travel(at(2026, 5, 13, 16, 30), tick=False):
        sessions.attendance_mark(
            session=session,
            marks={
                manager.pk: Invitation.Attendance.PRESENT,
                absent.pk: Invitation.Attendance.ABSENT,
            },
            marked_by=coach,
        )
        commitment = reflections.commitment_create(
            author=manager, text="Ha ett utvecklingssamtal med Nils", due_on=date(2026, 5, 14)
        )
    return {"session": session, "absent": absent, "commitment": commitment, "cohort": cohort}
