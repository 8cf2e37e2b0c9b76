"""The test world: two sides of everything. Manager A is in a training group run by coach A,
manager B in another group (another programme) run by coach B; HR and an administrator stand
outside both. Each side has its programme, group, a held and a coming session with
invitations, material, a network round, a private and a shared journal entry, a commitment
and a pause. The `world` fixture in tests/conftest.py builds it; feature tests extend it
(another entry, another session) with the factories in tests/factories.py. The authorization
matrix and the bad-input tests (tests/security/) run on it."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import StaffImport
from evaluations import survey_services
from network import meeting_services
from network import services as network_services
from notifications.models import Pause
from notifications.unsubscribe import unsubscribe_token
from programme import services as programme_services
from programme import suggestion_services
from programme.models import CohortMembership, Module, ModuleLink
from reports.models import SickLeaveImport
from sessions import services as sessions
from sessions.models import Invitation, TrainingSession
from sessions.workdays import is_working_day
from tests.factories import (
    AdminFactory,
    CoachFactory,
    CohortFactory,
    CommitmentFactory,
    EnhetFactory,
    EntryFactory,
    HRFactory,
    InvitationFactory,
    ManagerFactory,
    TrainingSessionFactory,
)

SENTINEL = "A-SKREV-DETTA-PRIVAT-4c1f"
ACTORS = ("anon", "manager_a", "manager_b", "coach_a", "coach_b", "hr", "admin")


def next_working_day_at(now, *, days: int, hour: int):
    """The first working day at least `days` days after `now`, at `hour` Stockholm time."""
    day = timezone.localdate(now) + timedelta(days=days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _side(label: str, manager, coach) -> dict:
    colleagues = ManagerFactory.create_batch(3, department=EnhetFactory())
    cohort = CohortFactory(
        name=f"Grupp {label}",
        coaches=[coach],
        members=[manager, *colleagues],
        programme__coaches=[coach],
    )
    programme = cohort.programme
    now = timezone.now()
    held = TrainingSessionFactory(
        cohort=cohort,
        title=f"Hållen {label}",
        starts_at=now - timedelta(days=3, hours=3),
        ends_at=now - timedelta(days=3),
        status=TrainingSession.Status.HELD,
    )
    coming = TrainingSessionFactory(
        cohort=cohort, title=f"Kommande {label}", starts_at=now + timedelta(days=5)
    )
    for person in (manager, *colleagues):
        InvitationFactory(session=held, user=person, attendance=Invitation.Attendance.PRESENT)
        InvitationFactory(session=coming, user=person)
    module = Module.objects.create(programme=programme, theme=held.theme, title=f"Material {label}")
    link = ModuleLink.objects.create(module=module, title="Länk", url="https://example.org/")
    attachment = programme_services.module_attachment_add(
        module=module,
        title="Fil",
        upload=SimpleUploadedFile("fil.pdf", b"%PDF-1.4\n%%EOF\n"),
        content_type="application/pdf",
        uploaded_by=coach,
    )
    network_round = programme_services.network_round_generate(
        programme=programme, cohorts=[cohort], name=f"Runda {label}", created_by=coach
    )
    # Published, so its members see it; a question in it (A's holds the sentinel) with an
    # answer by the asker and one by a colleague.
    programme_services.network_round_publish(network_round=network_round)
    network_group = network_round.groups.get(members=manager)
    question = network_services.question_create(
        group=network_group,
        author=manager,
        title=f"Hur har ni hanterat {label}?",
        body=(SENTINEL if label == "A" else "B:s fråga till gruppen"),
    )
    colleague = network_group.members.exclude(pk=manager.pk).first()
    network_services.answer_create(question=question, author=colleague, body="Så här gjorde vi")
    own_answer = network_services.answer_create(
        question=question, author=manager, body="Tack, jag provar det"
    )
    meeting = meeting_services.meeting_propose(
        group=network_group,
        by=manager,
        data=meeting_services.MeetingData(
            starts_at=next_working_day_at(now, days=6, hour=9),
            ends_at=next_working_day_at(now, days=6, hour=10),
            place=f"Fikarummet {label}",
            note=(SENTINEL if label == "A" else "B:s ämne"),
        ),
    )
    private = EntryFactory(
        author=manager,
        title=f"Privat {label}",
        body=(SENTINEL if label == "A" else "B:s egna tankar"),
    )
    shared = EntryFactory(author=manager, title=f"Delad {label}", body="Delad text", shared=True)
    # The private entry is shared with the network group as a copy (A's holds the sentinel):
    # it stays private to the coaches, HR and everyone outside the group.
    group_copy, _created = network_services.entry_share_with_group(
        entry=private, group=network_group, by=manager
    )
    commitment = CommitmentFactory(author=manager, text=f"Åtagande {label}")
    # A suggestion on the programme's framework, to its coach (who reads it: no sentinel).
    suggestion = suggestion_services.suggestion_send(
        author=manager, programme=programme, item=held.theme, text=f"Förslag om temat {label}"
    )
    today = timezone.localdate()
    pause = Pause.objects.create(
        user=manager, starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=12)
    )
    survey = survey_services.survey_create(
        by=coach,
        title=f"Nyttoenkät {label}",
        programme=programme,
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=10),
        statements=["Jag känner mig tryggare som ledare"],
        open_question="Vad mer?",
    )
    survey_services.response_save(
        user=manager,
        survey=survey,
        ratings={survey.statements.get().pk: 4},
        text=(SENTINEL if label == "A" else "B:s svar"),
    )
    return {
        "survey": survey,
        "manager": manager,
        "coach": coach,
        "colleagues": colleagues,
        "programme": programme,
        "cohort": cohort,
        "membership": CohortMembership.objects.get(cohort=cohort, user=manager),
        "held": held,
        "coming": coming,
        "module": module,
        "link": link,
        "attachment": attachment,
        "round": network_round,
        "network_group": network_group,
        "question": question,
        "own_answer": own_answer,
        "group_copy": group_copy,
        "suggestion": suggestion,
        "meeting": meeting,
        "private": private,
        "shared": shared,
        "commitment": commitment,
        "pause": pause,
        "feed": sessions.calendar_feed_get(user=manager),
        "unsubscribe": unsubscribe_token(manager),
    }


def build() -> dict:
    """The world, built in the test database: {"people": {actor: user}, "sides": {"a": …,
    "b": …}, "staff_import": …, "sick_leave_import": …}."""
    people = {
        "manager_a": ManagerFactory(full_name="Anna A-chef"),
        "manager_b": ManagerFactory(full_name="Bertil B-chef"),
        "coach_a": CoachFactory(full_name="Cecilia A-tränare"),
        "coach_b": CoachFactory(full_name="David B-tränare"),
        "hr": HRFactory(full_name="Hanna HR"),
        "admin": AdminFactory(full_name="Adam Admin"),
    }
    sides = {
        "a": _side("A", people["manager_a"], people["coach_a"]),
        "b": _side("B", people["manager_b"], people["coach_b"]),
    }
    staff_import = StaffImport.objects.create(
        created_by=people["hr"], filename="personal.csv", rows=[]
    )
    sick_leave_import = SickLeaveImport.objects.create(
        created_by=people["hr"],
        filename="sjuk.csv",
        rows=[],
        summary={
            "rows": 0,
            "months": ["2027-01-01", "2027-01-01"],
            "departments": 0,
            "replaced": 0,
        },
    )
    return {
        "people": people,
        "sides": sides,
        "staff_import": staff_import,
        "sick_leave_import": sick_leave_import,
    }
