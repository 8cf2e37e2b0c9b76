"""Two planners at the same moment, each with its own database connection, as on two
machines: every reminder and every email exists once."""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection

from notifications.models import OutboxMessage
from reminders import planner
from reminders.models import Reminder
from sessions.models import Invitation, TrainingSession
from tests.factories import ManagerFactory, ProgrammeFactory
from tests.reminders.conftest import STOCKHOLM, at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MANAGERS = 40


def test_two_planners_at_once_create_every_reminder_and_email_once():
    programme = ProgrammeFactory()
    start = datetime(2027, 3, 10, 13, 0, tzinfo=STOCKHOLM)  # a Wednesday
    session = TrainingSession.objects.create(
        programme=programme,
        capacity=MANAGERS,
        format=TrainingSession.Format.THEORY,
        title="Leda sig själv",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status=TrainingSession.Status.HELD,
    )
    for manager in ManagerFactory.create_batch(MANAGERS):
        Invitation.objects.create(
            session=session, user=manager, attendance=Invitation.Attendance.PRESENT
        )
    moment = at(2027, 3, 11, 8, 30)
    barrier = threading.Barrier(2)
    errors = []

    def run_planner() -> None:
        try:
            barrier.wait()
            planner.run(now=moment)
        except Exception as error:  # reported below, with the other thread's result
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(moment, tick=False):
        threads = [threading.Thread(target=run_planner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert Reminder.objects.filter(kind=Reminder.Kind.REPETITION).count() == MANAGERS * 5
    emails = OutboxMessage.objects.filter(idempotency_key__startswith="reminders:")
    assert emails.count() == MANAGERS
    assert emails.values("recipient_user").distinct().count() == MANAGERS
    step_1 = Reminder.objects.filter(kind=Reminder.Kind.REPETITION, step=1)
    assert set(step_1.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert step_1.values("message").distinct().count() == MANAGERS
