"""The benefit survey in the reminder planner (one email a day, working days, pauses) and
in privacy (the person's export, erasure, gallring); the coach's question per theme."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations import survey_services
from evaluations.models import Answer, SurveyRating, SurveyResponse, SurveyText, ThemeQuestion
from notifications.models import OutboxMessage, Pause
from privacy import erasure, retention
from privacy.export import person_export_json
from reflections import services as reflections
from reminders import planner
from reminders.models import Reminder
from tests.factories import (
    CoachFactory,
    CohortFactory,
    InvitationFactory,
    ManagerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour=8, minute=30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def run_at(moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return planner.run(now=moment)


def emails_to(user):
    return OutboxMessage.objects.filter(
        recipient_user=user, idempotency_key__startswith="reminders:"
    ).order_by("created_at")


@pytest.fixture
def may_survey(coach, manager):
    """A programme survey open Wednesday 13 to Friday 29 May 2026 (Thursday 14 May is
    Kristi himmelsfärdsdag). `manager`, `answers` and `paused` are members; `paused` is on
    leave 13–15 May. `manager` also has a commitment due on 13 May."""
    answers = ManagerFactory(full_name="Sven Svarar")
    paused = ManagerFactory(full_name="Petra Paus")
    cohort = CohortFactory(
        coaches=[coach],
        members=[manager, answers, paused],
        programme__coaches=[coach],
        programme__starts_on=date(2026, 1, 12),
        programme__ends_on=date(2026, 12, 18),
    )
    with time_machine.travel(at(2026, 5, 11, 10), tick=False):
        survey = survey_services.survey_create(
            by=coach,
            title="Nyttoenkät 2026",
            programme=cohort.programme,
            opens_on=date(2026, 5, 13),
            closes_on=date(2026, 5, 29),
            statements=["Jag känner mig tryggare som ledare"],
            open_question="Vad mer?",
        )
        reflections.commitment_create(
            author=manager, text="Ha ett samtal med Nils", due_on=date(2026, 5, 13)
        )
        Pause.objects.create(user=paused, starts_on=date(2026, 5, 13), ends_on=date(2026, 5, 15))
    return {"survey": survey, "answers": answers, "paused": paused}


def test_the_invitation_rides_in_the_days_one_email_and_one_reminder_follows(may_survey, manager):
    survey = may_survey["survey"]
    url = settings.SITE_URL + reverse("evaluations:survey-answer", args=[survey.pk])
    run_at(at(2026, 5, 12, 8, 30))  # not open yet: nothing planned
    assert not Reminder.objects.filter(kind=Reminder.Kind.SURVEY).exists()

    run_at(at(2026, 5, 13, 8, 30))
    run_at(at(2026, 5, 13, 9, 30))  # a second round the same day sends nothing more
    [first] = emails_to(manager)
    assert first.subject == "2 påminnelser från Ledarskapsportalen"  # with the commitment
    assert "”Nyttoenkät 2026”: vad har ledarskapsträningen gett dig?" in first.body_text
    assert f"Svara på enkäten: {url}" in first.body_text
    assert f'href="{url}"' in first.body_html

    # The one who answers gets no reminder; the one who does not gets it a week later.
    with time_machine.travel(at(2026, 5, 15, 12), tick=False):
        survey_services.response_save(
            user=may_survey["answers"], survey=survey, ratings={survey.statements.get().pk: 5}
        )
    run_at(at(2026, 5, 20, 8, 30))
    second = emails_to(manager).last()
    assert second.subject == "Vad har träningen gett dig? Nyttoenkät 2026"
    assert "En påminnelse: ditt svar saknas fortfarande." in second.body_text
    assert emails_to(may_survey["answers"]).count() == 1
    assert (
        Reminder.objects.get(user=may_survey["answers"], kind="enkat", step=2).skip_reason
        == "answered"
    )


def test_a_pause_moves_the_invitation_to_the_next_working_day_after_it(may_survey):
    paused = may_survey["paused"]
    run_at(at(2026, 5, 13, 8, 30))
    assert not emails_to(paused).exists()
    run_at(at(2026, 5, 15, 8, 30))  # still paused
    assert not emails_to(paused).exists()
    run_at(at(2026, 5, 18, 8, 30))  # Monday after the pause
    assert "Svara på enkäten" in emails_to(paused).get().body_text


def test_a_survey_closed_early_sends_no_more_reminders(may_survey, manager):
    survey = may_survey["survey"]
    run_at(at(2026, 5, 13, 8, 30))
    with time_machine.travel(at(2026, 5, 18, 12), tick=False):
        survey_services.survey_close(survey=survey)
    run_at(at(2026, 5, 20, 8, 30))
    assert emails_to(manager).count() == 1
    assert Reminder.objects.get(user=manager, kind="enkat", step=2).skip_reason == "closed"


def test_the_persons_export_holds_their_answers_and_erasure_keeps_only_figures(coach, manager):
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    today = timezone.localdate()
    survey = survey_services.survey_create(
        by=coach,
        title="Nyttoenkät",
        programme=cohort.programme,
        opens_on=today,
        closes_on=today,
        statements=["Jag känner mig tryggare som ledare"],
        open_question="Vad mer?",
    )
    survey_services.response_save(
        user=manager, survey=survey, ratings={survey.statements.get().pk: 4}, text="Min text"
    )
    own = str(person_export_json(manager, private=True))
    assert "Min text" in own
    by_admin = str(person_export_json(manager, private=False))
    assert "Min text" not in by_admin

    erasure.person_erase(person=manager)
    response = SurveyResponse.objects.get(survey=survey)
    assert response.respondent is None
    assert SurveyRating.objects.get(response=response).value == 4
    assert not SurveyText.objects.exists()


def test_gallring_deletes_old_survey_texts_and_keeps_the_ratings(coach, manager):
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    today = timezone.localdate()
    survey = survey_services.survey_create(
        by=coach,
        title="Nyttoenkät",
        programme=cohort.programme,
        opens_on=today,
        closes_on=today,
        statements=["Jag känner mig tryggare som ledare"],
        open_question="Vad mer?",
    )
    survey_services.response_save(
        user=manager, survey=survey, ratings={survey.statements.get().pk: 4}, text="Gammal"
    )
    days = settings.RETENTION_DAYS["evaluation_texts"]
    SurveyText.objects.update(written_at=timezone.now() - timedelta(days=days + 1))
    retention.retention_apply()
    assert not SurveyText.objects.exists()
    assert SurveyRating.objects.count() == 1


# The coach's question per theme -----------------------------------------------------------


@pytest.fixture
def themed(coach):
    """A session of a theme, ended yesterday, in `coach`'s programme, with one attendee."""
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach])
    ends = timezone.now() - timedelta(hours=20)
    session = TrainingSessionFactory(
        cohort=cohort, starts_at=ends - timedelta(hours=3), ends_at=ends
    )
    attendee = ManagerFactory()
    InvitationFactory(session=session, user=attendee, attendance="narvarande")
    return {"session": session, "attendee": attendee, "programme": cohort.programme}


def test_a_session_asks_its_themes_question_unless_it_has_its_own(client, coach, themed):
    session = themed["session"]
    client.force_login(coach)
    page = client.get(reverse("evaluations:theme-questions"))
    assert session.theme.name in page.content.decode()
    client.post(
        reverse("evaluations:theme-questions"),
        {"programme": themed["programme"].pk, "theme": session.theme_id, "text": "Vad tar du med?"},
    )
    assert ThemeQuestion.objects.get().text == "Vad tar du med?"

    client.force_login(themed["attendee"])
    form = client.get(reverse("evaluations:evaluate", args=[session.pk])).content.decode()
    assert "Vad tar du med? (frivilligt)" in form
    client.post(
        reverse("evaluations:evaluate", args=[session.pk]),
        {"usefulness": "4", "question_answer": "Modet"},
    )
    assert Answer.objects.get().text.question == "Vad tar du med?"

    # A session's own question wins over its theme's.
    other = TrainingSessionFactory(
        cohort=session.cohort,
        theme=session.theme,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    InvitationFactory(session=other, user=themed["attendee"], attendance="narvarande")
    client.force_login(coach)
    client.post(reverse("evaluations:question", args=[other.pk]), {"text": "Egen fråga?"})
    client.force_login(themed["attendee"])
    form = client.get(reverse("evaluations:evaluate", args=[other.pk])).content.decode()
    assert "Egen fråga? (frivilligt)" in form
    assert "Vad tar du med?" not in form


def test_another_programmes_coach_cannot_set_a_theme_question(client, themed):
    client.force_login(CoachFactory())
    response = client.post(
        reverse("evaluations:theme-questions"),
        {"programme": themed["programme"].pk, "theme": themed["session"].theme_id, "text": "X"},
    )
    assert response.status_code == 404
    assert not ThemeQuestion.objects.exists()
    client.force_login(themed["attendee"])
    assert client.get(reverse("evaluations:theme-questions")).status_code == 403


def test_an_opening_moved_later_after_the_invitations_were_planned_invites_on_the_new_day(
    may_survey, manager, coach
):
    """The survey opened on Wednesday 13 May and its invitations were planned for 08:30;
    at 07:30 the coach moves the opening to Wednesday 20 May. The managers hear nothing of
    it on the 13th, and are invited on the 20th, once (the reminder a week later)."""
    survey = may_survey["survey"]
    invitation = "”Nyttoenkät 2026”: vad har ledarskapsträningen gett dig?"
    run_at(at(2026, 5, 13, 7, 0))  # open: the invitations are planned, none sent yet
    assert Reminder.objects.filter(kind="enkat", user=manager, status="planerad").exists()
    with time_machine.travel(at(2026, 5, 13, 7, 30), tick=False):
        survey_services.survey_update(
            survey=survey,
            title=survey.title,
            opens_on=date(2026, 5, 20),
            closes_on=date(2026, 5, 29),
            statements=["Jag känner mig tryggare som ledare"],
            open_question="Vad mer?",
        )

    for day in (13, 15, 18, 19):
        run_at(at(2026, 5, day, 8, 30))
    assert emails_to(manager).count() == 1  # the commitment due on the 13th
    assert invitation not in emails_to(manager).get().body_text
    assert not emails_to(may_survey["paused"]).exists()

    run_at(at(2026, 5, 20, 8, 30))
    run_at(at(2026, 5, 20, 9, 30))
    run_at(at(2026, 5, 21, 8, 30))
    for person in (manager, may_survey["paused"], may_survey["answers"]):
        invited = [m for m in emails_to(person) if invitation in m.body_text]
        assert len(invited) == 1, person
        assert timezone.localtime(invited[0].created_at).date() == date(2026, 5, 20)
        assert "En påminnelse" not in invited[0].body_text  # the invitation, not a reminder
    run_at(at(2026, 5, 27, 8, 30))
    reminded = emails_to(manager).last()
    assert timezone.localtime(reminded.created_at).date() == date(2026, 5, 27)
    assert "En påminnelse: ditt svar saknas fortfarande." in reminded.body_text


def test_an_opening_moved_later_after_the_invitation_went_out_moves_the_reminder_too(
    may_survey, manager, coach
):
    """The invitation went out on Wednesday 13 May; on Friday 15 May the coach moves the
    opening to Monday 25 May. The reminder planned for the 20th does not come then (the
    survey is not open), nor is the manager invited again on the 25th: the reminder comes
    a week after the new opening, on Monday 1 June. Petra, on leave when the invitations
    went out, is invited on the 25th and reminded on 1 June too."""
    survey = may_survey["survey"]
    invitation = "”Nyttoenkät 2026”: vad har ledarskapsträningen gett dig?"
    reminder = "En påminnelse: ditt svar saknas fortfarande."
    run_at(at(2026, 5, 13, 8, 30))
    assert invitation in emails_to(manager).get().body_text
    with time_machine.travel(at(2026, 5, 15, 12), tick=False):
        survey_services.survey_update(
            survey=survey,
            title=survey.title,
            opens_on=date(2026, 5, 25),
            closes_on=date(2026, 6, 5),
            statements=["Jag känner mig tryggare som ledare"],
            open_question="Vad mer?",
        )

    days = [(5, d) for d in (15, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29)] + [(6, 1)]
    for month, day in days:
        run_at(at(2026, month, day, 8, 30))
        run_at(at(2026, month, day, 9, 30))

    def survey_emails(person):
        return [
            (timezone.localtime(m.created_at).date(), reminder in m.body_text)
            for m in emails_to(person)
            if survey.title in m.body_text
        ]

    assert survey_emails(manager) == [(date(2026, 5, 13), False), (date(2026, 6, 1), True)]
    assert survey_emails(may_survey["paused"]) == [
        (date(2026, 5, 25), False),
        (date(2026, 6, 1), True),
    ]
