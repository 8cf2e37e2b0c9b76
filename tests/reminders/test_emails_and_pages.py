"""What a reminder email holds, the Repetera page, and the coach's counts per step."""

from datetime import date
from email import message_from_bytes
from email.policy import default

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from notifications.delivery import _build_email
from notifications.models import OutboxMessage
from reflections import services as reflections
from reflections.models import Repetition
from reminders.models import Reminder
from tests.factories import CoachFactory, CohortFactory, ProgrammeFactory
from tests.reminders.conftest import at, run_at

pytestmark = pytest.mark.django_db

SENTINEL = "HEMLIG-JOURNALTEXT-51c9"


def todays_email(user) -> OutboxMessage:
    return OutboxMessage.objects.get(recipient_user=user, idempotency_key__startswith="reminders:")


def as_received(message: OutboxMessage):
    """The email as the SMTP server would get it."""
    raw = _build_email(message, connection=None).message().as_bytes()
    return message_from_bytes(raw, policy=default)


def test_the_email_has_both_parts_the_links_and_no_journal_text(ascension, manager):
    with time_machine.travel(at(2026, 5, 13, 18, 0), tick=False):
        reflections.entry_create(
            author=manager,
            data=reflections.EntryData(
                title=f"Titel {SENTINEL}", body=SENTINEL, written_on=date(2026, 5, 13)
            ),
        )
    ascension["commitment"].text = f"Åtagande {SENTINEL}"
    ascension["commitment"].save()
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))

    email = as_received(todays_email(manager))
    text = email.get_body(preferencelist=("plain",)).get_content()
    html = email.get_body(preferencelist=("html",)).get_content()
    session = ascension["session"]

    assert email["Subject"] == "2 påminnelser från Ledarskapsportalen"
    assert "Repetition 1 av 5 efter träffen ”Leda andra: tydlighet”." in text
    assert "Tydlighet skapar trygghet." in text  # the coach's key points
    assert "En fråga att reflektera över" in text
    repeat_url = settings.SITE_URL + reverse("reflections:repeat", args=[session.pk])
    assert f"Markera som repeterat: {repeat_url}" in text
    assert f"?traff={session.pk}" in text
    assert "Ett av dina åtaganden ska följas upp i dag" in text
    assert '<html lang="sv">' in html and f'href="{repeat_url}"' in html
    for part in (text, html, email["Subject"]):
        assert SENTINEL not in part
    assert email["List-Unsubscribe"].strip().startswith(f"<{settings.SITE_URL}/avregistrera/")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["Message-ID"] == f"<reminders.{manager.pk}.2026-05-15@kungsor.se>"


def test_the_email_is_in_the_recipients_language(ascension, manager):
    manager.language = "en"
    manager.save()
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))

    email = as_received(todays_email(manager))
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert email["Subject"] == "2 reminders from Ledarskapsportalen"
    assert "Repetition 1 of 5 after the session “Leda andra: tydlighet”." in text
    assert '<html lang="en">' in email.get_body(preferencelist=("html",)).get_content()


def test_the_coachs_question_for_the_session_is_the_one_in_the_email(ascension, manager, coach):
    reflections.prompt_create(
        coach=coach, question="Var var du tydlig i veckan?", session=ascension["session"]
    )
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    text = todays_email(manager).body_text
    assert "En fråga att reflektera över: Var var du tydlig i veckan?" in text
    assert "&fraga=" in text


def test_repeat_page_shows_key_points_and_records_a_repetition(client, ascension, manager):
    session = ascension["session"]
    client.force_login(manager)
    url = reverse("reflections:repeat", args=[session.pk])

    page = client.get(url).content.decode()
    assert "Repetera: Leda andra: tydlighet" in page
    assert "Tydlighet skapar trygghet." in page
    assert "Du har inte markerat den här träffen som repeterad än." in page

    response = client.post(url, follow=True)
    assert "Bra! Din repetition är noterad." in response.content.decode()
    assert "Du har repeterat den här träffen en gång" in response.content.decode()
    assert Repetition.objects.filter(author=manager, session=session).count() == 1


def test_write_link_from_the_email_links_the_entry_to_the_session(client, ascension, manager):
    client.force_login(manager)
    session = ascension["session"]
    page = client.get(reverse("reflections:entry-create") + f"?traff={session.pk}")
    assert f'<option value="{session.pk}" selected>' in page.content.decode()


def test_repeat_page_is_only_for_those_invited(client, ascension, other_manager, coach, hr_user):
    url = reverse("reflections:repeat", args=[ascension["session"].pk])
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    for other in (coach, hr_user):
        client.force_login(other)
        assert client.post(url).status_code == 403
    assert not Repetition.objects.exists()


def test_coach_sees_per_step_counts_and_nobody_else_does(
    client, ascension, manager, coach, other_manager, hr_user
):
    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    with time_machine.travel(at(2026, 5, 15, 9, 0), tick=False):
        reflections.repetition_record(author=manager, session=ascension["session"])
    run_at(at(2026, 5, 15, 9, 1))
    url = reverse("reminders:session-steps", args=[ascension["session"].pk])

    client.force_login(coach)
    page = client.get(url).content.decode()
    assert "Repetition efter ”Leda andra: tydlighet”" in page
    step_1 = page.split("1 (dag 1)")[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in step_1.split("</td>")[:-1]]
    # planned for, sent / people, waiting, reminded again, answered, repeated, reflection
    assert cells[1:] == ["1 / 1", "0", "0", "1", "1", "0"]

    other_coach = CoachFactory()
    CohortFactory(coaches=[other_coach], programme=ProgrammeFactory(coaches=[other_coach]))
    for other in (manager, other_manager, hr_user, other_coach):
        client.force_login(other)
        assert client.get(url).status_code == 403, other


def test_writing_nudge_after_14_quiet_days_only_where_the_coach_turned_it_on(ascension, manager):
    Reminder.objects.all().delete()
    programme = ascension["session"].programme
    run_at(at(2026, 5, 20, 8, 30))
    assert not Reminder.objects.filter(kind=Reminder.Kind.NUDGE).exists()

    programme.inactivity_nudge = True
    programme.save()
    with time_machine.travel(at(2026, 5, 1, 10, 30), tick=False):
        reflections.entry_create(
            author=manager,
            data=reflections.EntryData(title="", body="x", written_on=date(2026, 5, 1)),
        )
    run_at(at(2026, 5, 15, 10, 0))  # 13 days and 23.5 hours: not yet
    assert not Reminder.objects.filter(user=manager, kind=Reminder.Kind.NUDGE).exists()
    run_at(at(2026, 5, 15, 10, 45))
    run_at(at(2026, 5, 18, 9, 0))
    nudges = Reminder.objects.filter(user=manager, kind=Reminder.Kind.NUDGE)
    assert [(n.status, n.sent_at) for n in nudges] == [
        (Reminder.Status.SENT, at(2026, 5, 15, 10, 45))
    ]  # once per quiet stretch, not every day
    assert "Det var ett tag sedan du skrev" in nudges[0].message.body_text


def test_the_first_repetition_emails_ask_for_the_evaluation_until_it_is_answered(
    ascension, manager
):
    """No email of its own: the evaluation rides in the day's email with step 1, and once
    more with step 2 if still unanswered; answered, it is not asked again."""
    from evaluations.models import Answer

    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    session = ascension["session"]
    evaluate_url = settings.SITE_URL + reverse("evaluations:evaluate", args=[session.pk])

    first = as_received(todays_email(manager))
    text = first.get_body(preferencelist=("plain",)).get_content()
    html = first.get_body(preferencelist=("html",)).get_content()
    assert first["Subject"] == "2 påminnelser från Ledarskapsportalen"  # still one email
    assert (
        "Hur användbar var träffen för dig? En minut, och konfidentiellt "
        f"(öppet till och med 27 maj): {evaluate_url}"
    ) in text
    assert f'href="{evaluate_url}"' in html

    run_at(at(2026, 5, 18, 8, 30))  # step 2, still unanswered
    reminder_emails = OutboxMessage.objects.filter(
        recipient_user=manager, idempotency_key__startswith="reminders:"
    )
    second = reminder_emails.latest("created_at")
    assert evaluate_url in second.body_text

    Answer.objects.create(session=session, respondent=manager, usefulness=4)
    run_at(at(2026, 5, 20, 8, 30))  # step 3
    third = reminder_emails.latest("created_at")
    assert "Repetition 3 av 5" in third.body_text
    assert evaluate_url not in third.body_text
    assert reminder_emails.count() == 3
