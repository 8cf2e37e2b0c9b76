"""New questions and answers reach the group's members in the one email of the day (the
planner's merge, pause and preference rules), never what anyone wrote; never anyone else."""

from datetime import date

import pytest
import time_machine

from network import services
from notifications.models import OutboxMessage, Pause, Preference
from reminders.models import Reminder
from tests.reminders.conftest import at, run_at

pytestmark = pytest.mark.django_db

SECRET = "HEMLIG-NÄTVERKSFRÅGA-3b8a"


def _ask(world, moment, **fields):
    with time_machine.travel(moment, tick=False):
        return services.question_create(
            group=world["group"],
            author=world["asker"],
            title=f"Hur gör ni? {SECRET}",
            body=SECRET,
            **fields,
        )


def _emails(user):
    return list(OutboxMessage.objects.filter(recipient_user=user))


def test_the_others_get_one_morning_email_with_counts_and_a_link(group_world):
    world = group_world
    question = _ask(world, at(2026, 5, 12, 14, 0))  # a Tuesday afternoon
    with time_machine.travel(at(2026, 5, 12, 15, 0), tick=False):
        services.answer_create(question=question, author=world["olle"], body=f"Svar {SECRET}")
    run_at(at(2026, 5, 12, 15, 5))
    run_at(at(2026, 5, 12, 15, 10))  # planning twice adds nothing
    assert Reminder.objects.filter(kind="natverk").count() == 3  # Maja, Olle and Pia
    assert not OutboxMessage.objects.exists()  # nothing on its own, the same afternoon

    run_at(at(2026, 5, 13, 8, 30))

    (pia,) = _emails(world["pia"])
    assert pia.subject == "Nytt i din nätverksgrupp"
    assert "Nytt i din nätverksgrupp: 1 ny fråga, 1 nytt svar." in pia.body_text
    assert f"/natverksgrupper/{world['group'].pk}/fragor/" in pia.body_text
    (maja,) = _emails(world["asker"])
    assert "0 nya frågor, 1 nytt svar." in maja.body_text  # her own question is not news
    for message in OutboxMessage.objects.all():
        assert SECRET not in message.body_text + message.body_html + message.subject
    # Outside the group: nobody else hears of it.
    assert set(OutboxMessage.objects.values_list("recipient_user", flat=True)) == {
        world["asker"].pk,
        world["olle"].pk,
        world["pia"].pk,
    }
    # Nothing new since: no second email the next day.
    run_at(at(2026, 5, 14, 8, 30))
    run_at(at(2026, 5, 15, 8, 30))
    assert len(_emails(world["pia"])) == 1


def test_the_coach_hears_only_of_questions_that_include_them(group_world):
    world = group_world
    _ask(world, at(2026, 5, 12, 14, 0))
    run_at(at(2026, 5, 12, 15, 0))
    run_at(at(2026, 5, 13, 8, 30))
    assert not _emails(world["coach"])
    _ask(world, at(2026, 5, 13, 14, 0), includes_coach=True)
    run_at(at(2026, 5, 13, 15, 0))
    run_at(at(2026, 5, 14, 8, 30))  # Ascension Day 2026: no email
    run_at(at(2026, 5, 15, 8, 30))
    (coach,) = _emails(world["coach"])
    assert "1 ny fråga" in coach.body_text and "/natverksfragor/till-mig/" in coach.body_text


def test_a_member_can_turn_it_off_and_a_pause_skips_it(group_world):
    world = group_world
    Preference.objects.create(user=world["olle"], disabled_kinds=["natverk"])
    Pause.objects.create(user=world["pia"], starts_on=date(2026, 5, 13), ends_on=date(2026, 5, 13))
    _ask(world, at(2026, 5, 12, 14, 0))
    run_at(at(2026, 5, 12, 15, 0))
    run_at(at(2026, 5, 13, 8, 30))
    assert not _emails(world["olle"]) and not _emails(world["pia"])
    reasons = dict(
        Reminder.objects.filter(kind="natverk").values_list("user__full_name", "skip_reason")
    )
    assert reasons == {"Olle Kollega": "turned_off", "Pia Kollega": "paused"}


def test_it_rides_in_the_same_email_as_other_reminders(group_world):
    world = group_world
    _ask(world, at(2026, 5, 12, 14, 0))
    run_at(at(2026, 5, 12, 15, 0))
    with time_machine.travel(at(2026, 5, 12, 16, 0), tick=False):
        Reminder.objects.create(
            key="test-nudge",
            user=world["pia"],
            kind=Reminder.Kind.NUDGE,
            base_on=date(2026, 5, 13),
            due_at=at(2026, 5, 13, 8, 30),
        )
    run_at(at(2026, 5, 13, 8, 30))
    (email,) = _emails(world["pia"])
    assert email.subject == "2 påminnelser från Ledarskapsportalen"
    assert "Nytt i din nätverksgrupp" in email.body_text
