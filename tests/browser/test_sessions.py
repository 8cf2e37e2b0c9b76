"""The coach marks attendance on a phone (390×844); the pages pass axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def test_coach_marks_attendance_on_a_phone(
    page, live_server, demo_data, log_in, assert_accessible, request_log
):
    log_in("ledartranare@demo.invalid")

    page.get_by_role("button", name="Visa eller dölj menyn").click()
    page.get_by_role("link", name="Schema").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schema")
    assert_accessible(page)
    for view in ("Vecka", "Månad", "Lista"):
        page.get_by_role("link", name=view, exact=True).click()
        expect(page.get_by_role("link", name=view, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)

    page.get_by_role("link", name="Leda andra – teori").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leda andra – teori")
    assert_accessible(page)

    attendance = page.get_by_role("region", name="Inbjudna och närvaro")
    people = attendance.get_by_role("group")
    expect(people).to_have_count(6)
    people.nth(0).get_by_label("Frånvarande").check()
    for index in range(1, 6):
        people.nth(index).get_by_label("Närvarande").check()
    page.get_by_role("button", name="Spara närvaro").click()

    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Genomförd")
    people = page.get_by_role("region", name="Inbjudna och närvaro").get_by_role("group")
    expect(people.nth(0).get_by_label("Frånvarande")).to_be_checked()
    expect(people.nth(5).get_by_label("Närvarande")).to_be_checked()
    assert_accessible(page)
    assert request_log.foreign() == []


def test_manager_sees_my_sessions_and_reports_forhinder_on_a_phone(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("chef@demo.invalid")
    page.get_by_role("button", name="Visa eller dölj menyn").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina träffar"
    ).click()
    assert_accessible(page)

    page.get_by_role("link", name="Leda utveckling i förändring – praktik").click()
    page.get_by_label("Kommentar (frivillig)").fill("Budgetmöte med nämnden")
    page.get_by_role("button", name="Anmäl förhinder").click()

    expect(page.get_by_text("Ditt förhinder är anmält.")).to_be_visible()
    expect(page.get_by_text("Din kommentar: ”Budgetmöte med nämnden”")).to_be_visible()
    assert_accessible(page)


def test_with_javascript_each_choice_is_saved_without_reloading(
    page, live_server, demo_data, log_in
):
    from sessions.models import Invitation

    log_in("ledartranare@demo.invalid")
    page.get_by_role("button", name="Visa eller dölj menyn").click()
    page.get_by_role("link", name="Schema").click()
    page.get_by_role("link", name="Leda andra – teori").click()
    url = page.url

    first = page.get_by_role("region", name="Inbjudna och närvaro").get_by_role("group").first
    first.get_by_label("Närvarande").check()

    expect(page.get_by_role("status").filter(has_text="Närvaron är sparad.")).to_be_visible()
    assert page.url == url
    name = first.locator("legend").inner_text().strip().rstrip("*").strip()
    assert (
        Invitation.objects.get(session__title="Leda andra – teori", user__full_name=name).attendance
        == Invitation.Attendance.PRESENT
    )


def test_coach_cancels_on_a_page_that_names_who_is_told_and_undoes_it(
    page, live_server, demo_data, log_in, assert_accessible
):
    from django.utils import timezone

    from sessions.models import TrainingSession

    session = (
        TrainingSession.objects.filter(
            status=TrainingSession.Status.PLANNED, starts_at__gt=timezone.now()
        )
        .exclude(cohort=None)
        .order_by("starts_at")
        .first()
    )
    log_in("ledartranare@demo.invalid")
    page.goto(f"{live_server.url}/traffar/{session.pk}/")

    page.get_by_role("link", name="Ställ in träffen …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ställa in ”{session.title}”?")
    told = page.get_by_role("region", name="Vilka som får besked")
    expect(told.get_by_role("listitem")).to_have_count(session.invitations.count())
    assert_accessible(page)
    page.get_by_label("Meddelande till de inbjudna (frivilligt)").fill("Vi ses nästa vecka.")
    page.get_by_role("button", name="Ställ in träffen och meddela de inbjudna").click()

    expect(page.get_by_text("Träffen är inställd. Mejlen till de")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inställd")
    assert_accessible(page)
    page.get_by_role("button", name="Ångra inställningen").click()

    expect(page.get_by_text("Inställningen är ångrad")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Inställd")
    expect(page.get_by_role("button", name="Ångra inställningen")).to_have_count(0)
    assert_accessible(page)
