"""HR's start page and the list of managers in no training group: what HR reads with data
and without, the small-group rules, and that each figure is the dashboard's own.

The world, on 15 June 2027 (Stockholm):
  Barn och utbildning › Skola A: Anna, Bertil, Cecilia, David (in the 2027 training group;
    David joined it on 1 June), Erik (only in the 2026 group, which has ended), Fia (in none).
  Kultur › Bibliotek: Gustav (in none).
  Coverage: 4 of 7 today (57,1 %); on 15 May 3 of 7 (42,9 %): up 14,2 points.
  Attendance 2027 so far: 3 present of 4 invited (75,0 %); 1 Jan – 15 Jun 2026: 1 of 2 (50,0 %).
  Repetition steps 2027: 3 of 4 answered (75,0 %).
  Sick leave, Skola A: May 2027 5,0 % of 20 employees; April 6,0 %: down 1,0 points.
  Staff list applied 1 June 2027 (fresh); sick-leave file applied 20 April 2027 (stale).
"""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import StaffImport
from programme.services import cohort_add_member
from reminders.models import Reminder
from reports.coverage import coverage_on, managers_outside_groups, outside_per_forvaltning
from reports.models import ReportAccess, SickLeaveFigure, SickLeaveImport
from reports.start_figures import same_days_last_year, start_figures, year_to_date
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    AdminFactory,
    CohortFactory,
    EnhetFactory,
    ManagerFactory,
    ProgrammeFactory,
)
from tests.support.tables import table

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2027, 6, 15)


def at(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


@pytest.fixture
def on_today():
    with time_machine.travel(at(2027, 6, 15), tick=False):
        yield


def _held(cohort, starts_at, marks: dict) -> TrainingSession:
    session = TrainingSession.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        format=TrainingSession.Format.THEORY,
        title="Träff",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        status=TrainingSession.Status.HELD,
    )
    for user, attendance in marks.items():
        Invitation.objects.create(session=session, user=user, attendance=attendance)
    return session


@pytest.fixture
def town(on_today, hr_user):
    skola = EnhetFactory(name="Skola A", parent__name="Barn och utbildning")
    bibliotek = EnhetFactory(name="Bibliotek", parent__name="Kultur")
    early = at(2026, 1, 1)
    people = {
        name: ManagerFactory(full_name=name, department=skola, date_joined=early)
        for name in ("Anna Ek", "Bertil Berg", "Cecilia Ceder", "David Dal", "Erik Ek", "Fia Fur")
    }
    people["Gustav Gran"] = ManagerFactory(
        full_name="Gustav Gran", department=bibliotek, date_joined=early
    )
    old = CohortFactory(
        name="Grupp 2026",
        programme=ProgrammeFactory(
            name="Ledarskap 2026", starts_on=date(2026, 1, 11), ends_on=date(2026, 12, 15)
        ),
    )
    current = CohortFactory(name="Grupp 2027", programme=ProgrammeFactory(name="Ledarskap 2027"))
    for name in ("Anna Ek", "Bertil Berg", "Cecilia Ceder"):
        cohort_add_member(cohort=current, user=people[name], joined_on=date(2027, 1, 11))
    cohort_add_member(cohort=current, user=people["David Dal"], joined_on=date(2027, 6, 1))
    for name in ("Anna Ek", "Erik Ek"):
        cohort_add_member(cohort=old, user=people[name], joined_on=date(2026, 1, 11))

    present, absent = Invitation.Attendance.PRESENT, Invitation.Attendance.ABSENT
    held = _held(
        current,
        at(2027, 3, 10),
        {
            people["Anna Ek"]: present,
            people["Bertil Berg"]: present,
            people["Cecilia Ceder"]: present,
            people["David Dal"]: absent,
        },
    )
    _held(old, at(2026, 3, 10), {people["Anna Ek"]: present, people["Erik Ek"]: absent})
    for index, name in enumerate(("Anna Ek", "Bertil Berg", "Cecilia Ceder", "David Dal")):
        Reminder.objects.create(
            key=f"hr-start:{index}",
            user=people[name],
            kind=Reminder.Kind.REPETITION,
            session=held,
            step=1,
            offset_days=1,
            base_on=date(2027, 3, 11),
            due_at=at(2027, 3, 11, 8),
            status=Reminder.Status.SENT,
            sent_at=at(2027, 3, 11, 8),
            responded_at=at(2027, 3, 12) if index < 3 else None,
        )
    for month, sick in ((date(2027, 4, 1), 60), (date(2027, 5, 1), 50)):
        SickLeaveFigure.objects.create(
            department=skola, month=month, employees=20, scheduled_hours=1000, sick_hours=sick
        )
    StaffImport.objects.create(
        created_by=hr_user,
        filename="personal.xlsx",
        rows=[],
        status=StaffImport.Status.APPLIED,
        applied_at=at(2027, 6, 1),
    )
    SickLeaveImport.objects.create(
        created_by=hr_user,
        filename="sjuk.xlsx",
        rows=[],
        status=SickLeaveImport.Status.APPLIED,
        applied_at=at(2027, 4, 20),
    )
    return {"people": people, "skola": skola, "bibliotek": bibliotek}


def _start_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("start-hr"))
    assert response.status_code == 200
    return response.content.decode()


# --- The selectors, on their own ---------------------------------------------------------------


def test_coverage_counts_managers_in_a_running_group_today_and_a_month_ago(town):
    now, before = coverage_on([TODAY, date(2027, 5, 15)], TODAY)

    assert (now.in_group, now.managers, now.outside) == (4, 7, 3)
    # David joined on 1 June; Erik's 2026 group had ended by May too.
    assert (before.in_group, before.managers) == (3, 7)


def test_coverage_with_nobody_is_zero_and_has_no_rate(db):
    [now] = coverage_on([date.today()])

    assert (now.in_group, now.managers, now.rate) == (0, 0, None)
    assert list(managers_outside_groups()) == []
    assert outside_per_forvaltning() == []


def test_managers_outside_groups_are_those_in_none_or_only_in_an_ended_one(town):
    names = [person.full_name for person in managers_outside_groups()]

    # By förvaltning (Barn och utbildning before Kultur), then unit and name.
    assert names == ["Erik Ek", "Fia Fur", "Gustav Gran"]
    # Someone placed on the förvaltning itself comes before its units' people.
    ManagerFactory(full_name="Östen Öst", department=town["skola"].parent)
    names = [person.full_name for person in managers_outside_groups()]
    assert names == ["Östen Öst", "Erik Ek", "Fia Fur", "Gustav Gran"]
    kultur = town["bibliotek"].parent
    assert [p.full_name for p in managers_outside_groups(kultur)] == ["Gustav Gran"]


def test_outside_per_forvaltning_counts_each_forvaltnings_managers(town):
    assert [(r["name"], r["managers"], r["outside"]) for r in outside_per_forvaltning()] == [
        ("Barn och utbildning", 6, 2),
        ("Kultur", 1, 1),
    ]


def test_start_figures_are_the_dashboards_own_for_the_same_periods(town):
    from reports.selectors import dashboard

    figures = start_figures(TODAY)

    this_year = dashboard(year_to_date(TODAY)).total
    last_year = dashboard(same_days_last_year(TODAY)).total
    assert figures.this_year.attendance_rate == this_year.attendance_rate == 0.75
    assert figures.last_year.attendance_rate == last_year.attendance_rate == 0.5
    assert figures.this_year.response_rate == this_year.response_rate == 0.75
    assert figures.sick_leave.latest.month == date(2027, 5, 1)
    assert figures.sick_leave.before.month == date(2027, 4, 1)
    assert same_days_last_year(date(2028, 2, 29)).until == date(2027, 2, 28)


# --- The start page ----------------------------------------------------------------------------


def test_hr_reads_each_figure_with_its_comparison(client, town, hr_user):
    page = _start_page(client, hr_user)

    assert "Chefer i en träningsgrupp" in page
    assert "4 av 7" in page
    assert "57,1 % av de aktiva cheferna är med i en pågående träningsgrupp; 3 är inte med" in page
    assert "För en månad sedan (15 maj 2027): 3 av 7, 42,9 % (upp 14,2 procentenheter)." in page
    assert "Närvaro hittills i år" in page
    assert "3 närvarande av 4 kallade till träffar som hållits sedan 1 januari 2027." in page
    assert (
        "Samma period förra året (1 januari 2026 – 15 juni 2026): 50,0 % "
        "(upp 25,0 procentenheter)." in page
    )
    assert "3 av 4 steg som skickats sedan 1 januari 2027 har besvarats." in page
    assert "Sjukfrånvaro, maj 2027" in page
    assert "5,0 %" in page and "20 anställda i underlaget." in page
    assert "Månaden före (april 2027): 6,0 % (ner 1,0 procentenheter)." in page
    assert "Inga träffar har hållits i år ännu." not in page


def test_each_figure_links_to_where_the_dashboard_shows_the_same_number(client, town, hr_user):
    page = _start_page(client, hr_user)

    link = f"{reverse('reports:dashboard')}?since=2027-01-01&amp;until=2027-06-15#table-oversikt"
    assert f'href="{link}"' in page
    assert f'href="{reverse("reports:dashboard")}#sick-leave-heading"' in page
    assert f'href="{reverse("reports:coverage")}"' in page

    dashboard = client.get(
        reverse("reports:dashboard"), {"since": "2027-01-01", "until": "2027-06-15"}
    ).content.decode()
    assert 'id="table-oversikt"' in dashboard and 'id="sick-leave-heading"' in dashboard
    assert "75,0 %" in dashboard  # attendance and answers, as on the start page


def test_import_dates_are_in_swedish_and_a_stale_one_is_flagged(client, town, hr_user):
    page = _start_page(client, hr_user)

    assert "senast importerad 1 juni 2027." in page
    assert "senast importerad 20 april 2027." in page
    # The sick-leave file is 56 days old; the staff list 14 days: one warning.
    assert page.count("Det är mer än en månad sedan. Importera en ny fil") == 1
    assert "(31 dagar)" in page


def test_the_start_page_with_nothing_yet_says_so(client, on_today, hr_user):
    page = _start_page(client, hr_user)

    assert "Inga chefer är registrerade ännu." in page
    assert "Inga träffar har hållits i år ännu." in page
    assert "Inga repetitionssteg har skickats i år ännu." in page
    assert "Ingen sjukfrånvaro för de senaste tolv månaderna har importerats." in page
    assert page.count("aldrig importerad.") == 2
    assert page.count("Importera en fil så att siffrorna blir kompletta.") == 2
    assert "av 0" not in page


def test_coverage_per_forvaltning_names_where_managers_are_left_to_place(client, town, hr_user):
    page = _start_page(client, hr_user)

    rows, links = table(page, "Aktiva chefer per förvaltning")
    # Most managers still to place first.
    assert rows == [
        ["Barn och utbildning", "6", "4 (66,7 %)", "2"],
        ["Kultur", "1", "0 (0,0 %)", "1"],
    ]
    kultur = town["bibliotek"].parent
    assert {
        "href": f"{reverse('reports:coverage')}?forvaltning={kultur.pk}",
        "aria-label": "1 chef utan träningsgrupp i Kultur",
    } in links
    assert "där flest chefer inte är med" not in page  # all are shown


def test_only_the_ten_forvaltningar_with_most_left_to_place_are_listed(client, on_today, hr_user):
    for index in range(11):
        unit = EnhetFactory(name=f"Enhet {index}", parent__name=f"Förvaltning {index:02}")
        ManagerFactory.create_batch(1 + index % 3, department=unit)

    page = _start_page(client, hr_user)

    assert "De 10 förvaltningar där flest chefer inte är med i någon träningsgrupp, av 11." in page
    # Förvaltning 00, 03, 06 and 09 have one manager each: 09 (last by name) is left out.
    assert "Förvaltning 08" in page and "Förvaltning 06" in page
    assert "Förvaltning 09" not in page


def test_small_groups_are_hidden_on_the_start_page(client, on_today, hr_user):
    """Fewer than 5 managers: no answer rate; 10 employees or fewer: no sick leave."""
    unit = EnhetFactory(name="Liten enhet")
    people = ManagerFactory.create_batch(3, department=unit, date_joined=at(2026, 1, 1))
    cohort = CohortFactory(members=people)
    session = _held(cohort, at(2027, 3, 10), {p: Invitation.Attendance.PRESENT for p in people})
    Reminder.objects.create(
        key="hr-start:small",
        user=people[0],
        kind=Reminder.Kind.REPETITION,
        session=session,
        step=1,
        base_on=date(2027, 3, 11),
        due_at=at(2027, 3, 11, 8),
        status=Reminder.Status.SENT,
        sent_at=at(2027, 3, 11, 8),
        responded_at=at(2027, 3, 12),
    )
    SickLeaveFigure.objects.create(
        department=unit, month=date(2027, 5, 1), employees=8, scheduled_hours=800, sick_hours=40
    )

    page = _start_page(client, hr_user)

    assert "3 av 3" in page  # coverage and attendance are part of the job
    assert "100,0 %" in page
    assert "färre än 5" in page
    assert "Visas bara när minst 5 chefer räknas" in page
    assert "1 av 1 steg" not in page
    assert "10 anställda eller färre" in page
    assert "5,0 %" not in page


def test_only_hr_opens_the_start_page(client, town, manager):
    client.force_login(manager)

    assert client.get(reverse("start-hr")).status_code == 403


# --- Managers in no training group -------------------------------------------------------------


def test_hr_lists_the_managers_in_no_group_and_the_view_is_logged(client, town, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("reports:coverage"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Chefer utan träningsgrupp" in page
    for name in ("Erik Ek", "Fia Fur", "Gustav Gran"):
        assert f'<th scope="row">{name}<br>' in page
    for name in ("Anna Ek", "Bertil Berg", "David Dal"):
        assert name not in page
    assert "3 chefer." in page
    # Per förvaltning: those in no group of its managers.
    assert ">2 av 6</td>" in page and ">1 av 1</td>" in page
    assert "Programmets ledartränare och administratörerna placerar chefer" in page
    [log] = ReportAccess.objects.all()
    assert (log.user, log.action, log.report) == (hr_user, "visning", "tackning")


def test_the_list_narrows_to_one_forvaltning(client, town, hr_user):
    client.force_login(hr_user)
    kultur = town["bibliotek"].parent

    page = client.get(reverse("reports:coverage"), {"forvaltning": kultur.pk}).content.decode()

    assert "Utan träningsgrupp: Kultur" in page
    assert '<th scope="row">Gustav Gran<br>' in page
    assert "Fia Fur" not in page
    assert client.get(reverse("reports:coverage"), {"forvaltning": 999999}).status_code == 404


def test_the_list_is_paginated(client, town, hr_user, monkeypatch):
    monkeypatch.setattr("reports.coverage_views.PEOPLE_PER_PAGE", 2)
    client.force_login(hr_user)

    first = client.get(reverse("reports:coverage")).content.decode()
    second = client.get(reverse("reports:coverage"), {"page": 2}).content.decode()

    assert "Erik Ek" in first and "Fia Fur" in first and "Gustav Gran" not in first
    assert "Gustav Gran" in second and "Erik Ek" not in second


def test_the_list_downloads_as_csv_for_the_coach_and_is_logged(client, town, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("reports:coverage-export", args=["csv"]))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ledarskapsportalen – Chefer utan träningsgrupp"]
    header = rows.index(["Förvaltning", "Enhet", "Chef", "E-post", "Titel"])
    people = rows[header + 1 :]
    assert [row[:3] for row in people] == [
        ["Barn och utbildning", "Skola A", "Erik Ek"],
        ["Barn och utbildning", "Skola A", "Fia Fur"],
        ["Kultur", "Bibliotek", "Gustav Gran"],
    ]
    assert people[2][3] == town["people"]["Gustav Gran"].email
    log = ReportAccess.objects.get()
    assert (log.action, log.report, log.file_format) == ("export", "tackning", "csv")


def test_the_list_with_nobody_or_everyone_placed_says_so(client, on_today, hr_user):
    client.force_login(hr_user)

    empty = client.get(reverse("reports:coverage")).content.decode()
    CohortFactory(members=[ManagerFactory()])
    placed = client.get(reverse("reports:coverage")).content.decode()

    assert "Inga chefer är registrerade ännu." in empty
    assert "Alla aktiva chefer" not in empty
    assert "Alla aktiva chefer är med i en träningsgrupp." in placed
    assert "Inga chefer är registrerade ännu." not in placed


def test_an_administrator_is_told_where_to_place_them(client, town):
    client.force_login(AdminFactory())

    page = client.get(reverse("reports:coverage")).content.decode()

    assert "Lägg till flera på en gång" in page
    assert f'href="{reverse("programme:cohort-list")}"' in page


def test_managers_and_coaches_may_not_see_the_list(client, town, manager, coach):
    for person in (manager, coach):
        client.force_login(person)
        assert client.get(reverse("reports:coverage")).status_code == 403
        assert client.get(reverse("reports:coverage-export", args=["csv"])).status_code == 403
    assert ReportAccess.objects.count() == 0


def test_an_import_is_stale_after_31_days_not_before(on_today):
    from django.utils import timezone

    from portal.start.hr_figures import import_state

    now = timezone.now()

    def stale(applied_at):
        return import_state("Personallista", applied_at, "/", "Importera").stale

    assert not stale(now - timedelta(days=31))
    assert stale(now - timedelta(days=31, minutes=1))
    assert stale(None)


def test_a_second_look_reads_the_kept_figures_without_counting_again(client, town, hr_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hr_user)
    first = client.get(reverse("start-hr")).content.decode()
    with CaptureQueriesContext(connection) as second_look:
        second = client.get(reverse("start-hr")).content.decode()

    counted = [q["sql"] for q in second_look.captured_queries if "COUNT(" in q["sql"]]
    assert counted == []  # neither attendance nor the managers per förvaltning
    assert "4 av 7" in first and "4 av 7" in second


def test_beat_counts_the_start_pages_periods_before_hr_looks(client, town, hr_user):
    """After the periodic count, HR's first look at the start page counts nothing."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.tasks import refresh_dashboard

    cache.clear()
    refresh_dashboard.apply()
    client.force_login(hr_user)
    with CaptureQueriesContext(connection) as first_look:
        page = client.get(reverse("start-hr")).content.decode()

    assert "4 av 7" in page
    assert [q["sql"] for q in first_look.captured_queries if "invitation" in q["sql"]] == []


def test_the_list_downloads_as_excel_for_one_forvaltning(client, town, hr_user):
    import openpyxl

    client.force_login(hr_user)
    kultur = town["bibliotek"].parent
    response = client.get(
        reverse("reports:coverage-export", args=["xlsx"]), {"forvaltning": kultur.pk}
    )

    assert response["Content-Disposition"].startswith('attachment; filename="ledarskap-tackning-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert ["Förvaltning", "Kultur"] in [row[:2] for row in rows]
    assert rows[-1][:3] == ["Kultur", "Bibliotek", "Gustav Gran"]
    assert "Fia Fur" not in str(rows)
