import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programme import services
from programme.models import Module, ModuleLink, Theme
from tests.factories import CoachFactory, CohortFactory, EnhetFactory, ManagerFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(db, coach, manager, other_manager, hr_user):
    """Two programmes: `coach` runs the first (cohort with `manager` and five more),
    `other_coach` the second (cohort with `other_manager`)."""
    colleagues = [ManagerFactory(department=EnhetFactory(name=f"Enhet {i}")) for i in range(5)]
    cohort = CohortFactory(
        name="Grupp Norr",
        coaches=[coach],
        members=[manager, *colleagues],
        programme__coaches=[coach],
        programme__name="Ledarskapsträning 2027",
    )
    other_coach = CoachFactory(full_name="Olof Annantränare")
    other_cohort = CohortFactory(
        name="Grupp Annan",
        coaches=[other_coach],
        members=[other_manager],
        programme__coaches=[other_coach],
        programme__name="Ledarskapsträning 2028",
    )
    network_round = services.network_round_generate(
        programme=cohort.programme, cohorts=[cohort], name="Omgång 1", created_by=coach
    )
    module = Module.objects.create(
        programme=cohort.programme,
        theme=Theme.objects.get(slug="leda-sig-sjalv"),
        title="Trygg i sig själv",
        theory="Teori.",
        practice="Övning.",
    )
    link = ModuleLink.objects.create(module=module, title="Läs mer", url="https://kungsor.se/")
    attachment = services.module_attachment_add(
        module=module,
        title="Bilder",
        upload=SimpleUploadedFile("bilder.pdf", PDF),
        content_type="application/pdf",
        uploaded_by=coach,
    )
    return {
        "module": module,
        "link": link,
        "attachment": attachment,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "other_coach": other_coach,
        "round": network_round,
        "colleagues": colleagues,
    }
