"""The coach builds a training group and its network groups in Chromium."""

import pytest
from playwright.sync_api import expect

from demo.management.commands.seed_demo import demo_programme_name

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_programme_page_shows_the_framework_and_is_accessible(
    page, live_server, demo_data, log_in, request_log, assert_accessible
):
    log_in("chef@demo.invalid")

    page.get_by_role("link", name="Programmet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ledarskapsprogrammet")
    for name in ["Leda sig själv", "Ledarens uppdrag", "Modigt", demo_programme_name()]:
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=demo_programme_name(), exact=True).click()
    expect(page.get_by_role("heading", name="Trygg i dig själv")).to_be_visible()
    expect(page.get_by_text("Vad behöver du av mig?")).to_be_visible()
    assert_accessible(page)
    assert request_log.foreign() == []


def test_coach_creates_a_cohort_adds_members_and_generates_network_groups(
    page, live_server, demo_data, log_in, assert_accessible
):
    log_in("ledartranare@demo.invalid")
    page.get_by_role("link", name="Träningsgrupper").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny träningsgrupp").click()

    page.get_by_label("Program").select_option(label=demo_programme_name())
    page.get_by_label("Namn").fill("Grupp Kväll")
    page.get_by_label("Startar").fill("2030-02-01")
    page.get_by_label("Slutar").fill("2030-06-15")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Träningsgruppen ”Grupp Kväll” är skapad.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grupp Kväll")
    assert_accessible(page)

    for name in ["Anna Ek", "Bertil Ås", "David Strand", "Hassan Nor"]:
        select = page.get_by_label("Chef")
        select.select_option(select.locator("option", has_text=name).get_attribute("value"))
        page.get_by_role("button", name="Lägg till i gruppen").click()
        # Everyone is in group A or B already: the form asks for a move, in Swedish.
        expect(page.get_by_text("är redan i träningsgruppen")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Flytta från nuvarande grupp").check()
        page.get_by_role("button", name="Lägg till i gruppen").click()
        expect(page.get_by_text(f"{name} är nu med i gruppen.")).to_be_visible()

    members = page.get_by_role("table").filter(has_text="Gick med")
    expect(members.get_by_role("row")).to_have_count(5)  # header + four

    page.get_by_label("Omgångens namn").fill("Kvällens nätverk")
    page.get_by_role("group", name="Träningsgrupper att blanda").get_by_label(
        "Träningsgrupp A"
    ).uncheck()
    page.get_by_role("button", name="Skapa nätverksgrupper").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kvällens nätverk")
    expect(page.get_by_role("heading", name="Grupp 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publicera grupperna").click()
    expect(page.get_by_text("Nätverksgrupperna är publicerade")).to_be_visible()
    assert_accessible(page)


def test_with_many_managers_the_coach_finds_one_by_searching(
    page, live_server, demo_data, log_in, assert_accessible, monkeypatch
):
    from programme.forms import MemberAddForm
    from programme.models import Cohort

    monkeypatch.setattr(MemberAddForm, "LISTED", 2)
    cohort = Cohort.objects.filter(coaches__email="ledartranare@demo.invalid").first()
    outside = MemberAddForm(cohort=cohort).candidates.first().full_name
    log_in("ledartranare@demo.invalid")
    page.goto(f"{live_server.url}/grupper/{cohort.pk}/")

    expect(page.locator('select[name="user"]')).to_have_count(0)
    page.get_by_label("Sök chefen (namn eller e-postadress)").fill("ingen-sådan")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_text("Ingen chef utanför gruppen matchar sökningen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sök chefen (namn eller e-postadress)").fill(outside.split()[-1])
    page.get_by_role("button", name="Sök", exact=True).click()
    select = page.locator('select[name="user"]')
    select.select_option(select.locator("option", has_text=outside).get_attribute("value"))
    assert_accessible(page)
    page.get_by_label("Flytta från nuvarande grupp").check()
    page.get_by_role("button", name="Lägg till i gruppen").click()
    expect(page.get_by_text(f"{outside} är nu med i gruppen.")).to_be_visible()


def test_hr_previews_and_imports_the_personnel_list(
    page, live_server, demo_data, log_in, assert_accessible, tmp_path
):
    staff_list = tmp_path / "personal.csv"
    staff_list.write_bytes(
        "Namn;E-post;Förvaltning;Enhet;Titel;Chef\r\n"
        "Örjan Älv;orjan.alv@kungsor.test;Kultur- och fritidsförvaltningen;Biblioteket;"
        "Bibliotekschef;ja\r\n"
        "Demo Chef;chef@demo.invalid;Vård- och omsorgsförvaltningen;Särskilt boende;"
        "Enhetschef;ja\r\n".encode("cp1252")
    )
    log_in("hr@demo.invalid")
    page.get_by_role("link", name="Personalimport").click()
    assert_accessible(page)

    page.get_by_label("Personallista (CSV eller XLSX)").set_input_files(staff_list)
    page.get_by_role("button", name="Visa förhandsgranskning").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsgranskning av importen")
    expect(page.get_by_text("1 ny person", exact=True)).to_be_visible()
    expect(page.get_by_text("Örjan Älv")).to_be_visible()
    expect(
        page.get_by_text("avdelning: Vård- och omsorgsförvaltningen › Hemtjänsten")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Importera").click()

    expect(page.get_by_text("Listan är importerad. Nya: 1, ändrade: 1")).to_be_visible()
    assert_accessible(page)


def test_coach_adds_many_members_at_once_without_javascript_needed(
    page, live_server, demo_data, log_in, assert_accessible
):
    from programme import services
    from programme.models import Cohort

    first = Cohort.objects.filter(coaches__email="ledartranare@demo.invalid").first()
    cohort = services.cohort_create(
        programme=first.programme,
        name="Grupp Kväll",
        starts_on=first.starts_on,
        ends_on=first.ends_on,
        coaches=list(first.coaches.all()),
    )
    log_in("ledartranare@demo.invalid")
    page.goto(f"{live_server.url}/grupper/{cohort.pk}/")
    page.get_by_role("link", name="Lägg till flera på en gång").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till medlemmar i Grupp Kväll")
    assert_accessible(page)

    page.get_by_label("Sök på namn, e-postadress eller enhet").fill("chef")
    page.get_by_role("button", name="Sök", exact=True).click()
    found = page.get_by_role("group", name="Chefer som hittades")
    found.get_by_role("checkbox").nth(0).check()
    found.get_by_role("checkbox").nth(1).check()
    page.get_by_label("E-postadresser", exact=True).fill("chef5@demo.invalid; okand@demo.invalid")
    page.get_by_role("button", name="Lägg till de valda cheferna i gruppen").click()

    expect(
        page.get_by_text("Ingen i portalen har de här adresserna: okand@demo.invalid.")
    ).to_be_visible()
    expect(
        page.get_by_role("group", name="Chefer som hittades").get_by_role("checkbox", checked=True)
    ).to_have_count(2)
    assert_accessible(page)
    page.get_by_label("E-postadresser", exact=True).fill("chef5@demo.invalid")
    page.get_by_role("button", name="Lägg till de valda cheferna i gruppen").click()
    # Everyone in the demo is in group A or B: the page asks for a move, naming them.
    expect(page.get_by_text("Redan med i en annan träningsgrupp i programmet")).to_be_visible()
    page.get_by_label("Flytta från nuvarande grupp").check()
    page.get_by_role("button", name="Lägg till de valda cheferna i gruppen").click()

    expect(page.get_by_text("3 chefer är tillagda i gruppen")).to_be_visible()
    members = page.get_by_role("table").filter(has_text="Gick med")
    expect(members.get_by_role("row")).to_have_count(4)  # header + three
    assert_accessible(page)
