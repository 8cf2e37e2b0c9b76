"""A person with data in every model that can hold a person's data, and a colleague whose
data must stay out of everything done to the person."""

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import StaffImport, User
from evaluations.models import (
    Answer,
    AnswerText,
    Question,
    Survey,
    SurveyRating,
    SurveyResponse,
    SurveyStatement,
    SurveyText,
    ThemeQuestion,
)
from network.models import Answer as NetworkAnswer
from network.models import Meeting, MeetingInvitation, MeetingTakeaway, QuestionRead, SharedEntry
from network.models import Question as NetworkQuestion
from notifications.models import OutboxMessage, Pause, Preference
from privacy.models import ErasureRecord
from programme import services as programme_services
from programme.models import (
    CohortMembership,
    FrameworkSuggestion,
    Module,
    NetworkGroup,
    NetworkRound,
    Theme,
)
from reflections.models import Commitment, Entry, Feedback, LedordRating, Prompt, Repetition
from reminders.models import Reminder
from reports.models import ReportAccess, SickLeaveImport
from sessions.models import CalendarFeed, Invitation, SessionSeries, TrainingSession
from tests.factories import CoachFactory, CohortFactory, EnhetFactory, ManagerFactory

# What identifies the person, or what they wrote: none of it may survive erasure.
EMAIL = "petra.persson@kungsor.se"
NAME = "Petra Persdotter-Sentinel"
TITLE = "Enhetschef Titel-Sentinel"
IP = "10.98.76.54"
WROTE = [
    "Journal-Sentinel-Rubrik",
    "Journal-Sentinel-Text",
    "Åtagande-Sentinel",
    "Utfall-Sentinel",
    "Förhinder-Sentinel",
    "Webbläsare-Sentinel",
    "Mejl-Sentinel-Text",
    "Utvärdering-Sentinel",
    "Nyttoenkät-Sentinel",
    "Synpunkt-Sentinel",
]


def _made(made: dict, obj):
    made.setdefault(obj._meta.label, []).append(obj)
    return obj


@pytest.fixture
def everywhere(db):
    """(person, colleague, made): `made` maps each model label to the rows about or
    mentioning the person that the test created."""
    made: dict[str, list] = {}
    now = timezone.now()
    person = ManagerFactory(email=EMAIL, full_name=NAME, title=TITLE, department=EnhetFactory())
    _made(made, person)
    colleague = CoachFactory(full_name="Kollega Annan", email="kollega@kungsor.se")
    theme = Theme.objects.order_by("order").first()

    cohort = CohortFactory(
        name="Grupp P", coaches=[person], members=[person], programme__coaches=[person]
    )
    programme = cohort.programme
    _made(made, programme)
    _made(made, cohort)
    _made(made, CohortMembership.objects.get(cohort=cohort, user=person))
    other_cohort = CohortFactory(coaches=[colleague], members=[ManagerFactory()])

    session = TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        theme=theme,
        format=TrainingSession.Format.THEORY,
        title="Träff P",
        starts_at=now - timedelta(days=3, hours=2),
        ends_at=now - timedelta(days=3),
        status=TrainingSession.Status.HELD,
    )
    session.coaches.set([person])
    _made(made, session)
    _made(
        made,
        SessionSeries.objects.create(programme=programme, interval_weeks=2, created_by=person),
    )
    _made(
        made,
        Invitation.objects.create(
            session=session,
            user=person,
            attendance="franvarande",
            excuse_comment=WROTE[4],
            excused_at=now,
            attendance_marked_by=colleague,
        ),
    )
    # The person marked the colleague's attendance: a mention, not theirs.
    _made(
        made,
        Invitation.objects.create(
            session=session,
            user=colleague,
            attendance="narvarande",
            attendance_marked_by=person,
            excuse_comment="Kollegans eget förhinder",
        ),
    )
    _made(made, CalendarFeed.objects.create(user=person))
    # Two-step verification: an authenticator app and recovery codes.
    _made(made, TOTPDevice.objects.create(user=person, name="App", confirmed=True))
    mfa.new_recovery_codes(person)
    _made(made, StaticDevice.objects.get(user=person))
    _made(made, StaticToken.objects.filter(device__user=person).first())

    module = Module.objects.create(programme=programme, theme=theme, title="Material P")
    _made(
        made,
        programme_services.module_attachment_add(
            module=module,
            title="Fil",
            upload=SimpleUploadedFile("fil.pdf", b"%PDF-1.4\n%%EOF\n"),
            content_type="application/pdf",
            uploaded_by=person,
        ),
    )
    network_round = _made(
        made, NetworkRound.objects.create(programme=programme, name="Runda P", created_by=person)
    )
    group = NetworkGroup.objects.create(round=network_round, number=1)
    group.members.set([person, colleague])
    _made(made, group)
    # The person asked the network group, answered, and opened the thread: the posts stay
    # for the group after erasure, without the name (issue 22).
    question = _made(
        made, NetworkQuestion.objects.create(group=group, author=person, title="Hur gör ni?")
    )
    _made(made, NetworkAnswer.objects.create(question=question, author=person, body="Så här"))
    _made(made, QuestionRead.objects.create(question=question, user=person))
    # The person proposed a meeting, was invited, and noted a takeaway in their journal.
    meeting = _made(
        made,
        Meeting.objects.create(
            group=group,
            proposed_by=person,
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
            place="Fikarummet",
            note="Vad vi ska prata om",
        ),
    )
    _made(made, MeetingInvitation.objects.create(meeting=meeting, user=person, response="ja"))

    entry = _made(
        made,
        Entry.objects.create(author=person, title=WROTE[0], body=WROTE[1], written_on=date.today()),
    )
    _made(made, MeetingTakeaway.objects.create(meeting=meeting, entry=entry))
    _made(made, Feedback.objects.create(entry=entry, coach=colleague, text="Kollegans svar"))
    # Suggestions on the framework: one only the coaches read (deleted on erasure), one a
    # coach published (it stays, without the name).
    _made(
        made,
        FrameworkSuggestion.objects.create(
            programme=programme, author=person, theme=theme, text=WROTE[9]
        ),
    )
    _made(
        made,
        FrameworkSuggestion.objects.create(
            programme=programme,
            author=person,
            theme=theme,
            text="Publicerad synpunkt",
            answer="Svar",
            answered_by=colleague,
            answered_at=timezone.now(),
            published_at=timezone.now(),
        ),
    )
    # A copy of an entry shared with the network group: it stays for the group after
    # erasure, without the name and the link to the entry (issue 22).
    _made(
        made,
        SharedEntry.objects.create(
            group=group,
            author=person,
            entry=entry,
            title="Delad rubrik",
            body="Delad text",
            written_on=date.today(),
        ),
    )
    colleague_entry = Entry.objects.create(
        author=colleague, title="Kollegans rubrik", body="Kollegans text", written_on=date.today()
    )
    # Feedback the person gave as a coach: it stays in the colleague's journal.
    _made(made, Feedback.objects.create(entry=colleague_entry, coach=person, text="Bra tänkt!"))
    commitment = _made(
        made,
        Commitment.objects.create(
            author=person, text=WROTE[2], outcome_reflection=WROTE[3], due_on=date.today()
        ),
    )
    _made(
        made,
        LedordRating.objects.create(
            author=person, modigt=4, tydligt=3, engagerande=5, rated_on=date.today()
        ),
    )
    _made(made, Prompt.objects.create(coach=person, question="Vad tar du med dig?", theme=theme))
    _made(made, Repetition.objects.create(author=person, session=session))
    # A session evaluation: the person's rating and texts, and the question they asked as a
    # coach.
    answer = _made(made, Answer.objects.create(session=session, respondent=person, usefulness=4))
    _made(made, AnswerText.objects.create(answer=answer, will_try=WROTE[7]))
    _made(made, Question.objects.create(session=session, text="Vad prövar du?", created_by=person))
    _made(
        made,
        ThemeQuestion.objects.create(
            programme=programme, theme=theme, text="Vad tar du med?", created_by=person
        ),
    )
    # A benefit survey they opened (as HR or a coach) and answered (as a manager).
    survey = _made(
        made,
        Survey.objects.create(
            title="Nyttoenkät P",
            programme=programme,
            opens_on=date.today(),
            closes_on=date.today(),
            created_by=person,
        ),
    )
    statement = SurveyStatement.objects.create(survey=survey, text="Jag känner mig tryggare")
    response = _made(
        made,
        SurveyResponse.objects.create(
            survey=survey, respondent=person, department=person.department
        ),
    )
    _made(made, SurveyRating.objects.create(response=response, statement=statement, value=4))
    _made(made, SurveyText.objects.create(response=response, text=WROTE[8]))

    message = _made(
        made,
        OutboxMessage.objects.create(
            recipient_user=person,
            from_email="portal@kungsor.se",
            to=[EMAIL],
            subject="Påminnelse",
            body_text=WROTE[6],
        ),
    )
    # Sent to the address before the account existed: found by the address.
    _made(
        made,
        OutboxMessage.objects.create(
            from_email="portal@kungsor.se", to=[EMAIL], subject="Välkommen", body_text="Hej!"
        ),
    )
    _made(
        made,
        Reminder.objects.create(
            key=f"p-{person.pk}",
            user=person,
            kind=Reminder.Kind.COMMITMENT,
            commitment=commitment,
            base_on=date.today(),
            due_at=now,
            status=Reminder.Status.SENT,
            sent_at=now,
            message=message,
        ),
    )
    _made(made, Preference.objects.create(user=person, disabled_kinds=["skrivpuff"]))
    _made(
        made,
        Pause.objects.create(
            user=person, starts_on=date.today(), ends_on=date.today() + timedelta(days=7)
        ),
    )

    _made(
        made,
        StaffImport.objects.create(
            created_by=colleague,
            filename="personal.csv",
            rows=[
                {"email": EMAIL, "name": NAME, "title": TITLE},
                {"email": "kollega@kungsor.se", "name": "Kollega Annan", "title": "Tränare"},
            ],
            missing_emails=[EMAIL],
        ),
    )
    _made(
        made,
        StaffImport.objects.create(created_by=person, filename="egen.csv", rows=[]),
    )
    _made(
        made,
        SickLeaveImport.objects.create(created_by=person, filename="sjuk.csv", rows=[]),
    )
    _made(made, ReportAccess.objects.create(user=person, action="visning", report="dashboard"))
    _made(
        made,
        ErasureRecord.objects.create(
            person_id=colleague.pk + 1000, erased_by=person, reason="begaran"
        ),
    )

    store = SessionStore()
    store["_auth_user_id"] = str(person.pk)
    store.create()
    made["sessions.Session"] = [Session.objects.get(pk=store.session_key)]
    colleague_store = SessionStore()
    colleague_store["_auth_user_id"] = str(colleague.pk)
    colleague_store.create()

    user_type = ContentType.objects.get_for_model(User)
    _made(
        made,
        LogEntry.objects.create(
            user=person,
            content_type=ContentType.objects.get_for_model(Theme),
            object_id=str(theme.pk),
            object_repr=str(theme),
            action_flag=CHANGE,
            change_message="[]",
        ),
    )
    _made(
        made,
        LogEntry.objects.create(
            user=colleague,
            content_type=user_type,
            object_id=str(person.pk),
            object_repr=NAME,
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["title"]}}]',
        ),
    )

    axes_common = {"http_accept": "text/html", "path_info": "/konto/logga-in/"}
    attempt = _made(
        made,
        AccessAttempt.objects.create(
            username=EMAIL,
            ip_address=IP,
            user_agent=WROTE[5],
            get_data="",
            post_data="username=" + EMAIL,
            failures_since_start=2,
            **axes_common,
        ),
    )
    _made(
        made,
        AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=now),
    )
    _made(
        made,
        AccessFailureLog.objects.create(
            username=EMAIL, ip_address=IP, user_agent=WROTE[5], **axes_common
        ),
    )
    _made(
        made,
        AccessLog.objects.create(
            username=EMAIL, ip_address=IP, user_agent=WROTE[5], session_hash="abc", **axes_common
        ),
    )
    AccessLog.objects.create(
        username="kollega@kungsor.se", ip_address="10.1.1.1", user_agent="Annan", **axes_common
    )
    assert other_cohort.pk
    return person, colleague, made
