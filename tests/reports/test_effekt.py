"""HR's Effekt view: participation, benefit, ledord and sick leave side by side, per month
and per term, for the municipality and each förvaltning; its files and the access log.

The world (last year, so that every month is whole), counted by hand:
  Barn och utbildning: Skola A 6 managers, Skola B 5, Förskola C 2
  Vård och omsorg:     Hemtjänst 7
  Kultur:              Bibliotek 3
Ledord "modigt" in March: Skola A six 4s, Skola B five 2s, Förskola C two 5s, Hemtjänst
three 3s. Vård och omsorg has 3 raters: too few; Barn och utbildning has 13, but it and the
municipality would give Vård och omsorg's 3 away, so only the municipality is shown:
(24 + 10 + 10 + 9) / 16 = 3.3125, "3,3".
In April: Skola A six 4s, Hemtjänst five 3s (the three of March among them): both shown,
municipality (24 + 15) / 11 = 3.545..., "3,5".
Session evaluations in May: five from Skola A rate 4, one from Hemtjänst rates 2 (and
writes a sentinel): the municipality (22 / 6 = 3.67, "3,7") only.
Sick leave in March: Skola A 20 employees, 160 of 3 200 hours (5 %); Hemtjänst 30
employees, 480 of 4 800 (10 %); the municipality 640 of 8 000 (8 %).
"""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Answer, AnswerText
from reflections.models import LedordRating
from reports import selectors
from reports.effekt import EffektFilters, effekt
from reports.models import ReportAccess, SickLeaveFigure
from sessions.models import Invitation
from tests.factories import (
    CohortFactory,
    EnhetFactory,
    ForvaltningFactory,
    ManagerFactory,
)
from tests.reports.conftest import _session, at

pytestmark = pytest.mark.django_db

SENTINEL = "EFFEKT-FRITEXT-HEMLIG-51c9"
YEAR = timezone.localdate().year - 1


@pytest.fixture
def effekt_world(db):
    bou = ForvaltningFactory(name="Barn och utbildning")
    voo = ForvaltningFactory(name="Vård och omsorg")
    kultur = ForvaltningFactory(name="Kultur")
    units = {
        "Skola A": EnhetFactory(name="Skola A", parent=bou),
        "Skola B": EnhetFactory(name="Skola B", parent=bou),
        "Förskola C": EnhetFactory(name="Förskola C", parent=bou),
        "Hemtjänst": EnhetFactory(name="Hemtjänst", parent=voo),
        "Bibliotek": EnhetFactory(name="Bibliotek", parent=kultur),
    }
    sizes = {"Skola A": 6, "Skola B": 5, "Förskola C": 2, "Hemtjänst": 7, "Bibliotek": 3}
    people = {
        name: ManagerFactory.create_batch(size, department=units[name])
        for name, size in sizes.items()
    }

    def rate(who, day, **ledord):
        LedordRating.objects.bulk_create(
            LedordRating(author=person, rated_on=day, **ledord) for person in who
        )

    march, april = date(YEAR, 3, 10), date(YEAR, 4, 10)
    rate(people["Skola A"], march, modigt=4)
    rate(people["Skola B"], march, modigt=2)
    rate(people["Förskola C"], march, modigt=5)
    rate(people["Hemtjänst"][:3], march, modigt=3)
    rate(people["Skola A"], april, modigt=4, tydligt=5)
    rate(people["Hemtjänst"][:5], april, modigt=3, tydligt=2)

    cohort = CohortFactory()
    session = _session(cohort.programme, cohort, at(YEAR, 5, 12))
    answering = [*people["Skola A"][:5], people["Hemtjänst"][0]]
    for person in answering:
        Invitation.objects.create(
            session=session, user=person, attendance=Invitation.Attendance.PRESENT
        )
    Invitation.objects.create(
        session=session, user=people["Bibliotek"][0], attendance=Invitation.Attendance.ABSENT
    )
    for person in people["Skola A"][:5]:
        Answer.objects.create(session=session, respondent=person, usefulness=4)
    answer = Answer.objects.create(session=session, respondent=answering[-1], usefulness=2)
    AnswerText.objects.create(answer=answer, will_try=SENTINEL, question_answer=SENTINEL)

    SickLeaveFigure.objects.create(
        department=units["Skola A"],
        month=date(YEAR, 3, 1),
        employees=20,
        scheduled_hours=3200,
        sick_hours=160,
    )
    SickLeaveFigure.objects.create(
        department=units["Hemtjänst"],
        month=date(YEAR, 3, 1),
        employees=30,
        scheduled_hours=4800,
        sick_hours=480,
    )
    return {"bou": bou, "voo": voo, "kultur": kultur, "units": units, "people": people}


def _figures(report, group_pk, label):
    group = report.group(group_pk)
    [index] = [i for i, b in enumerate(report.buckets) if b.label == label]
    return group.figures[index]


def test_ledord_averages_per_month_only_for_groups_that_give_no_smaller_one_away(effekt_world):
    report = effekt(EffektFilters("month", YEAR, YEAR))
    bou, voo = effekt_world["bou"].pk, effekt_world["voo"].pk

    march = _figures(report, None, f"Mars {YEAR}")
    assert march["raters"] == 16
    assert march["modigt"] == pytest.approx(53 / 16)
    assert march["tydligt"] is None  # no one rated it
    assert _figures(report, voo, f"Mars {YEAR}")["modigt"] is selectors.HIDDEN_FEW_ANSWERS
    assert _figures(report, bou, f"Mars {YEAR}")["modigt"] is selectors.HIDDEN_SMALL_PART

    april = _figures(report, None, f"April {YEAR}")
    assert april["modigt"] == pytest.approx(39 / 11)
    assert _figures(report, bou, f"April {YEAR}")["modigt"] == 4
    assert _figures(report, voo, f"April {YEAR}")["modigt"] == 3
    assert _figures(report, voo, f"April {YEAR}")["tydligt"] == 2


def test_a_term_is_hidden_for_a_group_where_one_of_its_months_is(effekt_world):
    report = effekt(EffektFilters("term", YEAR, YEAR))
    bou, voo = effekt_world["bou"].pk, effekt_world["voo"].pk

    spring = _figures(report, None, f"Vårterminen {YEAR}")
    assert spring["raters"] == 18  # 13 + 5 people, each counted once in the term
    assert spring["modigt"] == pytest.approx((53 + 39) / 27)
    # Both have 5 raters or more in the term, but March was hidden for them: the term
    # minus April would give March away.
    assert _figures(report, bou, f"Vårterminen {YEAR}")["modigt"] is selectors.HIDDEN_SMALL_PART
    assert _figures(report, voo, f"Vårterminen {YEAR}")["modigt"] is selectors.HIDDEN_SMALL_PART
    # Tydligt was rated only in April, where both groups were shown.
    assert _figures(report, bou, f"Vårterminen {YEAR}")["tydligt"] == 5


def test_usefulness_attendance_and_sick_leave_per_month(effekt_world):
    report = effekt(EffektFilters("month", YEAR, YEAR))
    bou, voo = effekt_world["bou"].pk, effekt_world["voo"].pk

    may = _figures(report, None, f"Maj {YEAR}")
    assert (may["invited"], may["present"]) == (7, 6)
    assert may["answers"] == 6
    assert may["usefulness"] == pytest.approx(22 / 6)
    assert _figures(report, voo, f"Maj {YEAR}")["usefulness"] is selectors.HIDDEN_FEW_ANSWERS
    assert _figures(report, bou, f"Maj {YEAR}")["usefulness"] is selectors.HIDDEN_SMALL_PART
    # Attendance is part of the job: shown for every group.
    assert _figures(report, effekt_world["kultur"].pk, f"Maj {YEAR}")["invited"] == 1

    march = _figures(report, None, f"Mars {YEAR}")
    assert (march["employees"], march["sick_rate"]) == (50, pytest.approx(0.08))
    assert _figures(report, bou, f"Mars {YEAR}")["sick_rate"] == pytest.approx(0.05)
    assert _figures(report, voo, f"Mars {YEAR}")["sick_rate"] == pytest.approx(0.10)


def test_hr_sees_the_effekt_page_in_swedish_and_the_view_is_logged(client, effekt_world, hr_user):
    client.force_login(hr_user)

    response = client.get(reverse("reports:effekt"), {"first_year": YEAR, "last_year": YEAR})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Effekt: deltagande, nytta, ledord och sjukfrånvaro" in page
    assert "bevisar inte" in page or "visar inte att utbildningen" in page
    assert f"Mars {YEAR}" in page
    assert "3,3" in page  # the municipality's modigt in March
    assert "3,5" in page  # ... in April
    assert "3,7" in page  # usefulness in May
    assert "8,0 %" in page  # sick leave in March
    assert "färre än 5 svarade" in page  # the per-förvaltning table for May
    assert SENTINEL not in page
    [log] = ReportAccess.objects.all()
    assert (log.user, log.action, log.report) == (hr_user, "visning", "effekt")
    assert log.filters == {
        "period": "month",
        "since": f"{YEAR}-01-01",
        "until": f"{YEAR}-12-31",
    }


def test_one_forvaltning_over_terms(client, effekt_world, hr_user):
    client.force_login(hr_user)
    voo = effekt_world["voo"]

    page = client.get(
        reverse("reports:effekt"),
        {"period": "term", "first_year": YEAR, "last_year": YEAR, "forvaltning": voo.pk},
    ).content.decode()

    assert '<h2 id="effekt-group-heading" class="h3">Vård och omsorg</h2>' in page
    assert f"Vårterminen {YEAR}" in page
    assert "dold: skulle avslöja en mindre grupp" in page
    assert "10,0 %" in page  # sick leave of the spring: March's only
    [log] = ReportAccess.objects.all()
    assert log.filters["forvaltning"] == voo.pk


def test_the_files_hold_the_figures_and_never_a_text(client, effekt_world, hr_user):
    client.force_login(hr_user)
    query = {"first_year": YEAR, "last_year": YEAR}

    as_csv = client.get(reverse("reports:effekt-export", args=["csv"]), query)
    as_xlsx = client.get(reverse("reports:effekt-export", args=["xlsx"]), query)

    assert as_csv.status_code == as_xlsx.status_code == 200
    assert 'filename="ledarskap-effekt-' in as_csv["Content-Disposition"]
    text = as_csv.content.decode("utf-8-sig")
    assert SENTINEL not in text
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = next(line for line in lines if line[:2] == ["Förvaltning", "Månad"])
    rows = {
        (line[0], line[1]): dict(zip(header, line, strict=True))
        for line in lines[lines.index(header) + 1 :]
    }
    march = rows[("Kommunen", f"Mars {YEAR}")]
    assert march["Modigt (1–5)"] == "3,3"
    assert march["Sjukfrånvaro (%)"] == "8,0"
    assert rows[("Vård och omsorg", f"Mars {YEAR}")]["Modigt (1–5)"] == "färre än 5 svarade"
    assert rows[("Barn och utbildning", f"Mars {YEAR}")]["Modigt (1–5)"] == (
        "dold: skulle avslöja en mindre grupp"
    )
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert SENTINEL not in [str(v) for v in values]
    assert "färre än 5 svarade" in values
    logs = ReportAccess.objects.order_by("pk")
    assert [(log.action, log.report, log.file_format) for log in logs] == [
        ("export", "effekt", "csv"),
        ("export", "effekt", "xlsx"),
    ]


def test_a_name_that_looks_like_a_formula_reaches_the_file_as_text(client, effekt_world, hr_user):
    effekt_world["kultur"].name = '=HYPERLINK("http://evil.invalid","klicka")'
    effekt_world["kultur"].save()
    client.force_login(hr_user)

    text = client.get(
        reverse("reports:effekt-export", args=["csv"]), {"first_year": YEAR, "last_year": YEAR}
    ).content.decode("utf-8-sig")

    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text.replace('"', "")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first_year": "två tusen"}, "Fyll i ett heltal."),
        ({"first_year": YEAR, "last_year": YEAR - 1}, "Det sista året måste vara det första"),
        ({"first_year": 1990}, "Välj ett år från 2000 till"),
        ({"first_year": YEAR - 12, "last_year": YEAR}, "Välj högst tio år."),
        ({"period": "vecka"}, "vecka"),
    ],
)
def test_bad_choices_get_a_swedish_message(client, hr_user, query, message):
    client.force_login(hr_user)

    response = client.get(reverse("reports:effekt"), query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportAccess.objects.exists()


def test_an_empty_portal_shows_the_page_without_figures(client, hr_user):
    client.force_login(hr_user)

    page = client.get(reverse("reports:effekt")).content.decode()

    assert "Inga siffror för de valda åren ännu." in page
    assert "Ladda ner alla siffror" in page


@pytest.mark.parametrize("who", ["manager", "coach"])
@pytest.mark.parametrize(
    "url", [reverse("reports:effekt"), reverse("reports:effekt-export", args=["csv"])]
)
def test_managers_and_coaches_are_refused(client, request, who, url):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url).status_code == 403
    assert not ReportAccess.objects.exists()


def test_the_dashboard_links_to_the_effekt_view(client, hr_user):
    client.force_login(hr_user)

    page = client.get(reverse("reports:dashboard")).content.decode()

    assert f'href="{reverse("reports:effekt")}"' in page


def test_english_is_available(client, effekt_world, hr_user):
    client.force_login(hr_user)
    client.post("/sprak/", {"language": "en", "next": "/"})

    page = client.get(
        reverse("reports:effekt"), {"first_year": YEAR, "last_year": YEAR}
    ).content.decode()

    assert "Effect: participation, benefit, ledord and sick leave" in page
    assert f"March {YEAR}" in page
    assert "fewer than 5 answered" in page


def test_the_kept_figures_are_reused(effekt_world, hr_user, client):
    client.force_login(hr_user)
    query = {"first_year": YEAR, "last_year": YEAR}
    first = client.get(reverse("reports:effekt"), query).content.decode()
    LedordRating.objects.create(
        author=effekt_world["people"]["Skola A"][0], rated_on=date(YEAR, 3, 11), modigt=1
    )

    kept = client.get(reverse("reports:effekt"), query).content.decode()

    def figures(page):
        return page[page.index('id="effekt-group-heading"') : page.index('id="about-heading"')]

    assert figures(kept) == figures(first)
    assert "3,3" in figures(kept)  # March's modigt as counted before the new rating


def test_the_periodic_task_counts_the_default_view_before_hr_asks(
    effekt_world, django_assert_num_queries
):
    from reports.cache import cached_effekt
    from reports.forms import EffektFilterForm
    from reports.tasks import refresh_dashboard

    refresh_dashboard()
    form = EffektFilterForm({})
    assert form.is_valid()

    with django_assert_num_queries(0):
        kept = cached_effekt(form.filters())
    assert kept.groups[0].label == "Kommunen"


def _programme_of(people, name="Ledarskap"):
    from programme import services as programme_services

    cohort = CohortFactory(programme__name=name)
    for person in people:
        programme_services.cohort_add_member(cohort=cohort, user=person, joined_on=cohort.starts_on)
    return cohort.programme


def test_a_programme_s_ledord_only_where_its_members_fill_whole_groups(effekt_world):
    people = effekt_world["people"]
    everyone_in_april = _programme_of([*people["Skola A"], *people["Hemtjänst"][:5]], "Alla")
    only_skola_a = _programme_of(people["Skola A"], "Skola A:s")

    wide = effekt(EffektFilters("month", YEAR, YEAR, programme=everyone_in_april))
    narrow = effekt(EffektFilters("month", YEAR, YEAR, programme=only_skola_a))
    april = next(i for i, b in enumerate(wide.buckets) if b.label == f"April {YEAR}")
    march = april - 1

    assert wide.programme.figures[april]["modigt"] == pytest.approx(39 / 11)
    assert wide.programme.figures[april]["raters"] == 11
    assert narrow.programme.figures[april]["modigt"] == 4
    # In March the cell that holds them also holds Skola B and Förskola C, who are not in
    # either programme: shown, the difference with the municipality would be theirs.
    assert wide.programme.figures[march]["modigt"] is selectors.HIDDEN_SMALL_PART
    assert narrow.programme.figures[march]["modigt"] is selectors.HIDDEN_SMALL_PART
    # Only their ratings: the programme's figures leave no one else's in.
    term = effekt(EffektFilters("term", YEAR, YEAR, programme=only_skola_a))
    assert term.programme.figures[0]["modigt"] is selectors.HIDDEN_SMALL_PART  # March


def test_the_page_and_the_file_show_the_programme_s_ledord(client, effekt_world, hr_user):
    programme = _programme_of(effekt_world["people"]["Skola A"], "Ledarskap för skolan")
    client.force_login(hr_user)
    query = {"first_year": YEAR, "last_year": YEAR, "programme": programme.pk}

    page = client.get(reverse("reports:effekt"), query).content.decode()
    text = client.get(reverse("reports:effekt-export", args=["csv"]), query).content.decode(
        "utf-8-sig"
    )

    assert "Ledord i Ledarskap för skolan" in page
    assert "Program: Ledarskap för skolan;April" in text
    assert ["Program", "Ledarskap för skolan"] in [line.split(";") for line in text.splitlines()]
    assert ReportAccess.objects.filter(filters__programme=programme.pk).count() == 2


# The benefit surveys in the Effekt view: the closed ones, in the month or term they closed
# in, by the same rule as the other averages.
#   June (closes 30 June): Skola A six answers (4 and 5), Hemtjänst two (2 and 2), one
#   with a sentinel text. Vård och omsorg: 2, too few; Barn och utbildning 6, but with the
#   municipality it would give Vård och omsorg's 2 away; the municipality 62 / 16 = 3.875.
#   September (a programme's survey closed early): Skola A five 3s, Hemtjänst five 5s: all
#   shown, the municipality 4.0. A survey still open counts nowhere.


def _survey_with_answers(title, closes, answers, *, closed_early=None):
    from evaluations.models import Survey, SurveyRating, SurveyResponse, SurveyText

    survey = Survey.objects.create(
        title=title, opens_on=closes.replace(day=1), closes_on=closes, closed_early_at=None
    )
    statements = [
        survey.statements.create(text="Jag känner mig tryggare som ledare", order=1),
        survey.statements.create(text="Jag har fått verktyg som jag använder", order=2),
    ]
    for person, values in answers:
        response = SurveyResponse.objects.create(
            survey=survey, respondent=person, department=person.department
        )
        for statement, value in zip(statements, values, strict=True):
            SurveyRating.objects.create(response=response, statement=statement, value=value)
        if values == (2, 2):
            SurveyText.objects.get_or_create(response=response, defaults={"text": SENTINEL})
    if closed_early is not None:
        Survey.objects.filter(pk=survey.pk).update(closed_early_at=closed_early)
    return survey


@pytest.fixture
def surveys(effekt_world):
    people = effekt_world["people"]
    _survey_with_answers(
        "Nyttoenkät juni",
        date(YEAR, 6, 30),
        [(p, (4, 5)) for p in people["Skola A"]] + [(p, (2, 2)) for p in people["Hemtjänst"][:2]],
    )
    _survey_with_answers(
        "Nyttoenkät september",
        date(YEAR, 10, 31),
        [(p, (3, 3)) for p in people["Skola A"][:5]]
        + [(p, (5, 5)) for p in people["Hemtjänst"][:5]],
        closed_early=at(YEAR, 9, 15),
    )
    _survey_with_answers(
        "Öppen enkät",
        timezone.localdate() + timezone.timedelta(days=10),
        [(p, (1, 1)) for p in people["Skola B"]],
    )
    return effekt_world


def test_closed_surveys_per_month_and_term_by_the_small_group_rule(surveys):
    bou, voo = surveys["bou"].pk, surveys["voo"].pk
    report = effekt(EffektFilters("month", YEAR, YEAR))

    june = _figures(report, None, f"Juni {YEAR}")
    assert (june["survey_people"], june["survey_average"]) == (8, pytest.approx(62 / 16))
    assert _figures(report, voo, f"Juni {YEAR}")["survey_average"] is selectors.HIDDEN_FEW_ANSWERS
    assert _figures(report, bou, f"Juni {YEAR}")["survey_average"] is selectors.HIDDEN_SMALL_PART
    september = _figures(report, None, f"September {YEAR}")
    assert (september["survey_people"], september["survey_average"]) == (10, 4)
    assert _figures(report, bou, f"September {YEAR}")["survey_average"] == 3
    assert _figures(report, voo, f"September {YEAR}")["survey_average"] == 5
    assert _figures(report, None, f"Oktober {YEAR}")["survey_people"] is None

    terms = effekt(EffektFilters("term", YEAR, YEAR))
    assert _figures(terms, None, f"Vårterminen {YEAR}")["survey_average"] == pytest.approx(62 / 16)
    assert _figures(terms, bou, f"Höstterminen {YEAR}")["survey_average"] == 3


def test_the_page_and_the_files_show_the_surveys_and_never_a_text(client, surveys, hr_user):
    client.force_login(hr_user)
    query = {"first_year": YEAR, "last_year": YEAR}

    page = client.get(reverse("reports:effekt"), query).content.decode()
    text = client.get(reverse("reports:effekt-export", args=["csv"]), query).content.decode(
        "utf-8-sig"
    )
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:effekt-export", args=["xlsx"]), query).content)
    )

    assert "Nyttoenkät" in page  # the chart's title
    assert "Chefer som svarat på en nyttoenkät" in page
    assert SENTINEL not in page and SENTINEL not in text
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = next(line for line in lines if line[:2] == ["Förvaltning", "Månad"])
    rows = {
        (line[0], line[1]): dict(zip(header, line, strict=True))
        for line in lines[lines.index(header) + 1 :]
    }
    assert rows[("Kommunen", f"Juni {YEAR}")]["Nyttoenkät (1–5)"] == "3,9"
    assert rows[("Vård och omsorg", f"Juni {YEAR}")]["Nyttoenkät (1–5)"] == "färre än 5 svarade"
    assert rows[("Vård och omsorg", f"September {YEAR}")]["Nyttoenkät (1–5)"] == "5,0"
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "Nyttoenkät (1–5)" in values
    assert SENTINEL not in [str(v) for v in values]
