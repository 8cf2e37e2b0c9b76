"""Every figure of the dashboard against values counted by hand (see conftest.py)."""

from datetime import date

import pytest

from reports import selectors
from reports.forms import Filters
from reports.selectors import HIDDEN

pytestmark = pytest.mark.django_db

FEB_MAR = {"since": date(2027, 1, 1), "until": date(2027, 12, 31)}


def figures(row) -> dict:
    return {
        "managers": row.managers,
        "invited": row.figures["invited"],
        "present": row.figures["present"],
        "excused": row.figures["excused"],
        "makeups": row.figures["makeups"],
        "steps_sent": row.value("steps_sent"),
        "steps_answered": row.value("steps_answered"),
        "entries": row.value("entries"),
        "commitments": row.value("commitments"),
        "followed_up": row.value("followed_up"),
        "ratings": row.value("ratings"),
    }


def test_the_whole_municipality(known):
    board = selectors.dashboard(Filters(**FEB_MAR))

    assert board.sessions_held == 3  # the cancelled session does not count
    assert figures(board.total) == {
        "managers": 26,
        "invited": 14,
        "present": 12,
        "excused": 1,
        "makeups": 1,
        "steps_sent": 5,
        "steps_answered": 3,
        "entries": 15,
        "commitments": 4,
        "followed_up": 2,
        "ratings": 0,
    }
    assert board.total.attendance_rate == pytest.approx(12 / 14)
    assert board.total.excused_rate == pytest.approx(1 / 14)
    assert board.total.response_rate == pytest.approx(3 / 5)


@pytest.mark.parametrize(
    ("choose", "expected", "sessions"),
    [
        (
            lambda k: {"forvaltning": k["forvaltningar"]["bou"]},
            {"managers": 14, "invited": 7, "present": 6, "excused": 0, "makeups": 1,
             "steps_sent": 5, "steps_answered": 3, "entries": 15, "commitments": 0,
             "followed_up": 0, "ratings": 0},
            2,
        ),
        (
            lambda k: {"enhet": k["enheter"]["Skola A"]},
            {"managers": 6, "invited": 6, "present": 5, "excused": 0, "makeups": 0,
             "steps_sent": 5, "steps_answered": 3, "entries": 12, "commitments": 0,
             "followed_up": 0, "ratings": 0},
            1,
        ),
        (
            lambda k: {"enhet": k["enheter"]["Förskola D"]},  # one manager: hidden
            {"managers": 1, "invited": 0, "present": 0, "excused": 0, "makeups": 0,
             "steps_sent": HIDDEN, "steps_answered": HIDDEN, "entries": HIDDEN,
             "commitments": HIDDEN, "followed_up": HIDDEN, "ratings": HIDDEN},
            0,
        ),
        (
            lambda k: {"forvaltning": k["forvaltningar"]["voo"]},
            {"managers": 7, "invited": 7, "present": 6, "excused": 1, "makeups": 0,
             "steps_sent": 0, "steps_answered": 0, "entries": 0, "commitments": 4,
             "followed_up": 2, "ratings": 0},
            1,
        ),
        (
            lambda k: {"cohort": k["cohorts"]["x"]},  # people across departments: hidden
            {"managers": 6, "invited": 6, "present": 5, "excused": 0, "makeups": 0,
             "steps_sent": HIDDEN, "steps_answered": HIDDEN, "entries": HIDDEN,
             "commitments": HIDDEN, "followed_up": HIDDEN, "ratings": HIDDEN},
            1,
        ),
        (
            lambda k: {"programme": k["programme"]},  # its groups' 13, and a make-up guest
            {"managers": 14, "invited": 14, "present": 12, "excused": 1, "makeups": 1,
             "steps_sent": HIDDEN, "steps_answered": HIDDEN, "entries": HIDDEN,
             "commitments": HIDDEN, "followed_up": HIDDEN, "ratings": HIDDEN},
            3,
        ),
        (
            lambda k: {"theme": k["themes"]["leda-sig-sjalv"]},
            {"managers": 26, "invited": 6, "present": 5, "excused": 0, "makeups": 0,
             "steps_sent": 5, "steps_answered": 3, "entries": 12, "commitments": 4,
             "followed_up": 2, "ratings": 0},
            1,
        ),
        (
            lambda k: {"since": date(2027, 3, 1), "until": date(2027, 3, 31)},
            {"managers": 26, "invited": 8, "present": 7, "excused": 1, "makeups": 1,
             "steps_sent": 0, "steps_answered": 0, "entries": 0, "commitments": 4,
             "followed_up": 2, "ratings": 0},
            2,
        ),
    ],
    ids=["forvaltning", "enhet", "tiny-enhet", "other-forvaltning", "cohort", "programme",
         "theme", "period"],
)  # fmt: skip
def test_each_filter(known, choose, expected, sessions):
    board = selectors.dashboard(Filters(**(FEB_MAR | choose(known))))
    assert figures(board.total) == expected
    assert board.sessions_held == sessions


def test_tables_per_forvaltning_and_enhet_hide_small_groups_and_show_them_merged(known):
    board = selectors.dashboard(Filters(**FEB_MAR))

    forvaltningar = {row.label: row.value("entries") for row in board.by_forvaltning}
    assert forvaltningar == {
        "Barn och utbildning": 15,
        "Vård och omsorg": 0,
        "Kultur": HIDDEN,
        "Teknik": HIDDEN,
        "Tillsammans: Kultur, Teknik": 0,
    }
    enheter = {row.label: row.value("entries") for row in board.by_enhet}
    assert enheter == {
        "Barn och utbildning › Skola A": 12,
        "Barn och utbildning › Skola B": HIDDEN,
        "Barn och utbildning › Förskola C": HIDDEN,
        "Barn och utbildning › Förskola D": HIDDEN,
        "Vård och omsorg › Hemtjänst": 0,
        "Kultur › Bibliotek": HIDDEN,
        "Teknik › Gata": HIDDEN,
        "Tillsammans: Barn och utbildning › Förskola C, Barn och utbildning › Förskola D, "
        "Barn och utbildning › Skola B": 3,
        "Tillsammans: Kultur › Bibliotek, Teknik › Gata": 0,
    }
    # Attendance is shown for every group and every manager.
    assert {row.label: row.figures["invited"] for row in board.by_enhet}[
        "Barn och utbildning › Skola B"
    ] == 1
    assert len(board.by_manager) == 14
    assert {row.label: row.figures["present"] for row in board.by_cohort} == {
        f"{known['programme'].name}: Grupp X": 5,
        f"{known['programme'].name}: Grupp Y": 6,
    }


def test_trends_per_month(known):
    board = selectors.dashboard(Filters(since=date(2027, 1, 1), until=date(2027, 4, 30)))
    months = {m["month"].month: m for m in board.trends}
    assert list(months) == [1, 2, 3, 4]
    assert (months[2]["invited"], months[2]["present"]) == (6, 5)
    assert (months[3]["invited"], months[3]["present"]) == (8, 7)
    assert months[1]["attendance_rate"] is None
    assert (months[2]["steps_sent"], months[2]["steps_answered"]) == (5, 3)
    assert months[2]["entries"] == 15
    assert months[3]["entries"] == 0

    small = selectors.dashboard(
        Filters(since=date(2027, 1, 1), until=date(2027, 4, 30), enhet=known["enheter"]["Gata"])
    )
    assert {m["entries"] for m in small.trends} == {HIDDEN}
