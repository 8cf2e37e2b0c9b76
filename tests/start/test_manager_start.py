"""The manager's start page ("Min träning"): what Maja reads on it in the morning, and the
selectors it reads through, each with data and without. Maja is in "Grupp Ekbacken", run by
Karin; Olle is another manager whose things must never show on Maja's page."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import NetworkGroup, NetworkRound, Theme
from reflections import selectors as reflection_selectors
from reflections import services as reflection_services
from reflections.models import Feedback, Repetition
from reminders import selectors as reminder_selectors
from reminders.models import Reminder
from sessions import selectors as session_selectors
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    CohortFactory,
    CommitmentFactory,
    EntryFactory,
    InvitationFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)
from tests.support.pages import link

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRESENT = Invitation.Attendance.PRESENT
ABSENT = Invitation.Attendance.ABSENT


def text(response) -> str:
    """The page's main content as a person reads it: no tags, one space between words."""
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.S)
    words = re.sub(r"<[^>]+>", " ", main.group(0) if main else html)
    return re.sub(r"\s+", " ", unescape(words)).strip()


def start_page(client, user):
    client.force_login(user)
    response = client.get(reverse("start-manager"))
    assert response.status_code == 200
    return response


@pytest.fixture
def group(coach, manager):
    programme = ProgrammeFactory(
        coaches=[coach],
        starts_on=timezone.localdate() - timedelta(days=120),
        ends_on=timezone.localdate() + timedelta(days=240),
    )
    return CohortFactory(
        programme=programme, name="Grupp Ekbacken", coaches=[coach], members=[manager]
    )


def _session(cohort, starts_at, **fields) -> TrainingSession:
    return TrainingSessionFactory(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), **fields
    )


def _held(cohort, manager, *, days_ago=3, attendance=PRESENT, **fields) -> TrainingSession:
    session = _session(
        cohort,
        timezone.now() - timedelta(days=days_ago),
        status=TrainingSession.Status.HELD,
        **fields,
    )
    InvitationFactory(session=session, user=manager, attendance=attendance)
    return session


def _step(manager, session, *, base_on=None, step=1, **fields) -> Reminder:
    now = timezone.now()
    return Reminder.objects.create(
        key=f"test:{manager.pk}:{session.pk}:{step}",
        user=manager,
        kind=Reminder.Kind.REPETITION,
        session=session,
        step=step,
        offset_days=step,
        base_on=base_on or timezone.localdate(),
        due_at=now - timedelta(hours=1),
        status=fields.pop("status", Reminder.Status.SENT),
        sent_at=now - timedelta(hours=1),
        **fields,
    )


# --- The page, for someone with nothing yet ----------------------------------------------


def test_a_manager_without_a_group_is_told_whom_to_contact(client, manager):
    page = text(start_page(client, manager))

    assert "Välkommen, Maja" in page
    assert "Du är inte med i någon träningsgrupp än." in page
    assert "Kontakta HR för att få en plats i en grupp, via kommunens växel, 0227-60 00 00." in (
        page
    )
    assert "Inget väntar på dig." in page
    assert "Inget nytt sedan ditt senaste besök." in page
    assert "Efter din första träff syns din utveckling här" in page
    assert "Pågår nu" not in page and "Nästa träff" not in page


def test_the_page_names_the_persons_unit_and_forvaltning(client, manager):
    from tests.factories import EnhetFactory

    manager.department = EnhetFactory(name="Hemtjänsten", parent__name="Vård och omsorg")
    manager.save(update_fields=["department"])

    assert "Du är registrerad på Vård och omsorg › Hemtjänsten." in text(
        start_page(client, manager)
    )


def test_a_manager_in_a_group_without_sessions_is_pointed_to_the_coach(client, manager, group):
    response = start_page(client, manager)
    page = text(response)

    assert "Just nu finns inga träffar planerade för dig i Grupp Ekbacken." in page
    assert "Din ledartränare planerar träffarna. Frågor? Karin Tränare" in page
    assert link(response.content.decode(), "Karin Tränare").startswith("mailto:")


# --- Today ---------------------------------------------------------------------------------


def test_the_next_session_shows_its_day_time_place_and_group_in_swedish(client, manager, group):
    starts = datetime(2027, 3, 16, 13, 0, tzinfo=STOCKHOLM)
    later = _session(group, starts + timedelta(days=7), title="Leda andra, del 2")
    session = _session(group, starts, title="Leda andra", place="Kommunhuset, sal 3")
    for each in (session, later):
        InvitationFactory(session=each, user=manager)

    response = start_page(client, manager)
    page = text(response)

    assert "Nästa träff: Leda andra " in page
    assert "När Tisdag 16 mars 2027, 13:00–16:00" in page
    assert "Plats Kommunhuset, sal 3" in page
    assert "Träningsgrupp Grupp Ekbacken" in page
    assert "Leda andra, del 2" not in page
    excuse = reverse("training_sessions:excuse-report", args=[session.pk])
    assert f'action="{excuse}"' in response.content.decode()


def test_the_förhinder_button_reports_it_through_the_sessions_own_view(client, manager, group):
    session = _session(group, timezone.now() + timedelta(days=2), title="Leda sig själv")
    invitation = InvitationFactory(session=session, user=manager)
    start_page(client, manager)

    response = client.post(reverse("training_sessions:excuse-report", args=[session.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.has_excuse
    page = text(start_page(client, manager))
    assert "Du har anmält förhinder." in page
    assert "Jag kan komma ändå" in page


def test_a_session_going_on_now_offers_check_in_then_says_you_are_checked_in(
    client, manager, group
):
    session = _session(
        group, timezone.now() - timedelta(minutes=10), title="Leda i förändring", place="Sal 2"
    )
    InvitationFactory(session=session, user=manager)

    response = start_page(client, manager)
    page = text(response)
    assert "Pågår nu: Leda i förändring" in page
    assert link(response.content.decode(), "Checka in") == reverse("training_sessions:checkin")

    client.post(reverse("training_sessions:checkin"), {"code": session.checkin_code})
    page = text(start_page(client, manager))
    assert "Du är incheckad. Välkommen!" in page
    assert "Checka in" not in page


def test_a_cancelled_session_is_not_the_next_one(client, manager, group):
    cancelled = _session(
        group,
        timezone.now() + timedelta(days=1),
        title="Inställd träff",
        status=TrainingSession.Status.CANCELLED,
    )
    InvitationFactory(session=cancelled, user=manager)

    page = text(start_page(client, manager))

    assert "Inställd träff" not in page
    assert "Just nu finns inga träffar planerade för dig i Grupp Ekbacken." in page


# --- What is due ---------------------------------------------------------------------------


def test_todays_repetition_step_shows_key_points_and_the_coachs_question(
    client, manager, coach, group
):
    session = _held(
        group,
        manager,
        title="Tydlig kommunikation",
        key_points="Säg vad du menar.\nFråga tillbaka.",
    )
    prompt = reflection_services.prompt_create(
        coach=coach, question="När var du tydlig i veckan?", session=session
    )
    _step(manager, session)

    response = start_page(client, manager)
    page = text(response)

    assert "Repetera: Tydlig kommunikation" in page
    assert "Säg vad du menar." in page and "Fråga tillbaka." in page
    assert "Ledartränaren frågar: När var du tydlig i veckan?" in page
    write = link(response.content.decode(), "Skriv din reflektion")
    assert write == (f"{reverse('reflections:entry-create')}?traff={session.pk}&fraga={prompt.pk}")
    # The same question is not offered twice.
    assert "En fråga från din ledartränare" not in page


def test_the_repetition_step_goes_away_once_repeated(client, manager, group):
    session = _held(group, manager, title="Tydlig kommunikation")
    _step(manager, session)
    client.force_login(manager)
    client.post(reverse("reflections:repeat", args=[session.pk]))

    page = text(start_page(client, manager))

    assert "Repetera: Tydlig kommunikation" not in page
    assert "Repetitioner: 0 av 1 besvarad" in page  # the planner has not marked it yet


def test_the_coachs_newest_unanswered_question_and_due_commitments(client, manager, coach, group):
    theme_prompt = reflection_services.prompt_create(
        coach=coach,
        question="Hur leder du dig själv när det blåser?",
        theme_id=Theme.objects.first().pk,
    )
    today = timezone.localdate()
    CommitmentFactory(author=manager, text="Fråga teamet om veckans mål", due_on=today)
    CommitmentFactory(author=manager, text="Senare åtagande", due_on=today + timedelta(days=3))
    CommitmentFactory(
        author=manager,
        text="Redan uppföljt",
        due_on=today - timedelta(days=1),
        followed_up_at=timezone.now(),
        outcome="gjort",
    )

    response = start_page(client, manager)
    page = text(response)

    assert "En fråga från din ledartränare Hur leder du dig själv när det blåser?" in page
    assert link(response.content.decode(), "Svara i din journal").endswith(
        f"?fraga={theme_prompt.pk}"
    )
    assert "Fråga teamet om veckans mål" in page
    assert "Senare åtagande" not in page
    assert "Redan uppföljt" not in page

    EntryFactory(author=manager, prompt=theme_prompt)
    assert "Hur leder du dig själv" not in text(start_page(client, manager))


def test_a_missed_session_brings_a_make_up_offer(client, manager, coach, group):
    missed = _held(group, manager, title="Leda andra", attendance=ABSENT)
    other_group = CohortFactory(programme=group.programme, name="Grupp Björken", coaches=[coach])
    _session(
        other_group,
        datetime(2027, 3, 17, 9, 0, tzinfo=STOCKHOLM),
        title="Leda andra (Björken)",
        theme=missed.theme,
    )

    response = start_page(client, manager)
    page = text(response)

    assert f"Du missade ”Leda andra” ({missed.starts_at.astimezone(STOCKHOLM).day}" in page
    assert (
        "Ta igen den på ”Leda andra (Björken)”: onsdag 17 mars 2027, 09:00–12:00, Grupp Björken."
    ) in page


def test_a_session_attended_asks_for_its_evaluation_until_answered(client, manager, group):
    from evaluations.models import Answer

    held = _held(group, manager, title="Leda sig själv", days_ago=2)

    response = start_page(client, manager)
    assert "Hur användbar var ”Leda sig själv” för dig?" in text(response)
    assert link(response.content.decode(), "Utvärdera träffen") == reverse(
        "evaluations:evaluate", args=[held.pk]
    )

    Answer.objects.create(session=held, respondent=manager, usefulness=4)
    assert "Hur användbar var" not in text(start_page(client, manager))


# --- What is new --------------------------------------------------------------------------


def test_feedback_is_new_until_the_author_opens_the_entry(client, manager, coach, group):
    entry = EntryFactory(author=manager, title="Min första vecka", shared=True)
    reflection_services.feedback_give(
        entry=entry, coach=coach, text="Fint!", entry_url="https://x.invalid/"
    )

    page = text(start_page(client, manager))
    assert "Karin Tränare har gett dig återkoppling på ”Min första vecka”." in page

    # The coach reading the entry again does not make it seen for the author.
    client.force_login(coach)
    client.get(reverse("reflections:entry-read", args=[entry.pk]))
    assert "återkoppling på ”Min första vecka”" in text(start_page(client, manager))

    client.get(reverse("reflections:entry-edit", args=[entry.pk]))
    page = text(start_page(client, manager))
    assert "återkoppling på ”Min första vecka”" not in page
    assert "Inget nytt sedan ditt senaste besök." in page


def test_a_published_network_group_is_news_with_its_members(
    client, manager, other_manager, coach, group
):
    network_round = NetworkRound.objects.create(
        programme=group.programme,
        name="Nätverk våren",
        created_by=coach,
        published_at=timezone.now() - timedelta(days=2),
    )
    network_group = NetworkGroup.objects.create(round=network_round, number=2)
    network_group.members.set([manager, other_manager])

    page = text(start_page(client, manager))

    assert "Din nätverksgrupp är klar: grupp 2 i ”Nätverk våren”. Med: Olle Annanchef" in page

    network_round.published_at = None
    network_round.save()
    assert "Din nätverksgrupp" not in text(start_page(client, manager))


# --- Progress -----------------------------------------------------------------------------


def test_progress_gives_the_persons_own_figures(client, manager, other_manager, group):
    first = _held(group, manager, days_ago=10)
    second = _held(group, manager, days_ago=5, attendance=ABSENT)
    _step(manager, first, base_on=timezone.localdate() - timedelta(days=9))
    _step(manager, first, step=3, responded_at=timezone.now(), response="repeterat")
    today = timezone.localdate()
    CommitmentFactory(author=manager, due_on=today, followed_up_at=timezone.now(), outcome="gjort")
    CommitmentFactory(author=manager, due_on=today - timedelta(days=1))
    CommitmentFactory(author=manager, due_on=today + timedelta(days=5))  # not due: not counted
    EntryFactory.create_batch(3, author=manager)
    # Olle's figures never count on Maja's page.
    _held(group, other_manager, days_ago=5)
    EntryFactory.create_batch(4, author=other_manager)
    CommitmentFactory(author=other_manager, due_on=today)
    assert second

    page = text(start_page(client, manager))

    assert "Träffar: med på 1 av 2 genomförda" in page
    assert "Repetitioner: 1 av 2 besvarade" in page
    assert "Åtaganden: 1 av 2 uppföljda" in page
    since = "1 januari" if today.month < 7 else "1 juli"
    assert f"Journalen: 3 anteckningar sedan {since}" in page


def test_other_managers_things_never_show(client, manager, other_manager, coach, group):
    olle_group = CohortFactory(
        programme=group.programme, name="Olles grupp", coaches=[coach], members=[other_manager]
    )
    session = _session(olle_group, timezone.now() + timedelta(days=1), title="Olles träff")
    InvitationFactory(session=session, user=other_manager)
    CommitmentFactory(author=other_manager, text="Olles åtagande")
    entry = EntryFactory(author=other_manager, title="Olles anteckning", shared=True)
    reflection_services.feedback_give(
        entry=entry, coach=coach, text="Bra", entry_url="https://x.invalid/"
    )

    page = text(start_page(client, manager))

    for theirs in ("Olles träff", "Olles åtagande", "Olles anteckning", "Olles grupp"):
        assert theirs not in page


def test_only_managers_open_the_page(client, coach, hr_user):
    for person in (coach, hr_user):
        client.force_login(person)
        assert client.get(reverse("start-manager")).status_code == 403


# --- The selectors on their own -------------------------------------------------------------


def test_next_invitation_is_the_running_or_next_session(manager, group):
    assert session_selectors.next_invitation(manager) is None
    past = _held(group, manager)
    soon = _session(group, timezone.now() + timedelta(hours=2))
    running = _session(group, timezone.now() - timedelta(hours=1))
    for session in (soon, running):
        InvitationFactory(session=session, user=manager)
    assert past

    assert session_selectors.next_invitation(manager).session == running
    assert session_selectors.next_invitation(manager, now=running.ends_at).session == soon


def test_attendance_progress(manager, group):
    assert session_selectors.attendance_progress(manager) == {"held": 0, "attended": 0}
    _held(group, manager)
    _held(group, manager, attendance=ABSENT)
    InvitationFactory(session=_session(group, timezone.now() + timedelta(days=1)), user=manager)

    assert session_selectors.attendance_progress(manager) == {"held": 2, "attended": 1}


def test_repetition_step_due_and_progress(manager, other_manager, group):
    today = timezone.localdate()
    assert reminder_selectors.repetition_step_due(manager, today=today) is None
    assert reminder_selectors.repetition_progress(manager) == {"sent": 0, "answered": 0}

    attended = _held(group, manager)
    missed = _held(group, manager, attendance=ABSENT)
    old = _step(manager, attended, base_on=today - timedelta(days=40))
    _step(manager, missed, step=2)  # not attended: never due
    tomorrow = _step(manager, attended, step=5, base_on=today + timedelta(days=1))
    step = _step(manager, attended, step=3)

    assert reminder_selectors.repetition_step_due(manager, today=today) == step
    assert reminder_selectors.repetition_step_due(other_manager, today=today) is None
    # Repeated today: answered, and an older step (40 days) is too old to come back.
    Repetition.objects.create(author=manager, session=attended)
    assert reminder_selectors.repetition_step_due(manager, today=today) is None
    assert old and tomorrow
    assert reminder_selectors.repetition_progress(manager) == {"sent": 4, "answered": 0}


def test_commitments_due_prompt_and_journal_progress(manager, coach, group):
    today = timezone.localdate()
    assert list(reflection_selectors.commitments_due(manager, today=today)) == []
    assert reflection_selectors.newest_open_prompt(manager) is None
    assert reflection_selectors.journal_progress(manager, today=today, since=today) == {
        "entries": 0,
        "commitments": 0,
        "followed_up": 0,
    }
    due = CommitmentFactory(author=manager, due_on=today)
    CommitmentFactory(author=manager, due_on=today + timedelta(days=1))
    older = reflection_services.prompt_create(
        coach=coach, question="Äldre", theme_id=Theme.objects.first().pk
    )
    newer = reflection_services.prompt_create(
        coach=coach, question="Nyare", theme_id=Theme.objects.first().pk
    )
    EntryFactory(author=manager, prompt=newer, written_on=today)
    EntryFactory(author=manager, written_on=today - timedelta(days=1))

    assert list(reflection_selectors.commitments_due(manager, today=today)) == [due]
    assert reflection_selectors.newest_open_prompt(manager) == older
    assert reflection_selectors.journal_progress(manager, today=today, since=today) == {
        "entries": 1,
        "commitments": 1,
        "followed_up": 0,
    }


def test_feedback_unseen(manager, coach):
    assert list(reflection_selectors.feedback_unseen(manager)) == []
    entry = EntryFactory(author=manager, shared=True)
    seen = Feedback.objects.create(entry=entry, coach=coach, text="a", seen_at=timezone.now())
    new = Feedback.objects.create(entry=entry, coach=coach, text="b")
    trashed = EntryFactory(author=manager, shared=True, deleted_at=timezone.now())
    Feedback.objects.create(entry=trashed, coach=coach, text="c")

    assert list(reflection_selectors.feedback_unseen(manager)) == [new]
    assert seen

    reflection_services.feedback_mark_seen(entry=entry, reader=coach)
    assert list(reflection_selectors.feedback_unseen(manager)) == [new]
    reflection_services.feedback_mark_seen(entry=entry, reader=manager)
    assert list(reflection_selectors.feedback_unseen(manager)) == []
