"""The planner, with the clock frozen at chosen moments around Ascension Day 2026."""

from datetime import date

import pytest
import time_machine

from notifications.models import OutboxMessage
from reflections import services as reflections
from reflections.models import Repetition
from reminders import planner
from reminders.models import Reminder
from tests.reminders.conftest import at, run_at

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


def reminder_emails(user):
    return list(
        OutboxMessage.objects.filter(recipient_user=user, idempotency_key__startswith="reminders:")
        .order_by("created_at", "pk")
        .prefetch_related("reminders")
    )


def local_due_dates(user, kind):
    return [
        r.due_at.astimezone(at(2026, 1, 1).tzinfo).strftime("%Y-%m-%d %H:%M")
        for r in Reminder.objects.filter(user=user, kind=kind).order_by("step")
    ]


def test_repetition_steps_fall_on_working_days_at_half_past_eight(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))

    assert local_due_dates(manager, Kind.REPETITION) == [
        "2026-05-15 08:30",  # day 1 is Ascension Day: on to Friday
        "2026-05-18 08:30",  # day 3 is a Saturday: on to Monday
        "2026-05-20 08:30",  # day 7
        "2026-05-27 08:30",  # day 14
        "2026-06-12 08:30",  # day 30
    ]
    assert [r.offset_days for r in Reminder.objects.filter(kind=Kind.REPETITION, user=manager)] == [
        1,
        3,
        7,
        14,
        30,
    ]
    # Only those who attended get repetition steps.
    assert not Reminder.objects.filter(user=ascension["absent"]).exists()


def test_nothing_goes_out_on_the_holiday_the_weekend_or_before_half_past_eight(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    for moment in (
        at(2026, 5, 14, 8, 30),  # Ascension Day
        at(2026, 5, 14, 12, 0),
        at(2026, 5, 15, 8, 29),  # the right day, a minute early
    ):
        run_at(moment)
        assert reminder_emails(manager) == [], moment

    run_at(at(2026, 5, 15, 8, 30))

    [email] = reminder_emails(manager)
    # The commitment fell due on the holiday too: both arrive merged in one email.
    assert sorted(r.kind for r in email.reminders.all()) == [Kind.COMMITMENT, Kind.REPETITION]
    assert email.subject == "2 påminnelser från Ledarskapsportalen"

    for moment in (at(2026, 5, 16), at(2026, 5, 17, 12)):  # Saturday, Sunday
        run_at(moment)
    assert len(reminder_emails(manager)) == 1


def test_steps_go_out_one_email_a_day_and_an_unanswered_step_is_reminded_once(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    for day in [*(date(2026, 5, d) for d in range(14, 32)), date(2026, 6, 1)]:
        run_at(at(day.year, day.month, day.day, 8, 30))
        run_at(at(day.year, day.month, day.day, 9, 0))  # a second round adds nothing
        if day == date(2026, 5, 20):
            # Step 3 is answered the day it arrives: it gets no reminder.
            with time_machine.travel(at(2026, 5, 20, 10, 0), tick=False):
                reflections.repetition_record(author=manager, session=ascension["session"])

    sent = [
        (
            email.created_at.astimezone(at(2026, 1, 1).tzinfo).date().isoformat(),
            sorted((r.kind, r.step) for r in email.reminders.all()),
        )
        for email in reminder_emails(manager)
    ]
    assert sent == [
        ("2026-05-15", [(Kind.COMMITMENT, 0), (Kind.REPETITION, 1)]),
        ("2026-05-18", [(Kind.REPETITION, 2)]),  # step 1's re-prompt day is after this
        ("2026-05-20", [(Kind.REPETITION, 3)]),  # ... and step 2's would be today
        ("2026-05-27", [(Kind.REPETITION, 4)]),  # step 3 was answered: no re-prompt
        ("2026-05-29", [(Kind.REPROMPT, 4)]),  # step 4 unanswered: two working days later
    ]
    step_3 = Reminder.objects.get(user=manager, kind=Kind.REPETITION, step=3)
    assert step_3.response == Reminder.Response.REPEATED
    assert [
        (r.step, r.status, r.skip_reason)
        for r in Reminder.objects.filter(user=manager, kind=Kind.REPROMPT).order_by("step")
    ] == [
        (1, Reminder.Status.SKIPPED, "next_step"),
        (2, Reminder.Status.SKIPPED, "next_step"),
        (3, Reminder.Status.SKIPPED, "responded"),
        (4, Reminder.Status.SENT, ""),
    ]


def test_a_reflection_on_the_session_answers_the_step_and_stops_its_reminder(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    with time_machine.travel(at(2026, 5, 15, 20, 0), tick=False):
        reflections.entry_create(
            author=manager,
            data=reflections.EntryData(
                title="Efter träffen",
                body="Tankar",
                written_on=date(2026, 5, 15),
                session_id=ascension["session"].pk,
            ),
        )
    run_at(at(2026, 5, 18, 8, 30))
    run_at(at(2026, 5, 19, 8, 30))

    step_1 = Reminder.objects.get(user=manager, kind=Kind.REPETITION, step=1)
    assert step_1.response == Reminder.Response.REFLECTION
    assert not Reminder.objects.filter(
        user=manager, kind=Kind.REPROMPT, step=1, status=Reminder.Status.SENT
    ).exists()
    assert len(reminder_emails(manager)) == 2  # 15 May and 18 May


def test_a_response_after_the_next_step_does_not_count_for_the_earlier_step(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    run_at(at(2026, 5, 18, 8, 30))
    with time_machine.travel(at(2026, 5, 18, 9, 0), tick=False):
        Repetition.objects.create(author=manager, session=ascension["session"])
    run_at(at(2026, 5, 18, 9, 1))

    steps = Reminder.objects.filter(user=manager, kind=Kind.REPETITION).order_by("step")
    assert [s.response for s in steps[:2]] == ["", Reminder.Response.REPEATED]


def test_running_the_planner_twice_changes_nothing(ascension, manager):
    first = run_at(at(2026, 5, 15, 8, 30))
    rows = list(Reminder.objects.order_by("pk").values_list("key", "status", "due_at"))
    emails = OutboxMessage.objects.filter(idempotency_key__startswith="reminders:").count()

    second = run_at(at(2026, 5, 15, 8, 30))

    assert first["sent"] == 2 and second["sent"] == 0
    assert list(Reminder.objects.order_by("pk").values_list("key", "status", "due_at")) == rows
    assert OutboxMessage.objects.filter(idempotency_key__startswith="reminders:").count() == emails


def test_something_due_after_todays_email_waits_for_the_next_working_day(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    with time_machine.travel(at(2026, 5, 15, 10, 0), tick=False):
        reflections.commitment_create(author=manager, text="Ringa Nils", due_on=date(2026, 5, 15))
    run_at(at(2026, 5, 15, 10, 1))

    assert len(reminder_emails(manager)) == 1
    late = Reminder.objects.get(user=manager, kind=Kind.COMMITMENT, base_on=date(2026, 5, 15))
    assert late.status == Reminder.Status.PLANNED
    assert late.due_at == at(2026, 5, 18, 8, 30)


def test_reminders_wait_for_the_morning_and_stop_in_the_late_afternoon(ascension, manager):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 17, 0))  # the planner was down all day: not in the evening
    assert reminder_emails(manager) == []
    run_at(at(2026, 5, 18, 8, 30))
    [email] = reminder_emails(manager)
    # What waited since Friday comes merged with Monday's step.
    assert sorted((r.kind, r.step) for r in email.reminders.all()) == [
        (Kind.COMMITMENT, 0),
        (Kind.REPETITION, 1),
        (Kind.REPETITION, 2),
    ]


def test_july_can_be_kept_free_of_reminders(settings, ascension, manager):
    from reminders.schedule import roll_forward

    settings.REMINDERS_SKIP_JULY = True
    assert roll_forward(date(2026, 7, 1)) == date(2026, 8, 3)
    settings.REMINDERS_SKIP_JULY = False
    assert roll_forward(date(2026, 7, 1)) == date(2026, 7, 1)


def test_the_coach_sets_the_programme_schedule(ascension, manager):
    programme = ascension["session"].programme
    programme.repetition_offsets = [1, 2, 10]
    programme.save()

    run_at(at(2026, 5, 13, 17, 0))

    assert local_due_dates(manager, Kind.REPETITION) == [
        "2026-05-15 08:30",
        "2026-05-15 08:30",  # day 1 (a holiday) and day 2 fall on one day ...
        "2026-05-25 08:30",
    ]
    run_at(at(2026, 5, 15, 8, 30))
    [email] = reminder_emails(manager)  # ... and arrive in one email
    assert sorted((r.kind, r.step) for r in email.reminders.all()) == [
        (Kind.COMMITMENT, 0),
        (Kind.REPETITION, 1),
        (Kind.REPETITION, 2),
    ]


def test_attendance_marked_late_skips_the_steps_already_past(ascension, manager):
    Reminder.objects.all().delete()
    run_at(at(2026, 5, 21, 9, 0))  # the planner first sees the attendance a week later

    steps = Reminder.objects.filter(user=manager, kind=Kind.REPETITION).order_by("step")
    assert [(s.step, s.status) for s in steps] == [
        (1, Reminder.Status.SKIPPED),
        (2, Reminder.Status.SKIPPED),
        (3, Reminder.Status.SENT),  # the latest past step still goes out, today
        (4, Reminder.Status.PLANNED),
        (5, Reminder.Status.PLANNED),
    ]


def test_session_reminder_the_working_day_before_not_to_those_with_forhinder(ascension, manager):
    from sessions import services as sessions
    from tests.training_sessions.conftest import session_data

    absent = ascension["absent"]
    with time_machine.travel(at(2026, 5, 1, 10), tick=False):
        next_session = sessions.session_create(
            data=session_data(
                cohort=ascension["cohort"],
                coaches=list(ascension["session"].coaches.all()),
                starts_at=at(2026, 5, 25, 9, 0),  # a Monday
                ends_at=at(2026, 5, 25, 12, 0),
                title="Leda utveckling",
            ),
            created_by=ascension["session"].coaches.first(),
            override=True,
        )

    run_at(at(2026, 5, 21, 8, 30))
    with time_machine.travel(at(2026, 5, 21, 12, 0), tick=False):
        invitation = next_session.invitations.get(user=absent)
        sessions.invitation_report_excuse(invitation=invitation, comment="Semester")
    run_at(at(2026, 5, 22, 8, 30))  # Friday: the working day before Monday

    reminder = Reminder.objects.get(user=manager, kind=Kind.SESSION, session=next_session)
    assert reminder.status == Reminder.Status.SENT
    assert reminder.sent_at == at(2026, 5, 22, 8, 30)
    excused = Reminder.objects.get(user=absent, kind=Kind.SESSION)
    assert excused.status == Reminder.Status.SKIPPED
    assert excused.skip_reason == "excused"


def test_two_planners_at_once_send_one_email(ascension, manager):
    """The second round's rows and email key collide with the first's: nothing new."""
    run_at(at(2026, 5, 13, 17, 0))
    moment = at(2026, 5, 15, 8, 30)
    with time_machine.travel(moment, tick=False):
        planner.plan(moment)
        planner.plan(moment)
        assert planner.dispatch(moment) == 2
        assert planner.dispatch(moment) == 0
    assert len(reminder_emails(manager)) == 1


def test_the_dispatch_task_sends_as_at_the_moment_it_is_given(ascension, manager):
    """`make bench` drains reminders with it whatever the clock says: due ones go, nothing
    new is planned."""
    from reminders.tasks import dispatch_reminders

    run_at(at(2026, 5, 13, 17, 0))
    moment = at(2026, 5, 15, 8, 30)
    planner.plan(moment)
    planned = Reminder.objects.count()

    assert dispatch_reminders(now=at(2026, 5, 14, 23, 0).isoformat()) == 0  # not a send time
    assert dispatch_reminders(now=moment.isoformat()) == 2
    assert len(reminder_emails(manager)) == 1
    assert Reminder.objects.count() == planned
