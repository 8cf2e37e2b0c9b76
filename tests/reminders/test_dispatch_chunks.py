"""Dispatch in chunks: people are sent to a chunk at a time, each chunk with the same few
queries however many people it holds, and with fan-out every chunk but the first is queued
as its own task, so every worker sends."""

import smtplib
from datetime import date, datetime, timedelta
from unittest.mock import patch

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notifications.models import OutboxMessage, Pause, Preference
from reminders import planner
from reminders.models import Reminder
from sessions.models import Invitation, TrainingSession
from tests.factories import ManagerFactory, ProgrammeFactory
from tests.reminders.conftest import STOCKHOLM, at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
Status = Reminder.Status
# Thursday 11 March 2027, 08:30: step 1 for a session held on Wednesday 10 March.
MOMENT = at(2027, 3, 11, 8, 30)


def attended_session(count: int) -> list:
    """`count` managers who attended a session on Wednesday 10 March 2027, with their
    repetition steps planned (step 1 due at MOMENT)."""
    start = datetime(2027, 3, 10, 13, 0, tzinfo=STOCKHOLM)
    session = TrainingSession.objects.create(
        programme=ProgrammeFactory(),
        capacity=count,
        format=TrainingSession.Format.THEORY,
        title="Leda sig själv",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status=TrainingSession.Status.HELD,
    )
    managers = ManagerFactory.create_batch(count)
    for manager in managers:
        Invitation.objects.create(
            session=session, user=manager, attendance=Invitation.Attendance.PRESENT
        )
    planner.plan(MOMENT)
    return sorted(managers, key=lambda m: m.pk)


def emails_to(user) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(recipient_user=user, idempotency_key__startswith="reminders:")
    )


def step_1(user) -> Reminder:
    return Reminder.objects.get(user=user, kind=Kind.REPETITION, step=1)


def test_fan_out_queues_a_task_per_chunk_and_sends_the_first_chunk_itself(monkeypatch):
    monkeypatch.setattr(planner, "CHUNK_SIZE", 2)
    managers = attended_session(5)

    with patch("reminders.tasks.send_reminder_chunk.apply_async") as queued:
        assert planner.dispatch(MOMENT, fan_out=True) == 2

    ids = [m.pk for m in managers]
    assert [call.args[0] for call in queued.call_args_list] == [
        (ids[2:4], MOMENT.isoformat()),
        (ids[4:], MOMENT.isoformat()),
    ]
    assert all(call.kwargs["expires"] == planner.CHUNK_EXPIRES for call in queued.call_args_list)
    assert [len(emails_to(m)) for m in managers] == [1, 1, 0, 0, 0]

    # The queued chunks, run as the task runs them (twice, as after a redelivery).
    from reminders.tasks import send_reminder_chunk

    for _ in range(2):
        for call in queued.call_args_list:
            send_reminder_chunk(*call.args[0])
    assert [len(emails_to(m)) for m in managers] == [1, 1, 1, 1, 1]
    assert {step_1(m).status for m in managers} == {Status.SENT}
    assert [step_1(m).message for m in managers] == [emails_to(m)[0] for m in managers]


def test_without_fan_out_every_chunk_is_sent_here_and_nothing_is_queued(monkeypatch):
    monkeypatch.setattr(planner, "CHUNK_SIZE", 2)
    managers = attended_session(5)

    with patch("reminders.tasks.send_reminder_chunk.apply_async") as queued:
        assert planner.dispatch(MOMENT) == 5

    assert queued.call_count == 0
    assert [len(emails_to(m)) for m in managers] == [1] * 5


def test_the_time_budget_stops_between_chunks_and_the_next_run_goes_on(monkeypatch):
    monkeypatch.setattr(planner, "CHUNK_SIZE", 2)
    managers = attended_session(5)

    assert planner.dispatch(MOMENT, time_budget=0) == 0  # spent before the first chunk
    assert planner.dispatch(MOMENT) == 5
    assert [len(emails_to(m)) for m in managers] == [1] * 5


def test_a_chunk_makes_as_many_queries_for_twelve_people_as_for_two():
    managers = attended_session(14)
    few, many = [m.pk for m in managers[:2]], [m.pk for m in managers[2:]]

    with CaptureQueriesContext(connection) as two:
        assert planner.send_chunk(few, MOMENT) == 2
    with CaptureQueriesContext(connection) as twelve:
        assert planner.send_chunk(many, MOMENT) == 12

    assert len(twelve) == len(two)
    assert len(two) <= 14  # ten queries and two savepoints (each a statement to open and release)


def test_each_person_in_a_chunk_gets_their_own_rules():
    """One chunk with someone who stopped everything, someone on a pause, someone who turned
    repetition off and someone with nothing in the way: nobody's settings leak to another."""
    managers = attended_session(4)
    stopped, paused, turned_off, plain = managers
    Preference.objects.create(user=stopped, unsubscribed_at=MOMENT - timedelta(days=1))
    Pause.objects.create(user=paused, starts_on=date(2027, 3, 11), ends_on=date(2027, 3, 12))
    Preference.objects.create(user=turned_off, disabled_kinds=["repetition"])

    assert planner.send_chunk([m.pk for m in managers], MOMENT) == 1

    assert (step_1(stopped).status, step_1(stopped).skip_reason) == (Status.SKIPPED, "unsubscribed")
    assert (step_1(turned_off).status, step_1(turned_off).skip_reason) == (
        Status.SKIPPED,
        "turned_off",
    )
    # A repetition step moves past the pause (two days from Thursday: on to Monday).
    assert step_1(paused).status == Status.PLANNED
    assert step_1(paused).due_at == at(2027, 3, 15, 8, 30)
    assert step_1(plain).status == Status.SENT
    assert [len(emails_to(m)) for m in managers] == [0, 0, 0, 1]
    [email] = emails_to(plain)
    assert email.to == [plain.email]
    assert email.headers["Message-ID"].startswith(f"<reminders.{plain.pk}.2027-03-11@")


def test_a_person_whose_email_went_today_waits_for_the_next_send_day():
    managers = attended_session(3)
    first = managers[0]
    assert planner.send_chunk([first.pk], MOMENT) == 1
    # Something new falls due for the first person later the same day.
    late = Reminder.objects.create(
        key=f"test:late:{first.pk}",
        user=first,
        kind=Kind.NUDGE,
        base_on=date(2027, 3, 11),
        due_at=MOMENT + timedelta(hours=1),
    )

    assert planner.send_chunk([m.pk for m in managers], MOMENT + timedelta(hours=2)) == 2

    late.refresh_from_db()
    assert late.status == Status.PLANNED
    assert late.due_at == at(2027, 3, 12, 8, 30)
    assert [len(emails_to(m)) for m in managers] == [1, 1, 1]


def test_people_with_nothing_due_or_gone_make_an_empty_chunk():
    managers = attended_session(2)
    assert planner.send_chunk([m.pk for m in managers], MOMENT - timedelta(days=1)) == 0
    assert planner.send_chunk([999_999], MOMENT) == 0
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def to_sink(settings, smtp_sink, monkeypatch):
    """Delivery through the portal's SMTP backend to the test server, counting connections."""
    settings.NOTIFICATIONS_DELIVERY_BACKEND = "notifications.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    smtp_sink.connections = []
    connect = smtplib.SMTP.connect

    def counting(self, *args, **kwargs):
        smtp_sink.connections.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting)
    return smtp_sink


def test_a_chunk_task_delivers_its_own_emails_once_committed(
    to_sink, django_capture_on_commit_callbacks
):
    from reminders.tasks import send_reminder_chunk

    managers = attended_session(3)

    with (
        patch("notifications.tasks.send_outbox_messages.delay") as batch,
        patch("notifications.tasks.send_outbox_message.delay") as one,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_reminder_chunk([m.pk for m in managers], MOMENT.isoformat()) == 3
        # Written, held by this worker, and not sent before the commit.
        stored = OutboxMessage.objects.filter(idempotency_key__startswith="reminders:")
        assert set(stored.values_list("status", "attempts")) == {(OutboxMessage.Status.SENDING, 1)}
        assert all(to_sink.to(m.email) == [] for m in managers)

    for manager in managers:
        [email] = to_sink.wait_for(manager.email)
        assert email["Message-ID"].startswith(f"<reminders.{manager.pk}.2027-03-11@")
    assert len(to_sink.connections) == 1
    assert set(stored.values_list("status", "attempts")) == {(OutboxMessage.Status.SENT, 1)}
    assert batch.call_count == one.call_count == 0  # no delivery task needed


def test_a_chunk_rolled_back_sends_nothing(to_sink, django_capture_on_commit_callbacks):
    managers = attended_session(2)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        planner.send_chunk([m.pk for m in managers], MOMENT, deliver_here=True)
        raise RuntimeError("the database went away before the commit")

    assert not OutboxMessage.objects.exists()
    assert {step_1(m).status for m in managers} == {Status.PLANNED}
    assert to_sink.connections == []


def test_a_chunk_past_its_time_budget_leaves_its_emails_to_a_delivery_task(
    to_sink, django_capture_on_commit_callbacks
):
    managers = attended_session(2)

    with (
        patch("notifications.tasks.send_outbox_messages.delay") as batch,
        django_capture_on_commit_callbacks(execute=True),
    ):
        planner.send_chunk([m.pk for m in managers], MOMENT, deliver_here=True, time_budget=0)

    stored = OutboxMessage.objects.filter(idempotency_key__startswith="reminders:")
    # Given back untried: pending, no attempt counted, queued in one batch.
    assert set(stored.values_list("status", "attempts", "claimed_at")) == {
        (OutboxMessage.Status.PENDING, 0, None)
    }
    batch.assert_called_once_with(sorted(stored.values_list("pk", flat=True)))
    assert to_sink.connections == []
