"""The yearly benefit ("nytta") survey as the people who meet it: HR or the coach opens it
with the statements filled in, the programme's managers answer (and may change their answer
while it is open), HR and the coach follow the response rate and, once it has closed, read
figures for groups of at least five and the texts without names. Nobody else sees anything,
and nothing a manager wrote is ever shown with their name."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import survey_selectors, survey_services
from evaluations.models import Survey, SurveyRating, SurveyResponse, SurveyText
from tests.factories import (
    AdminFactory,
    CoachFactory,
    CohortFactory,
    EnhetFactory,
    ForvaltningFactory,
    HRFactory,
    ManagerFactory,
)

pytestmark = pytest.mark.django_db

SENTINEL = "Nyttoenkät-Sentinel-7d21"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def coach():
    return CoachFactory(full_name="Karin Tränare")


@pytest.fixture
def hr():
    return HRFactory(full_name="Hanna HR")


@pytest.fixture
def group(coach):
    """A programme whose group has six managers: four in Omsorg › Hemtjänst, two in
    Omsorg › Boende (too few to be shown on their own)."""
    omsorg = ForvaltningFactory(name="Omsorg")
    hemtjanst = EnhetFactory(name="Hemtjänst", parent=omsorg)
    boende = EnhetFactory(name="Boende", parent=omsorg)
    managers = [ManagerFactory(full_name=f"Chef Hem {n}", department=hemtjanst) for n in range(4)]
    managers += [ManagerFactory(full_name=f"Chef Bo {n}", department=boende) for n in range(2)]
    cohort = CohortFactory(
        name="Grupp Norr", coaches=[coach], members=managers, programme__coaches=[coach]
    )
    return {"programme": cohort.programme, "managers": managers, "omsorg": omsorg}


def open_survey(group, coach, **fields) -> Survey:
    today = timezone.localdate()
    values = {
        "by": coach,
        "title": "Nyttoenkät 2027",
        "programme": group["programme"],
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=14),
        "statements": list(survey_selectors.DEFAULT_STATEMENTS),
        "open_question": survey_selectors.DEFAULT_OPEN_QUESTION,
    }
    return survey_services.survey_create(**(values | fields))


def answer(survey, manager, value=4, written=""):
    ratings = {s.pk: value for s in survey.statements.all()}
    return survey_services.response_save(user=manager, survey=survey, ratings=ratings, text=written)


def post_answer(client, survey, value, written=""):
    data = {f"statement_{s.pk}": str(value) for s in survey.statements.all()}
    data["text"] = written
    return client.post(reverse("evaluations:survey-answer", args=[survey.pk]), data, follow=True)


def close(survey):
    survey_services.survey_close(survey=survey)


def test_hr_opens_a_survey_with_the_statements_filled_in_in_swedish(client, hr, group):
    client.force_login(hr)
    form = text(client.get(reverse("evaluations:survey-create")))
    assert "Ny nyttoenkät" in form
    for statement in (
        "Jag känner mig tryggare som ledare",
        "Jag har fått verktyg som jag använder",
        "Jag har fått hjälp av andra chefer",
        "Träningen har förändrat hur jag leder mitt team",
    ):
        assert statement in form
    assert "Alla chefer i kommunen" in form

    today = timezone.localdate()
    page = client.post(
        reverse("evaluations:survey-create"),
        {
            "title": "Nyttoenkät 2027",
            "programme": group["programme"].pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=21)).isoformat(),
            "statements": "Jag känner mig tryggare som ledare\n\nJag delar med mig mer\n",
            "open_question": "Vad mer?",
        },
        follow=True,
    )
    survey = Survey.objects.get()
    assert [s.text for s in survey.statements.all()] == [
        "Jag känner mig tryggare som ledare",
        "Jag delar med mig mer",
    ]
    assert "Enkäten är sparad" in text(page)
    assert "0 av 6 tillfrågade har svarat." in text(page)


def test_bad_dates_get_a_swedish_message_and_nothing_is_stored(client, hr, group):
    client.force_login(hr)
    today = timezone.localdate()
    page = client.post(
        reverse("evaluations:survey-create"),
        {
            "title": "Nyttoenkät",
            "opens_on": today.isoformat(),
            "closes_on": (today - timedelta(days=1)).isoformat(),
            "statements": "Jag känner mig tryggare som ledare",
        },
    )
    assert page.status_code == 400
    assert "Enkäten kan inte stänga innan den öppnar." in text(page)
    page = client.post(
        reverse("evaluations:survey-create"),
        {
            "title": "Nyttoenkät",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
            "statements": "  \n ",
        },
    )
    assert page.status_code == 400
    assert not Survey.objects.exists()


def test_a_coach_opens_surveys_only_for_programmes_they_coach(group):
    other_coach = CoachFactory()
    with pytest.raises(ValidationError, match="program du är ledartränare för"):
        open_survey(group, other_coach)
    assert not Survey.objects.exists()


def test_a_member_finds_the_survey_on_the_start_page_answers_and_changes_the_answer(
    client, group, coach
):
    survey = open_survey(group, coach)
    manager = group["managers"][0]
    client.force_login(manager)

    start = text(client.get(reverse("start-manager")))
    assert "Nyttoenkät 2027: vad har träningen gett dig?" in start
    assert reverse("evaluations:survey-answer", args=[survey.pk]) in start

    form = text(client.get(reverse("evaluations:survey-answer", args=[survey.pk])))
    assert "Jag har fått verktyg som jag använder" in form
    assert "5 – instämmer helt" in form

    saved = post_answer(client, survey, 4, "Mer tid för samtal")
    assert "Tack! Ditt svar är sparat." in text(saved)
    response = SurveyResponse.objects.get(survey=survey, respondent=manager)
    assert set(response.ratings.values_list("value", flat=True)) == {4}
    assert response.department == manager.department

    # Changed while open: the same answer, new values; the emptied text is removed.
    post_answer(client, survey, 2, "")
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert set(SurveyRating.objects.values_list("value", flat=True)) == {2}
    assert not SurveyText.objects.exists()
    assert "vad har träningen gett dig?" not in text(client.get(reverse("start-manager")))


def test_a_missing_rating_gets_a_swedish_message_and_nothing_is_stored(client, group, coach):
    survey = open_survey(group, coach)
    client.force_login(group["managers"][0])
    page = client.post(reverse("evaluations:survey-answer", args=[survey.pk]), {"text": "x"})
    assert page.status_code == 400
    assert "Ange ett värde från 1 till 5." in text(page)
    assert not SurveyResponse.objects.exists()


def test_after_closing_the_answer_can_be_read_but_not_changed(client, group, coach):
    survey = open_survey(group, coach)
    manager = group["managers"][0]
    answer(survey, manager, 3, "Mitt svar")
    close(survey)
    client.force_login(manager)
    page = client.get(reverse("evaluations:survey-answer", args=[survey.pk]))
    assert "Enkäten har stängt" in text(page)
    assert "3 av 5" in text(page)
    assert "Mitt svar" in text(page)
    refused = post_answer(client, survey, 5)
    assert refused.status_code == 400
    assert set(SurveyRating.objects.values_list("value", flat=True)) == {3}


def test_outsiders_never_reach_the_survey(client, group, coach, hr):
    survey = open_survey(group, coach)
    outsider = ManagerFactory()  # not in the programme
    client.force_login(outsider)
    assert client.get(reverse("evaluations:survey-answer", args=[survey.pk])).status_code == 404
    client.force_login(CoachFactory())  # another programme's coach
    assert client.get(reverse("evaluations:survey-detail", args=[survey.pk])).status_code == 404
    client.force_login(group["managers"][0])
    assert client.get(reverse("evaluations:survey-detail", args=[survey.pk])).status_code == 403


def test_while_open_only_the_response_rate_is_shown(client, group, coach, hr):
    survey = open_survey(group, coach)
    for manager in group["managers"][:5]:
        answer(survey, manager, 5, SENTINEL)
    client.force_login(hr)
    page = text(client.get(reverse("evaluations:survey-detail", args=[survey.pk])))
    assert "5 av 6 tillfrågade har svarat. (83&nbsp;%)" in page
    assert "Resultaten visas när enkäten har stängt" in page
    assert SENTINEL not in page
    assert "Medelvärde" not in page


def test_with_four_answers_nothing_is_shown_after_closing(client, group, coach):
    survey = open_survey(group, coach)
    for manager in group["managers"][:4]:
        answer(survey, manager, 5, SENTINEL)
    close(survey)
    client.force_login(coach)
    page = text(client.get(reverse("evaluations:survey-detail", args=[survey.pk])))
    assert "4 av 6 tillfrågade har svarat." in page
    assert "Ett svar till hade behövts" in page
    assert SENTINEL not in page
    assert "Medelvärde" not in page


def test_closed_with_six_answers_figures_and_unnamed_texts_small_unit_merged(
    client, group, coach, hr
):
    survey = open_survey(group, coach)
    managers = group["managers"]
    texts = ["Öva mer", "Bättre möten", f"{SENTINEL} från Bo", "Anteckningar", "", ""]
    for number, (manager, written) in enumerate(zip(managers, texts, strict=True)):
        answer(survey, manager, 5 if number < 3 else 3, written)
    close(survey)
    client.force_login(hr)
    page = text(client.get(reverse("evaluations:survey-detail", args=[survey.pk])))
    assert "6 av 6 tillfrågade har svarat. (100&nbsp;%)" in page
    assert "Jag känner mig tryggare som ledare" in page
    assert "4,0" in page  # average of three 5s and three 3s
    # Omsorg (6) is shown; Hemtjänst (4) and Boende (2) each too few: only together.
    assert ">Omsorg<" in page
    assert "Omsorg › Hemtjänst" not in page
    assert "Omsorg › Boende" not in page
    # The texts: unnamed, alphabetical, never with a name.
    assert page.index("Anteckningar") < page.index("Bättre möten") < page.index("Öva mer")
    for manager in managers:
        assert manager.full_name not in page
        assert manager.email not in page


def test_a_sentinel_text_never_appears_with_a_name_in_any_page_email_or_log(
    client, group, coach, hr, caplog, mailoutbox
):
    """Through every page that shows the survey, the reminder emails and the log: the text
    appears only unnamed, on the results page, and never beside its writer's name."""
    from reminders import planner

    caplog.set_level(logging.DEBUG)
    survey = open_survey(group, coach)
    writer = group["managers"][0]
    planner.run(now=timezone.now())
    client.force_login(writer)
    post_answer(client, survey, 4, SENTINEL)
    for manager in group["managers"][1:]:
        answer(survey, manager, 3, "Annat")
    close(survey)
    planner.run(now=timezone.now())
    pages = []
    # Everyone but the writer (whose own pages and export hold their own answer).
    for person in (coach, hr, group["managers"][1], AdminFactory()):
        client.force_login(person)
        for name in ("evaluations:survey-list", "home", "start-manager", "privacy:my-data"):
            pages.append(text(client.get(reverse(name), follow=True)))
        for name in ("evaluations:survey-detail", "evaluations:survey-answer"):
            pages.append(text(client.get(reverse(name, args=[survey.pk]))))
    client.force_login(AdminFactory())
    for url in (
        "/admin/",
        f"/admin/accounts/user/{writer.pk}/change/",
        reverse("privacy:person-data", args=[writer.pk]),
        reverse("privacy:person-data-json", args=[writer.pk]),
    ):
        pages.append(text(client.get(url, follow=True)))
    shown = [page for page in pages if SENTINEL in page]
    assert shown  # the results page lists it, unnamed
    for page in shown:
        assert writer.full_name not in page and writer.email not in page
    from notifications.models import OutboxMessage

    for message in OutboxMessage.objects.all():
        assert SENTINEL not in message.body_text and SENTINEL not in message.body_html
    assert SENTINEL not in caplog.text


def test_hr_closes_a_survey_early_and_the_results_follow(client, group, coach, hr):
    survey = open_survey(group, coach)
    for manager in group["managers"]:
        answer(survey, manager, 4)
    client.force_login(hr)
    page = client.post(reverse("evaluations:survey-close", args=[survey.pk]), follow=True)
    assert "Enkäten är stängd." in text(page)
    assert "Per förvaltning och enhet" in text(page)
    survey.refresh_from_db()
    assert survey.closed_early_at is not None
    client.force_login(group["managers"][0])
    assert post_answer(client, survey, 1).status_code == 400


def test_the_statements_are_fixed_once_someone_has_answered(group, coach):
    survey = open_survey(group, coach)
    answer(survey, group["managers"][0])
    with pytest.raises(ValidationError, match="kan inte ändras när någon har svarat"):
        survey_services.survey_update(
            survey=survey,
            title="Ny titel",
            opens_on=survey.opens_on,
            closes_on=survey.closes_on,
            statements=["Något annat"],
            open_question=survey.open_question,
        )
    survey_services.survey_update(
        survey=survey,
        title="Ny titel",
        opens_on=survey.opens_on,
        closes_on=survey.closes_on + timedelta(days=7),
        statements=list(survey_selectors.DEFAULT_STATEMENTS),
        open_question=survey.open_question,
    )
    survey.refresh_from_db()
    assert survey.title == "Ny titel"


def test_the_municipality_survey_asks_every_active_manager(group, hr):
    outsider = ManagerFactory()
    ManagerFactory(is_active=False)
    survey = survey_services.survey_create(
        by=hr,
        title="Alla chefer",
        programme=None,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        statements=["Jag känner mig tryggare som ledare"],
    )
    assert set(survey_selectors.invited(survey)) == {*group["managers"], outsider}


def test_the_survey_list_shows_each_year_with_its_response_rate(
    client, group, coach, hr, django_assert_max_num_queries
):
    for year_back in range(3):
        survey = open_survey(group, coach, title=f"Nyttoenkät {2027 - year_back}")
        answer(survey, group["managers"][year_back])
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("evaluations:survey-list")))
    assert "Nyttoenkät 2027" in page and "Nyttoenkät 2025" in page
    assert page.count("1 av 6") == 3


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(coach, times: int) -> Survey:
    """`times` programmes with a survey each, and one closed municipality survey answered by
    six managers in each of `times` förvaltningar."""
    today = timezone.localdate()
    municipality = survey_services.survey_create(
        by=coach,
        title="Alla",
        programme=None,
        opens_on=today,
        closes_on=today,
        statements=list(survey_selectors.DEFAULT_STATEMENTS),
        open_question="Vad mer?",
    )
    for n in range(times):
        unit = EnhetFactory(parent=ForvaltningFactory())
        managers = ManagerFactory.create_batch(6, department=unit)
        cohort = CohortFactory(coaches=[coach], members=managers, programme__coaches=[coach])
        open_survey({"programme": cohort.programme}, coach, title=f"Enkät {n}")
        for manager in managers:
            answer(municipality, manager, 1 + n % 5, f"Text {n}")
    close(municipality)
    return municipality


def test_the_survey_pages_make_as_many_queries_with_ten_times_the_data(client, coach, hr):
    client.force_login(hr)
    counts = {}
    for times in (1, 10):
        Survey.objects.all().delete()
        survey = _grow(coach, times)
        counts[times] = (
            _queries(client, reverse("evaluations:survey-list")),
            _queries(client, reverse("evaluations:survey-detail", args=[survey.pk])),
        )
    assert counts[1] == counts[10]
