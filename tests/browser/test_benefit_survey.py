"""The benefit survey in Chromium: the demo manager answers this year's survey on a 390 px
phone from the start page; HR reads last year's results on a desktop and on a phone. axe
finds nothing, nothing scrolls sideways, and no name stands beside an answer."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Survey, SurveyResponse
from tests.support import seen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_manager_answers_the_survey_on_a_phone(
    page, live_server, demo_data, log_in, assert_accessible
):
    page.set_viewport_size({"width": 390, "height": 844})
    survey = Survey.objects.exclude(programme=None).get()
    log_in("chef@demo.invalid")
    due = page.get_by_role("region", name="Att göra")
    expect(due).to_contain_text(f"{survey.title}: vad har träningen gett dig?")
    due.get_by_role("link", name="Svara på enkäten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(survey.title)
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Spara mitt svar").click()  # nothing chosen
    expect(page.get_by_text("Ange ett värde från 1 till 5.").first).to_be_visible()
    assert not SurveyResponse.objects.filter(survey=survey, respondent__email="chef@demo.invalid")

    for statement in survey.statements.all():
        page.get_by_role("group", name=statement.text).get_by_label("4", exact=True).check()
    page.get_by_label("Vad mer vill du säga om ledarskapsträningen? (frivilligt)").fill(
        "Mer tid att öva"
    )
    page.get_by_role("button", name="Spara mitt svar").click()
    expect(page.get_by_text("Tack! Ditt svar är sparat.")).to_be_visible()
    expect(page.get_by_text("Du har svarat. Du kan ändra ditt svar till och med")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_reads_last_years_results(
    page, live_server, demo_data, log_in, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    survey = Survey.objects.filter(programme=None).get()
    log_in("hr@demo.invalid")
    page.goto(live_server.url + "/enkater/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyttoenkäter")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.get_by_role("link", name=survey.title).click()
    expect(page.get_by_text("11 av 12 tillfrågade har svarat.")).to_be_visible()
    expect(page.get_by_role("heading", name="Påståendena")).to_be_visible()
    expect(page.get_by_role("heading", name="Per förvaltning och enhet")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)
    expect(page.get_by_role("heading", name="Per program")).to_be_visible()
    assert seen.markup_problems(page) == []
    if width == 1280:
        with page.expect_download() as download_info:
            page.get_by_role("link", name=f"CSV – {survey.title}").click()
        download = download_info.value
        assert download.suggested_filename.startswith(f"ledarskap-nyttoenkat-{survey.pk}-")
        text = download.path().read_bytes().decode("utf-8-sig")
        assert text.startswith("Ledarskapsportalen – Nyttoenkätens resultat")
        assert "Alla som svarade;11;Jag känner mig tryggare som ledare;" in text
        assert "Nätverksträffarna" not in text  # the open question's answers stay on the page
    body = page.content()
    for respondent in SurveyResponse.objects.filter(survey=survey).select_related("respondent"):
        assert respondent.respondent.full_name not in body
