"""A closed benefit survey's results as files (XLSX and CSV) and the municipality's survey
per programme, as HR and the coach meet them: the same figures as the results page (groups
under 5 answers merged), never a text, nothing a spreadsheet would calculate (checked with
LibreOffice too, as HR's office suite opens the files), and every download in the access
log. An open survey, another programme's coach and a manager get no file."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import survey_services
from evaluations.models import Survey
from programme.models import CohortMembership
from reports.models import ReportAccess
from tests.factories import (
    CoachFactory,
    CohortFactory,
    EnhetFactory,
    ForvaltningFactory,
    HRFactory,
    ManagerFactory,
)
from tests.support import libreoffice

pytestmark = pytest.mark.django_db

SENTINEL = "Enkätexport-Sentinel-4b8e"
FORMULA = "=SUM(1;2) gör mig tryggare"
# The portal's CSV opened as Swedish Excel or LibreOffice in Swedish does (1053: sv-SE), so
# that 3,3 is read as the number it is.
SWEDISH_CSV = f"{libreoffice.CSV_FILTER},1,,1053"


@pytest.fixture
def coach():
    return CoachFactory(full_name="Karin Tränare")


@pytest.fixture
def survey(coach):
    """Six managers of a programme: four in Omsorg › Hemtjänst rate 4, two in
    Omsorg › Boende rate 2 (too few on their own); one writes the sentinel. Closed."""
    omsorg = ForvaltningFactory(name="Omsorg")
    hemtjanst = EnhetFactory(name="Hemtjänst", parent=omsorg)
    boende = EnhetFactory(name="Boende", parent=omsorg)
    managers = [ManagerFactory(department=hemtjanst) for _n in range(4)]
    managers += [ManagerFactory(department=boende) for _n in range(2)]
    cohort = CohortFactory(coaches=[coach], members=managers, programme__coaches=[coach])
    today = timezone.localdate()
    survey = survey_services.survey_create(
        by=coach,
        title="+Nytta 2027",
        programme=cohort.programme,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=10),
        statements=[FORMULA, "Jag har fått verktyg som jag använder"],
        open_question="Vad mer?",
    )
    for number, manager in enumerate(managers):
        value = 4 if number < 4 else 2
        survey_services.response_save(
            user=manager,
            survey=survey,
            ratings={s.pk: value for s in survey.statements.all()},
            text=SENTINEL if number == 5 else "",
        )
    return survey


def _download(client, survey, fmt):
    return client.get(reverse("reports:survey-export", args=[survey.pk, fmt]))


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_hr_downloads_the_closed_results_with_the_page_s_groups_and_no_text(client, survey):
    survey_services.survey_close(survey=survey)
    hr = HRFactory()
    client.force_login(hr)

    page = client.get(reverse("evaluations:survey-detail", args=[survey.pk])).content.decode()
    as_csv, as_xlsx = _download(client, survey, "csv"), _download(client, survey, "xlsx")

    assert "Ladda ner resultatet" in page
    assert reverse("reports:survey-export", args=[survey.pk, "xlsx"]) in page
    assert as_csv.status_code == as_xlsx.status_code == 200
    assert f'filename="ledarskap-nyttoenkat-{survey.pk}-' in as_csv["Content-Disposition"]
    rows = _csv_rows(as_csv.content)
    assert rows[0] == ["Ledarskapsportalen – Nyttoenkätens resultat"]
    headings = dict(row for row in rows[1:6] if len(row) == 2)
    assert headings["Enkät"] == "'+Nytta 2027"
    assert headings["Svarade"] == "6 av 6 tillfrågade"
    header = ["Grupp", "Svar", "Påstående", "Medelvärde (1–5)", "1", "2", "3", "4", "5"]
    body = rows[rows.index(header) + 1 :]
    assert ["Alla som svarade", "6", "'" + FORMULA, "3,3", "0", "2", "0", "4", "0"] in body
    assert ["Omsorg", "6", "Jag har fått verktyg som jag använder", "3,3", "", "", "", "", ""] in (
        body
    )
    groups = {row[0] for row in body}
    assert groups == {"Alla som svarade", "Omsorg"}  # Hemtjänst's 4 would give Boende away
    assert SENTINEL not in as_csv.content.decode("utf-8-sig")

    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'" + FORMULA in values and SENTINEL not in values
    assert 6 in values  # the answers stay numbers

    logs = ReportAccess.objects.order_by("pk")
    assert [(log.user, log.action, log.report, log.file_format, log.filters) for log in logs] == [
        (hr, "export", "nyttoenkat", "csv", {"survey": survey.pk}),
        (hr, "export", "nyttoenkat", "xlsx", {"survey": survey.pk}),
    ]


def test_libreoffice_reads_the_files_as_the_page_shows_them_and_calculates_nothing(
    client, survey, coach, tmp_path
):
    survey_services.survey_close(survey=survey)
    client.force_login(coach)
    sources = {}
    for fmt in ("csv", "xlsx"):
        path = tmp_path / fmt / f"enkat.{fmt}"
        path.parent.mkdir()
        path.write_bytes(_download(client, survey, fmt).content)
        sources[fmt] = path

    [shown_xlsx] = libreoffice.convert(
        [sources["xlsx"]], f"csv:{libreoffice.CSV_FILTER}", tmp_path / "xlsx-shown"
    )
    [opened_csv] = libreoffice.convert(
        [sources["csv"]], "xlsx", tmp_path / "csv-opened", infilter=SWEDISH_CSV
    )

    shown = _csv_rows(shown_xlsx.read_bytes())
    # A number, written with the decimal point of LibreOffice's own language.
    assert ["Alla som svarade", "6", "'" + FORMULA, "3.3", "0", "2", "0", "4", "0"] in [
        row[:9] for row in shown
    ]
    assert not [cell for row in shown for cell in row if cell.startswith(("=", "+", "-", "@"))]
    opened = [
        [cell.value for cell in row]
        for row in openpyxl.load_workbook(opened_csv).active.iter_rows()
    ]
    cells = [c for row in openpyxl.load_workbook(opened_csv).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    row = next(r for r in opened if r[0] == "Alla som svarade" and r[2] == "'" + FORMULA)
    assert row[1] == 6 and row[3] == pytest.approx(3.3)


def test_an_open_survey_another_coach_and_a_manager_get_no_file(client, survey):
    client.force_login(survey.created_by)
    response = client.get(reverse("reports:survey-export", args=[survey.pk, "csv"]), follow=True)
    assert "Resultatet kan laddas ner när enkäten har stängt med minst 5 svar." in (
        response.content.decode()
    )
    survey_services.survey_close(survey=survey)
    client.force_login(CoachFactory())
    assert _download(client, survey, "csv").status_code == 404
    client.force_login(ManagerFactory())
    assert _download(client, survey, "csv").status_code == 403
    client.force_login(HRFactory())
    assert _download(client, survey, "pdf").status_code == 404
    assert not ReportAccess.objects.exists()


def _answered_municipality_survey(hr, answers) -> Survey:
    """The municipality's survey of one statement, open today, each of `answers`' people
    rating it with its value: [(value, people), ...]."""
    today = timezone.localdate()
    survey = survey_services.survey_create(
        by=hr,
        title="Nytta i kommunen",
        programme=None,
        opens_on=today,
        closes_on=today,
        statements=["Jag känner mig tryggare som ledare"],
    )
    statement = survey.statements.get()
    for value, people in answers:
        for person in people:
            survey_services.response_save(user=person, survey=survey, ratings={statement.pk: value})
    return survey


def test_the_municipality_s_survey_per_programme_only_where_it_gives_no_group_away(client):
    """Omsorg › Hemtjänst 5 managers, Skola › A 5 and Skola › B 2 (merged with A). "Ledarskap
    hem" holds Hemtjänst's five: a whole group, shown. "Ledarskap skola" holds A's five but
    not B's two: Skola minus it would be B's two, so it is not shown."""
    omsorg, skola = ForvaltningFactory(name="Omsorg"), ForvaltningFactory(name="Skola")
    hem = ManagerFactory.create_batch(5, department=EnhetFactory(name="Hemtjänst", parent=omsorg))
    a = ManagerFactory.create_batch(5, department=EnhetFactory(name="Skola A", parent=skola))
    b = ManagerFactory.create_batch(2, department=EnhetFactory(name="Skola B", parent=skola))
    CohortFactory(members=hem, programme__name="Ledarskap hem")
    CohortFactory(members=a, programme__name="Ledarskap skola")
    hr = HRFactory()
    today = timezone.localdate()
    survey = _answered_municipality_survey(hr, [(5, hem), (3, a), (1, b)])
    yesterday = today - timedelta(days=1)
    Survey.objects.filter(pk=survey.pk).update(opens_on=yesterday, closes_on=yesterday)
    # They had joined their groups before the survey ran.
    CohortMembership.objects.update(joined_on=today - timedelta(days=30))
    client.force_login(hr)

    page = client.get(reverse("evaluations:survey-detail", args=[survey.pk])).content.decode()
    rows = _csv_rows(_download(client, survey, "csv").content)

    assert "Per program" in page
    assert "Ledarskap hem" in page
    assert "Ledarskap skola" not in page
    assert "Ett program visas inte: dess chefer utgör inte hela grupper av dem som svarade." in page
    assert ["Program: Ledarskap hem", "5", "Jag känner mig tryggare som ledare", "5,0"] in [
        row[:4] for row in rows
    ]
    assert not [row for row in rows if row and "Ledarskap skola" in row[0]]


def test_a_programme_counts_only_those_who_had_joined_it_when_the_survey_closed(client):
    """Last year's survey of the whole municipality, answered by Hemtjänst's five, who were
    then in "Förra omgången" and joined "Nya omgången" after the survey closed: the answers
    are the first programme's, and the second shows no figure and is not "left out"."""
    omsorg = ForvaltningFactory(name="Omsorg")
    hem = ManagerFactory.create_batch(5, department=EnhetFactory(name="Hemtjänst", parent=omsorg))
    earlier = CohortFactory(members=hem, programme__name="Förra omgången")
    later = CohortFactory(members=hem, programme__name="Nya omgången")
    hr = HRFactory()
    today = timezone.localdate()
    survey = _answered_municipality_survey(hr, [(4, hem)])
    closed = today - timedelta(days=200)
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=closed - timedelta(days=14), closes_on=closed
    )
    CohortMembership.objects.filter(cohort=earlier).update(joined_on=closed - timedelta(days=90))
    CohortMembership.objects.filter(cohort=later).update(joined_on=closed + timedelta(days=1))
    client.force_login(hr)

    page = client.get(reverse("evaluations:survey-detail", args=[survey.pk])).content.decode()
    rows = _csv_rows(_download(client, survey, "csv").content)

    assert "Förra omgången" in page
    assert "Nya omgången" not in page
    assert "visas inte" not in page
    assert ["Program: Förra omgången", "5", "Jag känner mig tryggare som ledare", "4,0"] in [
        row[:4] for row in rows
    ]
    assert not [row for row in rows if row and "Nya omgången" in row[0]]

    # Had nobody joined by then, the section says so.
    CohortMembership.objects.filter(cohort=earlier).update(joined_on=closed + timedelta(days=1))
    page = client.get(reverse("evaluations:survey-detail", args=[survey.pk])).content.decode()
    assert "Förra omgången" not in page
    assert (
        "Ingen av dem som svarade hade gått med i någon av ett programs träningsgrupper "
        "när enkäten stängde." in page
    )
