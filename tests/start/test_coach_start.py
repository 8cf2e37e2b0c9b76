"""The coach's start page (issue 20) and a training group's progress page: what the coach
reads, with data and without, and that another group's coach never sees it. The sections'
selectors are tested on their own first."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from portal.start.coach_overview import current_cohorts
from programme.models import CohortMembership
from programme.services import cohort_add_member
from reflections import selectors as reflection_selectors
from reflections import services as reflection_services
from reflections.models import Commitment, Entry, Feedback
from reminders import selectors as reminder_selectors
from reminders.models import Reminder
from sessions import selectors as session_selectors
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    CoachFactory,
    CohortFactory,
    EntryFactory,
    HRFactory,
    InvitationFactory,
    ManagerFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

PRESENT = Invitation.Attendance.PRESENT
ABSENT = Invitation.Attendance.ABSENT
EXCUSED = Invitation.Attendance.EXCUSED
HELD = TrainingSession.Status.HELD
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def _swedish_day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def _hm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _held(cohort, days_ago: int, marks: dict, title: str) -> TrainingSession:
    starts = timezone.now() - timedelta(days=days_ago)
    session = TrainingSessionFactory(
        cohort=cohort, title=title, starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    session.status = HELD
    session.save(update_fields=["status"])
    for user, mark in marks.items():
        InvitationFactory(session=session, user=user, attendance=mark)
    return session


def _share(entry: Entry, *, days_ago: float) -> Entry:
    reflection_services.entry_share(entry=entry)
    Entry.objects.filter(pk=entry.pk).update(shared_at=timezone.now() - timedelta(days=days_ago))
    entry.refresh_from_db()
    return entry


def _steps(user, session, *, sent: int, answered: int) -> None:
    now = timezone.now()
    for step in range(sent):
        Reminder.objects.create(
            key=f"test:{user.pk}:{session.pk}:{step}",
            user=user,
            kind=Reminder.Kind.REPETITION,
            session=session,
            step=step + 1,
            offset_days=1,
            base_on=timezone.localdate(),
            due_at=now,
            status=Reminder.Status.SENT,
            sent_at=now,
            responded_at=now if step < answered else None,
        )


@pytest.fixture
def scene(db) -> dict:
    """Karin coaches Träningsgrupp Ekorre: Alma missed the last two held sessions, Bo came
    to both, Cilla had förhinder and then was absent once; a session is going on now, one
    is tomorrow morning, one in ten days and one tomorrow is cancelled. Olof coaches
    Träningsgrupp Räv, whose Rut missed two sessions and shared an entry."""
    coach = CoachFactory(full_name="Karin Tränare")
    alma = ManagerFactory(full_name="Alma Aldrig")
    bo = ManagerFactory(full_name="Bo Bra")
    cilla = ManagerFactory(full_name="Cilla Centrum")
    former = ManagerFactory(full_name="Frida Före")
    cohort = CohortFactory(
        name="Träningsgrupp Ekorre",
        coaches=[coach],
        programme__coaches=[coach],
        # The group started three months ago (the factory's default is next year).
        programme__starts_on=timezone.localdate() - timedelta(days=90),
        programme__ends_on=timezone.localdate() + timedelta(days=200),
        members=[alma, bo, cilla, former],
    )
    CohortMembership.objects.filter(cohort=cohort, user=former).update(left_on=cohort.starts_on)
    _held(cohort, 20, {alma: ABSENT, bo: PRESENT, cilla: EXCUSED}, "Uppstart")
    second = _held(cohort, 10, {alma: ABSENT, bo: PRESENT, cilla: ABSENT}, "Andra träffen")
    now = timezone.now()
    running = TrainingSessionFactory(
        cohort=cohort,
        title="Pågående träff",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        place="Lilla salen",
    )
    for person in (alma, bo, cilla):
        InvitationFactory(session=running, user=person, attendance=PRESENT if person == bo else "")
    tomorrow_nine = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(9))
    )
    tomorrow = TrainingSessionFactory(
        cohort=cohort,
        title="Morgondagens träff",
        starts_at=tomorrow_nine,
        ends_at=tomorrow_nine + timedelta(hours=3),
        place="Stora salen",
    )
    InvitationFactory(session=tomorrow, user=alma)
    InvitationFactory(session=tomorrow, user=bo, excused_at=now)
    cancelled = TrainingSessionFactory(
        cohort=cohort,
        title="Inställd träff",
        starts_at=tomorrow_nine + timedelta(hours=4),
        ends_at=tomorrow_nine + timedelta(hours=5),
    )
    cancelled.status = TrainingSession.Status.CANCELLED
    cancelled.save(update_fields=["status"])
    TrainingSessionFactory(cohort=cohort, title="Långt fram", starts_at=now + timedelta(days=10))

    first_shared = _share(EntryFactory(author=bo, title="Första delningen"), days_ago=3)
    second_shared = _share(EntryFactory(author=alma, title="Andra delningen"), days_ago=1)
    answered = _share(EntryFactory(author=bo, title="Redan besvarad"), days_ago=5)
    Feedback.objects.create(entry=answered, coach=coach, text="Fint!")
    EntryFactory(author=alma, title="Hemligt", body="HEMLIG-TEXT")
    prompt = reflection_services.prompt_create(
        coach=coach, question="Vad tar du med dig?", session=second
    )
    answer = _share(EntryFactory(author=cilla, title="Mitt svar", prompt=prompt), days_ago=2)
    old_answer = _share(EntryFactory(author=bo, title="Gammalt svar", prompt=prompt), days_ago=30)
    Feedback.objects.create(entry=old_answer, coach=coach, text="Tack")
    EntryFactory(author=alma, title="Privat svar", prompt=prompt)
    _steps(bo, second, sent=2, answered=1)
    _steps(alma, second, sent=2, answered=0)
    Commitment.objects.create(author=bo, text="Prova A", due_on=timezone.localdate())
    Commitment.objects.create(
        author=bo,
        text="Prova B",
        due_on=timezone.localdate(),
        followed_up_at=now,
        outcome=Commitment.Outcome.DONE,
    )

    other_coach = CoachFactory(full_name="Olof Annan")
    rut = ManagerFactory(full_name="Rut Räv")
    other = CohortFactory(
        name="Träningsgrupp Räv",
        coaches=[other_coach],
        programme__coaches=[other_coach],
        members=[rut],
    )
    _held(other, 9, {rut: ABSENT}, "Räv ett")
    _held(other, 8, {rut: ABSENT}, "Räv två")
    TrainingSessionFactory(cohort=other, title="Rävens träff i dag", starts_at=now)
    _share(EntryFactory(author=rut, title="Räv delar"), days_ago=4)
    return {
        "coach": coach,
        "other_coach": other_coach,
        "cohort": cohort,
        "other": other,
        "alma": alma,
        "bo": bo,
        "cilla": cilla,
        "rut": rut,
        "running": running,
        "tomorrow": tomorrow,
        "second": second,
        "first_shared": first_shared,
        "second_shared": second_shared,
        "answer": answer,
    }


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r">\s+<", "><", response.content.decode())


# ----------------------------------------------------------------------------------------------
# The selectors, each on its own.


def test_coach_sessions_between_puts_the_one_going_on_first_with_its_counts(scene):
    now = timezone.now()
    earlier = TrainingSessionFactory(
        cohort=scene["cohort"],
        title="Tidigare i dag",
        starts_at=now - timedelta(hours=5),
        ends_at=now - timedelta(hours=4),
    )
    sessions = session_selectors.coach_sessions_between(
        scene["coach"], start=now - timedelta(hours=6), end=now + timedelta(days=2), now=now
    )

    assert [s.title for s in sessions] == [
        "Pågående träff",
        "Tidigare i dag",
        "Morgondagens träff",
    ]
    running, ended, tomorrow = sessions
    assert running.is_now and ended.pk == earlier.pk and not ended.is_now
    assert (running.invited, running.excused, running.present) == (3, 0, 1)
    assert (tomorrow.invited, tomorrow.excused, tomorrow.present) == (2, 1, 0)


def test_coach_sessions_between_is_empty_for_a_coach_without_sessions(db):
    now = timezone.now()
    assert (
        session_selectors.coach_sessions_between(
            CoachFactory(), start=now - timedelta(days=1), end=now + timedelta(days=7), now=now
        )
        == []
    )


def test_cohort_session_figures_count_held_left_and_attendance(scene):
    other = CohortFactory()
    figures = session_selectors.cohort_session_figures(
        [scene["cohort"].pk, other.pk], now=timezone.now()
    )

    # Held: two; left: tomorrow's and the one in ten days (not the cancelled one nor the one
    # going on). Recorded marks at held sessions: six, two of them present.
    assert figures[scene["cohort"].pk] == {
        "held": 2,
        "left": 2,
        "present": 2,
        "recorded": 6,
        "rate": 33,
    }
    assert figures[other.pk] == {"held": 0, "left": 0, "present": 0, "recorded": 0, "rate": None}
    assert session_selectors.cohort_session_figures([], now=timezone.now()) == {}


def test_absence_signals_agree_with_the_cohort_attendance_streaks(scene):
    cohorts = [scene["cohort"], scene["other"]]
    signals = session_selectors.absence_signals([c.pk for c in cohorts])

    assert [(row["name"], row["cohort_name"], row["streak"]) for row in signals] == [
        ("Alma Aldrig", "Träningsgrupp Ekorre", 2),
        ("Rut Räv", "Träningsgrupp Räv", 2),
    ]
    for cohort in cohorts:
        assert {
            row["user_id"]: row["streak"] for row in signals if row["cohort_id"] == cohort.pk
        } == session_selectors.absence_streaks(cohort)


def test_absence_signals_end_when_the_member_attends_or_leaves(scene):
    cohort = scene["cohort"]
    _held(cohort, 5, {scene["alma"]: PRESENT}, "Tillbaka")
    assert session_selectors.absence_signals([cohort.pk]) == []
    _held(cohort, 4, {scene["cilla"]: ABSENT}, "Igen")  # Cilla: absent twice since förhinder
    assert [row["name"] for row in session_selectors.absence_signals([cohort.pk])] == [
        "Cilla Centrum"
    ]
    CohortMembership.objects.filter(cohort=cohort, user=scene["cilla"]).update(
        left_on=F("joined_on")
    )
    assert session_selectors.absence_signals([cohort.pk]) == []
    assert session_selectors.absence_signals([]) == []


def test_an_absence_streak_counts_only_since_the_last_session_attended_in_that_group(scene):
    """Bo attended Ekorre's sessions, then missed three, with an earlier absence before his
    last attendance; he also attends Räv, later. Only Ekorre's three count."""
    bo, cohort, other = scene["bo"], scene["cohort"], scene["other"]
    _held(cohort, 40, {bo: ABSENT}, "Tidig frånvaro")
    cohort_add_member(cohort=other, user=bo, joined_on=other.starts_on)
    for days_ago, title in ((9, "Tredje"), (8, "Fjärde"), (7, "Femte")):
        _held(cohort, days_ago, {bo: ABSENT}, title)
    _held(other, 1, {bo: PRESENT}, "Räv senare")

    signals = session_selectors.absence_signals([cohort.pk, other.pk])

    assert [(row["name"], row["cohort_name"], row["streak"]) for row in signals] == [
        ("Bo Bra", "Träningsgrupp Ekorre", 3),
        ("Alma Aldrig", "Träningsgrupp Ekorre", 2),
        ("Rut Räv", "Träningsgrupp Räv", 2),
    ]
    assert session_selectors.absence_streaks(cohort)[bo.pk] == 3


def test_member_attendance_counts(scene):
    counts = session_selectors.member_attendance_counts(
        scene["cohort"], [scene["alma"].pk, scene["cilla"].pk, scene["rut"].pk]
    )
    assert counts == {
        scene["alma"].pk: {"present": 0, "absent": 2, "excused": 0},
        scene["cilla"].pk: {"present": 0, "absent": 1, "excused": 1},
    }
    assert session_selectors.member_attendance_counts(scene["cohort"], []) == {}


def test_shared_waiting_for_feedback_is_unanswered_shared_entries_oldest_first(scene):
    waiting = reflection_selectors.shared_waiting_for_feedback(scene["coach"])
    assert [entry.title for entry in waiting] == [
        "Första delningen",
        "Mitt svar",
        "Andra delningen",
    ]
    assert [
        e.title for e in reflection_selectors.shared_waiting_for_feedback(scene["other_coach"])
    ] == ["Räv delar"]
    assert not reflection_selectors.shared_waiting_for_feedback(CoachFactory()).exists()


def test_prompt_answers_new_are_shared_and_recent(scene):
    answers = reflection_selectors.prompt_answers_new(scene["coach"])
    assert [(e.title, e.prompt.question) for e in answers] == [("Mitt svar", "Vad tar du med dig?")]
    assert not reflection_selectors.prompt_answers_new(scene["other_coach"]).exists()


def test_member_commitment_counts(scene):
    since = scene["cohort"].starts_on - timedelta(days=3650)
    counts = reflection_selectors.member_commitment_counts(
        [scene["bo"].pk, scene["alma"].pk], since=since
    )
    assert counts == {scene["bo"].pk: {"made": 2, "followed_up": 1}}
    later = timezone.localdate() + timedelta(days=1)
    assert reflection_selectors.member_commitment_counts([scene["bo"].pk], since=later) == {}


def test_repetition_response_by_cohort_and_member(scene):
    cohort, other = scene["cohort"], scene["other"]
    assert reminder_selectors.repetition_response_by_cohort([cohort.pk, other.pk]) == {
        cohort.pk: {"sent": 4, "answered": 1, "rate": 25}
    }
    assert reminder_selectors.repetition_response_by_member(
        cohort, [scene["bo"].pk, scene["alma"].pk, scene["cilla"].pk]
    ) == {
        scene["bo"].pk: {"sent": 2, "answered": 1},
        scene["alma"].pk: {"sent": 2, "answered": 0},
    }


def test_current_cohorts_leave_the_start_page_a_month_after_they_end(scene):
    today = timezone.localdate()
    for name, ended_days_ago in (("Slutade nyss", 10), ("Slutade länge sedan", 40)):
        CohortFactory(
            name=name,
            coaches=[scene["coach"]],
            programme__starts_on=today - timedelta(days=400),
            programme__ends_on=today - timedelta(days=ended_days_ago),
        )
    names = [c.name for c in current_cohorts(scene["coach"], today=today)]

    assert names == ["Slutade nyss", "Träningsgrupp Ekorre"]  # the earliest started first
    assert current_cohorts(CoachFactory(), today=today) == []


# ----------------------------------------------------------------------------------------------
# The start page.


def test_the_coach_reads_today_the_week_the_queue_the_signal_and_the_groups(client, scene):
    client.force_login(scene["coach"])
    page = _text(client.get(reverse("start-coach")))

    # Today: the session going on now, first, with its times, counts and links.
    running, tomorrow = scene["running"], scene["tomorrow"]
    assert "Pågår nu" in page
    assert f"{_hm(running.starts_at)}–{_hm(running.ends_at)}" in page
    assert "Pågående träff</a>, Träningsgrupp Ekorre, Lilla salen" in page
    assert "3 inbjudna · 0 med förhinder · 1 närvarande" in page
    assert reverse("training_sessions:session-detail", args=[running.pk]) in page
    assert reverse("reflections:digest", args=[running.pk]) in page
    # The coming week: tomorrow's session with its day in Swedish; not the cancelled one,
    # not the one in ten days.
    assert f"{_swedish_day(tomorrow.starts_at).capitalize()}, 09:00–12:00" in page
    assert "2 inbjudna · 1 med förhinder" in page
    assert page.index("Pågående träff") < page.index("Morgondagens träff")
    assert "Inställd träff" not in page and "Långt fram" not in page

    # Waiting for feedback: the oldest first, the answered and private ones never.
    assert "Väntar på din återkoppling" in page
    assert page.index("Första delningen") < page.index("Mitt svar") < page.index("Andra delningen")
    assert reverse("reflections:entry-read", args=[scene["first_shared"].pk]) in page
    assert "Bo Bra, delad " in page
    for hidden in ("Redan besvarad", "Hemligt", "HEMLIG-TEXT", "Privat svar"):
        assert hidden not in page
    # New answers to the coach's questions.
    assert "Svarar på: Vad tar du med dig?" in page

    # The absence signal, with the way to the member's attendance.
    assert "Alma Aldrig</strong>, Träningsgrupp Ekorre" in page
    assert "frånvarande 2 gånger i rad" in page
    assert reverse("training_sessions:cohort-attendance", args=[scene["cohort"].pk]) in page
    assert "Cilla Centrum</strong>" not in page

    # The group: 3 members (not the one who left), 2 held, 2 left, 33 % attendance,
    # 25 % of the repetition steps answered, and its progress page.
    assert (
        'Träningsgrupp Ekorre</a></th><td class="text-end">3</td><td class="text-end">2</td>'
        '<td class="text-end">2</td><td class="text-end">33 %</td>'
        '<td class="text-end">25 %</td>'
    ) in page
    assert reverse("cohort-progress", args=[scene["cohort"].pk]) in page
    assert "Börja med en träningsgrupp" not in page


def test_another_groups_coach_sees_none_of_it(client, scene):
    client.force_login(scene["other_coach"])
    page = _text(client.get(reverse("start-coach")))

    assert "Träningsgrupp Räv" in page and "Räv delar" in page and "Rut Räv" in page
    for theirs in (
        "Träningsgrupp Ekorre",
        "Pågående träff",
        "Morgondagens träff",
        "Första delningen",
        "Mitt svar",
        "Alma Aldrig",
        "Bo Bra",
    ):
        assert theirs not in page


def test_a_coach_without_groups_is_told_what_to_do_next(client, db):
    nina = CoachFactory(full_name="Nina Ny")
    ProgrammeFactory(name="Ledarskap 2027", coaches=[nina])
    client.force_login(nina)
    page = _text(client.get(reverse("start-coach")))

    assert "Välkommen, Nina" in page
    assert "Börja med en träningsgrupp" in page
    assert f'href="{reverse("programme:cohort-create")}"' in page
    assert client.get(reverse("programme:cohort-create")).status_code == 200
    assert "Inga träffar i dag." in page
    assert "Inga träffar de kommande sju dagarna." in page
    assert "Ingen delad reflektion väntar på återkoppling." in page
    assert "Inga delade svar på dina frågor de senaste två veckorna." in page
    assert "Ingen medlem har varit frånvarande två gånger i rad." in page
    assert "Du har inga träningsgrupper ännu." in page
    assert "Pågår nu" not in page


def test_a_coach_of_no_programme_is_told_whom_to_ask_not_offered_a_form_they_may_not_use(
    client, db
):
    client.force_login(CoachFactory(full_name="Nina Ny"))
    page = _text(client.get(reverse("start-coach")))

    assert "Du är inte ledartränare i något program ännu" in page
    assert "Be HR att lägga till dig i ett program: via kommunens växel, 0227-60 00 00." in page
    assert reverse("programme:cohort-create") not in page
    assert "Börja med en träningsgrupp" not in page
    # The form it used to offer refuses a coach of no programme.
    assert client.get(reverse("programme:cohort-create")).status_code == 403


def test_the_queue_shows_the_ten_oldest_and_says_how_many_wait(client, scene):
    for n in range(10):
        _share(EntryFactory(author=scene["bo"], title=f"Kö {n}"), days_ago=0.5 - n / 100)
    client.force_login(scene["coach"])
    page = _text(client.get(reverse("start-coach")))

    assert '<span class="badge text-bg-secondary">13</span>' in page
    assert "Här visas de 10 äldsta av 13." in page
    assert "Kö 6" in page and "Kö 7" not in page  # the three newest wait for "see all"


def test_managers_and_hr_are_refused_the_coach_start_page(client, scene):
    for person in (scene["bo"], HRFactory()):
        client.force_login(person)
        assert client.get(reverse("start-coach")).status_code == 403


# ----------------------------------------------------------------------------------------------
# The progress page.


def test_the_progress_page_counts_per_member_and_never_shows_text(client, scene):
    client.force_login(scene["coach"])
    page = _text(client.get(reverse("cohort-progress", args=[scene["cohort"].pk])))

    assert "Framsteg, Träningsgrupp Ekorre" in page
    assert "gruppens 2 genomförda träffar" in page
    # Name, present, absent, förhinder, steps answered, commitments followed up.
    assert (
        'Bo Bra</th><td class="text-end">2</td><td class="text-end">0</td>'
        '<td class="text-end">0</td><td class="text-end">1 av 2</td>'
        '<td class="text-end">1 av 2</td>'
    ) in page
    assert (
        'Alma Aldrig</th><td class="text-end">0</td><td class="text-end">2</td>'
        '<td class="text-end">0</td><td class="text-end">0 av 2</td>'
        '<td class="text-end">0 av 0</td>'
    ) in page
    assert (
        'Cilla Centrum</th><td class="text-end">0</td><td class="text-end">1</td>'
        '<td class="text-end">1</td>'
    ) in page
    for hidden in ("Frida Före", "Rut Räv", "HEMLIG-TEXT", "Prova A", "Första delningen"):
        assert hidden not in page


def test_the_progress_page_of_a_group_without_members(client, scene):
    empty = CohortFactory(name="Tom grupp", coaches=[scene["coach"]])
    client.force_login(scene["coach"])
    page = _text(client.get(reverse("cohort-progress", args=[empty.pk])))

    assert "Gruppen har inga medlemmar ännu." in page
    assert "gruppens 0 genomförda träffar" in page


def test_the_progress_page_is_paged(client, scene):
    for n in range(30):
        CohortMembership.objects.create(
            cohort=scene["cohort"],
            programme=scene["cohort"].programme,
            user=ManagerFactory(full_name=f"Zeta {n:02}"),
        )
    client.force_login(scene["coach"])
    url = reverse("cohort-progress", args=[scene["cohort"].pk])
    first = _text(client.get(url))
    second = _text(client.get(url, {"page": 2}))

    assert first.count('<th scope="row">') == 25 and "Zeta 21" in first
    assert second.count('<th scope="row">') == 8 and "Zeta 29" in second


def test_only_the_groups_coaches_see_its_progress(client, scene):
    url = reverse("cohort-progress", args=[scene["cohort"].pk])
    client.force_login(scene["other_coach"])
    assert client.get(url).status_code == 404
    for person in (scene["bo"], HRFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 403
    # A coach of the programme only (not of the group) may.
    programme_coach = CoachFactory()
    scene["cohort"].programme.coaches.add(programme_coach)
    client.force_login(programme_coach)
    assert client.get(url).status_code == 200
