"""Two sides of everything, for the authorization matrix: manager A in a training group run
by coach A, manager B in another group run by coach B, HR and an administrator. Each side
has its programme, group, sessions, material, journal, commitments and pauses."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import StaffImport
from notifications.models import Pause
from notifications.unsubscribe import unsubscribe_token
from programme import services as programme_services
from programme.models import CohortMembership, Module, ModuleLink, Theme
from reflections import services as reflections
from reflections.models import Commitment
from reports.models import SickLeaveImport
from sessions import services as sessions
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    AdminFactory,
    CoachFactory,
    CohortFactory,
    EnhetFactory,
    HRFactory,
    ManagerFactory,
)

SENTINEL = "A-SKREV-DETTA-PRIVAT-4c1f"
ACTORS = ("anon", "manager_a", "manager_b", "coach_a", "coach_b", "hr", "admin")


def _side(label: str, manager, coach) -> dict:
    theme = Theme.objects.order_by("order").first()
    colleagues = ManagerFactory.create_batch(3, department=EnhetFactory())
    cohort = CohortFactory(
        name=f"Grupp {label}",
        coaches=[coach],
        members=[manager, *colleagues],
        programme__coaches=[coach],
    )
    programme = cohort.programme
    now = timezone.now()
    held = TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        theme=theme,
        format=TrainingSession.Format.THEORY,
        title=f"Hållen {label}",
        starts_at=now - timedelta(days=3, hours=3),
        ends_at=now - timedelta(days=3),
        status=TrainingSession.Status.HELD,
    )
    held.coaches.set([coach])
    coming = TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        theme=theme,
        format=TrainingSession.Format.THEORY,
        title=f"Kommande {label}",
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=3),
    )
    coming.coaches.set([coach])
    for person in (manager, *colleagues):
        Invitation.objects.create(session=held, user=person, attendance="narvarande")
        Invitation.objects.create(session=coming, user=person)
    module = Module.objects.create(programme=programme, theme=theme, title=f"Material {label}")
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
    private = reflections.entry_create(
        author=manager,
        data=reflections.EntryData(
            title=f"Privat {label}",
            body=(SENTINEL if label == "A" else "B:s egna tankar"),
            written_on=date.today(),
        ),
    )
    shared = reflections.entry_share(
        entry=reflections.entry_create(
            author=manager,
            data=reflections.EntryData(
                title=f"Delad {label}", body="Delad text", written_on=date.today()
            ),
        )
    )
    commitment = Commitment.objects.create(
        author=manager, text=f"Åtagande {label}", due_on=date.today()
    )
    pause = Pause.objects.create(
        user=manager,
        starts_on=date.today() + timedelta(days=10),
        ends_on=date.today() + timedelta(days=12),
    )
    return {
        "programme": programme,
        "cohort": cohort,
        "membership": CohortMembership.objects.get(cohort=cohort, user=manager),
        "held": held,
        "coming": coming,
        "module": module,
        "link": link,
        "attachment": attachment,
        "round": network_round,
        "private": private,
        "shared": shared,
        "commitment": commitment,
        "pause": pause,
        "feed": sessions.calendar_feed_get(user=manager),
        "unsubscribe": unsubscribe_token(manager),
    }


def build() -> dict:
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
