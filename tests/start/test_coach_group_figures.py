"""The training groups' figures on the coach's start page are kept between the writes that
change them (sessions.figures): what the coach reads after marking attendance, a check-in,
a member leaving or a session starting, and that kept figures are never older than the
last write that committed."""

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from programme.models import CohortMembership
from programme.services import cohort_end_membership
from sessions import figures
from sessions import selectors as session_selectors
from sessions import services as session_services
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    CoachFactory,
    CohortFactory,
    InvitationFactory,
    ManagerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

PRESENT = Invitation.Attendance.PRESENT
ABSENT = Invitation.Attendance.ABSENT


def _session(cohort, *, starts_in: timedelta, title: str, held: bool = False, marks=None):
    starts = timezone.now() + starts_in
    session = TrainingSessionFactory(
        cohort=cohort, title=title, starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    if held:
        session.status = TrainingSession.Status.HELD
        session.save(update_fields=["status"])
    for user, mark in (marks or {}).items():
        InvitationFactory(session=session, user=user, attendance=mark)
    return session


@pytest.fixture
def group(db) -> dict:
    """Karin coaches Träningsgrupp Ekorre. Alma missed the last held session and Bo came;
    a session ended an hour ago with nothing recorded, one is going on now and one is in
    ten days."""
    coach = CoachFactory(full_name="Karin Tränare")
    alma = ManagerFactory(full_name="Alma Aldrig")
    bo = ManagerFactory(full_name="Bo Bra")
    cohort = CohortFactory(
        name="Träningsgrupp Ekorre",
        coaches=[coach],
        programme__coaches=[coach],
        programme__starts_on=timezone.localdate() - timedelta(days=90),
        programme__ends_on=timezone.localdate() + timedelta(days=200),
        members=[alma, bo],
    )
    _session(
        cohort,
        starts_in=-timedelta(days=20),
        title="Uppstart",
        held=True,
        marks={alma: PRESENT, bo: PRESENT},
    )
    _session(
        cohort,
        starts_in=-timedelta(days=10),
        title="Andra",
        held=True,
        marks={alma: ABSENT, bo: PRESENT},
    )
    ended = _session(
        cohort, starts_in=-timedelta(hours=4), title="Tredje", marks={alma: "", bo: ""}
    )
    running = _session(
        cohort, starts_in=-timedelta(minutes=30), title="Pågående", marks={alma: "", bo: ""}
    )
    coming = _session(cohort, starts_in=timedelta(days=10), title="Fjärde")
    return {
        "coach": coach,
        "alma": alma,
        "bo": bo,
        "cohort": cohort,
        "ended": ended,
        "running": running,
        "coming": coming,
    }


def _page(client, coach) -> str:
    client.force_login(coach)
    response = client.get(reverse("start-coach"))
    assert response.status_code == 200
    return re.sub(r">\s+<", "><", response.content.decode())


def _row(members: int, held: int, left: int, rate: str) -> str:
    """The group's row: members, held, left, attendance (then the repetition column)."""
    return (
        f'Träningsgrupp Ekorre</a></th><td class="text-end">{members}</td>'
        f'<td class="text-end">{held}</td><td class="text-end">{left}</td>'
        f'<td class="text-end">{rate}</td>'
    )


def test_the_coach_reads_the_attendance_just_marked(
    client, group, django_capture_on_commit_callbacks
):
    coach, alma, bo = group["coach"], group["alma"], group["bo"]
    page = _page(client, coach)
    # 2 held, 1 left (the one in ten days), 3 of 4 present; Alma missed only one.
    assert _row(2, 2, 1, "75 %") in page
    assert "Alma Aldrig</strong>" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training_sessions:attendance-save", args=[group["ended"].pk]),
            {f"user_{alma.pk}": ABSENT, f"user_{bo.pk}": PRESENT, "save": "Spara"},
        )
    assert response.status_code == 302

    page = _page(client, coach)
    # The session ended is held now: 3 held, 4 of 6 present, and Alma has missed two in a row.
    assert _row(2, 3, 1, "67 %") in page
    assert "Alma Aldrig</strong>, Träningsgrupp Ekorre" in page
    assert "frånvarande 2 gånger i rad" in page


def test_a_check_in_counts_the_session_going_on_as_held(
    client, group, django_capture_on_commit_callbacks
):
    assert _row(2, 2, 1, "75 %") in _page(client, group["coach"])

    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_check_in(
            user=group["bo"], code=group["running"].checkin_code, session_id=group["running"].pk
        )

    assert _row(2, 3, 1, "80 %") in _page(client, group["coach"])


def test_a_member_who_leaves_leaves_the_absence_signal_at_once(
    client, group, django_capture_on_commit_callbacks
):
    alma = group["alma"]
    session_services.attendance_mark(
        session=group["ended"], marks={alma.pk: ABSENT}, marked_by=group["coach"]
    )
    page = _page(client, group["coach"])
    assert "Alma Aldrig</strong>, Träningsgrupp Ekorre" in page

    with django_capture_on_commit_callbacks(execute=True):
        cohort_end_membership(
            membership=CohortMembership.objects.get(cohort=group["cohort"], user=alma)
        )

    page = _page(client, group["coach"])
    assert "Alma Aldrig</strong>" not in page
    assert "Ingen medlem har varit frånvarande två gånger i rad." in page
    assert _row(1, 3, 1, "60 %") in page


def test_kept_figures_are_read_without_counting_until_a_write_commits(
    group, django_assert_num_queries, django_capture_on_commit_callbacks
):
    pk = group["cohort"].pk
    first = figures.group_figures([pk])
    with django_assert_num_queries(0):
        assert figures.group_figures([pk]) == first

    with django_capture_on_commit_callbacks(execute=True):
        session_services.attendance_mark(
            session=group["ended"],
            marks={group["alma"].pk: ABSENT, group["bo"].pk: PRESENT},
            marked_by=group["coach"],
        )

    again = figures.group_figures([pk])
    assert again.figures[pk]["held"] == first.figures[pk]["held"] + 1
    assert [row["name"] for row in again.absences] == ["Alma Aldrig"]


def test_figures_counted_while_a_write_commits_are_not_read_after_it(
    group, monkeypatch, django_capture_on_commit_callbacks
):
    """A page counts the figures from data read just before the coach's marks commit and
    stores them after: the next page counts again instead of reading the old figures."""
    pk = group["cohort"].pk
    count = figures._count

    def count_while_the_coach_saves(cohort_ids, *, now):
        counted = count(cohort_ids, now=now)
        with django_capture_on_commit_callbacks(execute=True):
            session_services.attendance_mark(
                session=group["ended"], marks={group["alma"].pk: ABSENT}, marked_by=group["coach"]
            )
        return counted

    monkeypatch.setattr(figures, "_count", count_while_the_coach_saves)
    assert figures.group_figures([pk]).figures[pk]["held"] == 2
    monkeypatch.setattr(figures, "_count", count)

    after = figures.group_figures([pk])
    assert after.figures[pk]["held"] == 3
    assert [row["name"] for row in after.absences] == ["Alma Aldrig"]


def test_a_session_that_starts_stops_counting_as_left_without_counting_again(
    group, django_assert_num_queries
):
    pk = group["cohort"].pk
    assert figures.group_figures([pk]).figures[pk]["left"] == 1
    later = group["coming"].starts_at + timedelta(minutes=1)
    with django_assert_num_queries(0):
        assert figures.group_figures([pk], now=later).figures[pk]["left"] == 0


def test_the_kept_figures_agree_with_the_counted_ones(group):
    other = CohortFactory(name="Träningsgrupp Tom")
    ids = [group["cohort"].pk, other.pk]
    now = timezone.now()
    figures.group_figures(ids, now=now)  # kept

    kept = figures.group_figures(ids, now=now)

    assert kept.figures == session_selectors.cohort_session_figures(ids, now=now)
    assert kept.absences == session_selectors.absence_signals(ids)
    assert figures.group_figures([]).figures == {}


def test_without_the_cache_server_the_figures_are_counted_for_the_request(
    group, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(figures.cache, "get_many", down)
    pk = group["cohort"].pk
    with caplog.at_level(logging.WARNING, logger="sessions.figures"):
        counted = figures.group_figures([pk])

    assert counted.figures[pk]["held"] == 2
    assert "counted live" in caplog.text


def test_the_periodic_marking_of_held_sessions_shows_on_the_page(
    client, group, django_capture_on_commit_callbacks
):
    """Attendance recorded before a session ended (a check-in while the session was
    planned still) counts once the periodic task marks the session held."""
    Invitation.objects.filter(session=group["ended"], user=group["bo"]).update(attendance=PRESENT)
    assert _row(2, 2, 1, "75 %") in _page(client, group["coach"])

    with django_capture_on_commit_callbacks(execute=True):
        assert session_services.sessions_mark_held() == 1

    assert _row(2, 3, 1, "80 %") in _page(client, group["coach"])
