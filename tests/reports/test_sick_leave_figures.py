"""Sick leave beside participation, counted by hand; groups of 10 employees or fewer hidden."""

from datetime import date
from decimal import Decimal

import pytest

from reports import selectors
from reports.forms import Filters
from reports.models import SickLeaveFigure
from reports.selectors import HIDDEN_STAFF

pytestmark = pytest.mark.django_db

JANUARY = [  # department, employees, scheduled hours, sick-leave hours
    ("Skola A", 40, 6400, 320),
    ("Skola B", 12, 1920, 96),
    ("Förskola C", 6, 960, 96),
    ("Förskola D", 4, 640, 0),
    ("Vård och omsorg", 80, 12800, 1024),  # the whole förvaltning
    ("Bibliotek", 8, 1280, 64),
    ("Gata", 9, 1440, 144),
]


@pytest.fixture
def sick_leave(known):
    departments = {**known["enheter"], "Vård och omsorg": known["forvaltningar"]["voo"]}
    for name, employees, scheduled, sick in JANUARY:
        SickLeaveFigure.objects.create(
            department=departments[name],
            month=date(2027, 1, 1),
            employees=employees,
            scheduled_hours=Decimal(scheduled),
            sick_hours=Decimal(sick),
        )
    SickLeaveFigure.objects.create(
        department=departments["Skola A"],
        month=date(2027, 2, 1),
        employees=40,
        scheduled_hours=Decimal(6400),
        sick_hours=Decimal(640),
    )
    return known


def board(**filters):
    return selectors.dashboard(
        Filters(since=date(2027, 1, 1), until=date(2027, 3, 31), **filters)
    ).sick_leave


def test_the_municipality_month_by_month_beside_attendance(sick_leave):
    months = {m["month"].month: m for m in board().months}
    assert months[1]["employees"] == 159
    assert months[1]["sick_rate"] == pytest.approx(1744 / 25440)
    assert (months[2]["employees"], months[2]["sick_rate"]) == (40, pytest.approx(0.1))
    assert (months[3]["employees"], months[3]["sick_rate"]) == (None, None)
    assert months[2]["attendance_rate"] == pytest.approx(5 / 6)
    assert months[3]["attendance_rate"] == pytest.approx(7 / 8)


def test_per_administration_for_the_latest_month_with_small_ones_merged(sick_leave):
    rows = {r["label"]: (r["employees"], r["sick_rate"]) for r in board().by_forvaltning}
    # February has figures for Skola A only: that is the latest month.
    assert rows == {"Barn och utbildning": (40, pytest.approx(0.1))}

    january = selectors.dashboard(
        Filters(since=date(2027, 1, 1), until=date(2027, 1, 31))
    ).sick_leave
    rows = {r["label"]: (r["employees"], r["sick_rate"]) for r in january.by_forvaltning}
    assert rows == {
        "Barn och utbildning": (62, pytest.approx(512 / 9920)),
        "Vård och omsorg": (80, pytest.approx(0.08)),
        "Kultur": (HIDDEN_STAFF, HIDDEN_STAFF),
        "Teknik": (HIDDEN_STAFF, HIDDEN_STAFF),
        "Tillsammans: Kultur, Teknik": (17, pytest.approx(208 / 2720)),
    }


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Skola A", (40, pytest.approx(0.05))),
        ("Skola B", (HIDDEN_STAFF, HIDDEN_STAFF)),  # merged with C and D: 22 together
        ("Förskola C", (HIDDEN_STAFF, HIDDEN_STAFF)),
        ("Bibliotek", (HIDDEN_STAFF, HIDDEN_STAFF)),
    ],
)
def test_a_unit_is_shown_only_if_it_is_a_safe_group(sick_leave, unit, expected):
    january = board(enhet=sick_leave["enheter"][unit]).months[0]
    assert (january["employees"], january["sick_rate"]) == expected


def test_the_page_shows_each_sick_leave_table_once(client, sick_leave, hr_user):
    from django.urls import reverse

    client.force_login(hr_user)
    page = client.get(
        reverse("reports:dashboard"), {"since": "2027-01-01", "until": "2027-01-31"}
    ).content.decode()
    assert page.count('id="table-sjukfranvaro"') == 1
    assert page.count('id="table-sjukfranvaro-forvaltningar"') == 1
    assert "Tillsammans: Kultur, Teknik" in page
    assert "10 anställda eller färre" in page
