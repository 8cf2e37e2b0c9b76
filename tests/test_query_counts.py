"""Every key page makes the same number of SQL queries with ten times the data.

One builder, `grow(world, multiplier)`, adds `multiplier` units of data around the same
people: per unit a förvaltning with two enheter and their managers in the training group,
held, upcoming and open make-up sessions with invitations and attendance, journal entries
(private, shared, with feedback, commitments, ratings and ledord), reflection questions,
repetition steps and sick-leave figures. Each page is measured, as the person who uses it,
after one unit and again after ten; the counts must be equal, and on a mismatch the message
lists the statements whose count changed (the N+1) and every query of both runs.

Other query-count tests, which grow other things, stay where they are:
tests/training_sessions/test_pages.py (schedule for coach and HR, week and month views, Mina
träffar), tests/reflections/test_journal.py (journal list, commitments, shared list),
tests/programme/test_pages.py (cohort list and page with network rounds, programme pages,
Min grupp) and tests/reports/test_pages_and_exports.py (dashboard and exports with more
managers per unit).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from evaluations.models import Answer
from health.services import heartbeat_record
from notifications.models import OutboxMessage
from privacy.models import RetentionRun
from programme import services as programme_services
from programme.models import Cohort, Keyword, NetworkGroup, NetworkRound, Programme, Theme
from reflections import services as reflection_services
from reflections.models import Commitment, Entry, Feedback, LedordRating
from reminders.models import Reminder
from reports.models import SickLeaveFigure
from sessions.models import Invitation, TrainingSession
from tests.factories import (
    AdminFactory,
    CoachFactory,
    CohortFactory,
    EnhetFactory,
    ForvaltningFactory,
    HRFactory,
    ManagerFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

PRESENT = Invitation.Attendance.PRESENT
ABSENT = Invitation.Attendance.ABSENT
EXCUSED = Invitation.Attendance.EXCUSED


@dataclass
class World:
    """The people who look at the pages, and the fixed things they look at."""

    manager: User
    coach: User
    hr: User
    programme: Programme
    cohort: Cohort
    other_cohort: Cohort
    attendance_session: TrainingSession
    entry: Entry
    themes: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    units: int = 0
    admin: User | None = None


@pytest.fixture
def world(db) -> World:
    today = timezone.localdate()
    coach = CoachFactory(full_name="Karin Tränare")
    hr = HRFactory(full_name="Hanna HR")
    manager = ManagerFactory(full_name="Maja Chef")
    programme = ProgrammeFactory(
        coaches=[coach], starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=200)
    )
    cohort = CohortFactory(programme=programme, coaches=[coach], members=[manager])
    other_cohort = CohortFactory(programme=programme, coaches=[coach])
    now = timezone.now()
    # Going on now: the coach marks attendance on its page.
    attendance_session = _session(
        programme, cohort, now - timedelta(hours=1), coach, title="Pågående träff"
    )
    Invitation.objects.create(session=attendance_session, user=manager)
    themes, keywords = list(Theme.objects.all()), list(Keyword.objects.all())
    entry = reflection_services.entry_create(
        author=manager,
        data=reflection_services.EntryData(
            title="Min anteckning",
            body="Om ledarskap i förändring.",
            written_on=today,
            session_id=attendance_session.pk,
            theme_id=themes[0].pk,
            keyword_ids=tuple(k.pk for k in keywords),
        ),
    )
    reflection_services.entry_share(entry=entry)
    return World(
        manager=manager,
        coach=coach,
        hr=hr,
        programme=programme,
        cohort=cohort,
        other_cohort=other_cohort,
        attendance_session=attendance_session,
        entry=entry,
        themes=themes,
        keywords=keywords,
        admin=AdminFactory(full_name="Adam Admin"),
    )


def _session(programme, cohort, starts_at, coach, **fields) -> TrainingSession:
    session = TrainingSession.objects.create(
        programme=programme,
        cohort=cohort,
        format=fields.pop("format", TrainingSession.Format.THEORY),
        title=fields.pop("title", "Träff"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **fields,
    )
    session.coaches.add(coach)
    return session


def grow(world: World, multiplier: int) -> None:
    """Add `multiplier` units of everything the key pages list or count."""
    for _ in range(multiplier):
        world.units += 1
        _add_unit(world, world.units)


def _add_unit(world: World, k: int) -> None:
    now, today = timezone.now(), timezone.localdate()
    theme = world.themes[k % len(world.themes)]
    manager, coach = world.manager, world.coach

    # The organisation: a förvaltning, two enheter, three managers in the training group
    # and one in the other group.
    forvaltning = ForvaltningFactory()
    enheter = EnhetFactory.create_batch(2, parent=forvaltning)
    members = [ManagerFactory(department=enheter[j % 2]) for j in range(3)]
    for member in members:
        programme_services.cohort_add_member(
            cohort=world.cohort, user=member, joined_on=world.cohort.starts_on
        )
    other = ManagerFactory(department=enheter[1])
    # And one in no training group (HR's list of people to place).
    ManagerFactory(department=enheter[k % 2])
    programme_services.cohort_add_member(
        cohort=world.other_cohort, user=other, joined_on=world.other_cohort.starts_on
    )

    # Sessions: held in the training group, upcoming in it and in the other group (same
    # theme: a make-up offer), and an open make-up session.
    held = _session(
        world.programme,
        world.cohort,
        now - timedelta(days=k + 1),
        coach,
        theme=theme,
        status=TrainingSession.Status.HELD,
        title=f"Genomförd träff {k}",
    )
    upcoming = _session(
        world.programme,
        world.cohort,
        now + timedelta(days=k + 1),
        coach,
        theme=theme,
        title=f"Kommande träff {k}",
        place=f"Sal {k}",
    )
    elsewhere = _session(
        world.programme,
        world.other_cohort,
        now + timedelta(days=k + 2),
        coach,
        theme=theme,
        title=f"Annan grupps träff {k}",
    )
    open_session = _session(
        world.programme,
        None,
        now + timedelta(days=k + 3),
        coach,
        capacity=10,
        format=TrainingSession.Format.FOLLOW_UP,
        title=f"Öppen träff {k}",
    )
    marks = [PRESENT, ABSENT, EXCUSED]
    Invitation.objects.bulk_create(
        [
            Invitation(
                session=held,
                user=manager,
                attendance=ABSENT if k % 2 else PRESENT,
                attendance_marked_at=now,
                attendance_marked_by=coach,
            ),
            *(
                Invitation(
                    session=held,
                    user=member,
                    attendance=marks[j],
                    attendance_marked_at=now,
                    attendance_marked_by=coach,
                    excused_at=now - timedelta(days=k + 3) if marks[j] == EXCUSED else None,
                )
                for j, member in enumerate(members)
            ),
            Invitation(session=upcoming, user=manager, excused_at=now if k % 2 else None),
            *(Invitation(session=upcoming, user=member) for member in members),
            Invitation(session=elsewhere, user=other),
            Invitation(session=open_session, user=members[0], is_makeup=True),
            # The session going on now: more people to mark, one with förhinder.
            *(
                Invitation(
                    session=world.attendance_session,
                    user=member,
                    attendance=PRESENT if j == 0 else "",
                    excused_at=now - timedelta(days=1) if j == 1 else None,
                    excuse_comment="Sjuk" if j == 1 else "",
                )
                for j, member in enumerate(members)
            ),
        ]
    )

    # The manager's own journal, written through the services: a private entry, a shared
    # one with the coach's feedback, one with a commitment and a rating; and more
    # feedback on the entry the editor opens.
    private = reflection_services.entry_create(
        author=manager,
        data=reflection_services.EntryData(
            title=f"Privat {k}",
            body="Tankar om ledarskapet och modet att vara tydlig.",
            written_on=today - timedelta(days=k),
            session_id=held.pk,
            theme_id=theme.pk,
            keyword_ids=(world.keywords[k % len(world.keywords)].pk,),
        ),
    )
    shared = reflection_services.entry_create(
        author=manager,
        data=reflection_services.EntryData(
            title="",
            body="Ledarskap i förändring: vad jag vill dela.",
            written_on=today - timedelta(days=k),
            theme_id=theme.pk,
            keyword_ids=tuple(kw.pk for kw in world.keywords),
        ),
    )
    reflection_services.entry_share(entry=shared)
    for target in (shared, world.entry):
        reflection_services.feedback_give(
            entry=target, coach=coach, text=f"Bra tänkt {k}!", entry_url="https://x.invalid/"
        )
    reflection_services.commitment_create(
        author=manager,
        text=f"Prova ledarskapsövning {k}",
        due_on=today + timedelta(days=k),
        entry=private,
        session_id=held.pk,
    )
    reflection_services.rating_add(
        author=manager, rated_on=today, modigt=3, tydligt=4, engagerande=k % 5 + 1, entry=private
    )
    reflection_services.prompt_create(
        coach=coach, question=f"Vad tar du med dig från {k}?", session=held
    )
    reflection_services.prompt_create(
        coach=coach, question=f"Hur ledde du dig själv {k}?", theme_id=theme.pk
    )

    # The other managers' reflections, steps and the sick leave, in bulk (HR counts them).
    entries = Entry.objects.bulk_create(
        [
            Entry(
                author=member,
                title=f"Anteckning {k}-{j}",
                body="ledarskap",
                written_on=today - timedelta(days=j),
                theme=theme,
                session=held,
                shared_at=now if j % 2 else None,
            )
            for member in members
            for j in range(2)
        ]
    )
    Entry.keywords.through.objects.bulk_create(
        [
            Entry.keywords.through(entry_id=entry.pk, keyword_id=world.keywords[0].pk)
            for entry in entries
        ]
    )
    Feedback.objects.bulk_create(
        [Feedback(entry=entry, coach=coach, text="Fint") for entry in entries if entry.shared_at]
    )
    Commitment.objects.bulk_create(
        [
            Commitment(
                author=member,
                text="Prova",
                due_on=today,
                followed_up_at=now if j else None,
                outcome="gjort" if j else "",
            )
            for j, member in enumerate(members)
        ]
    )
    LedordRating.objects.bulk_create(
        [
            LedordRating(author=member, rated_on=today, modigt=3, tydligt=3, engagerande=3)
            for member in members
        ]
    )
    # The held session's evaluations (HR's Effekt view averages them).
    Answer.objects.bulk_create(
        [Answer(session=held, respondent=member, usefulness=4) for member in members]
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                key=f"query-counts:{k}:{member.pk}",
                user=member,
                kind=Reminder.Kind.REPETITION,
                session=held,
                step=1,
                offset_days=1,
                base_on=today,
                due_at=now,
                status=Reminder.Status.SENT,
                sent_at=now - timedelta(hours=1),
                responded_at=now if j else None,
            )
            for j, member in enumerate(members)
        ]
    )
    # The manager's start page: a session they attended with a repetition step due today, a
    # commitment whose day has come, and a published network group with three colleagues.
    repeated = _session(
        world.programme,
        world.cohort,
        # Long ago, behind the other past sessions on the pages that list them.
        now - timedelta(days=100 + k),
        coach,
        theme=theme,
        status=TrainingSession.Status.HELD,
        title=f"Repetitionsträff {k}",
        key_points="Säg vad du menar.",
    )
    Invitation.objects.create(
        session=repeated, user=manager, attendance=PRESENT, attendance_marked_at=now
    )
    Reminder.objects.create(
        key=f"query-counts:{k}:manager",
        user=manager,
        kind=Reminder.Kind.REPETITION,
        session=repeated,
        step=1,
        offset_days=1,
        base_on=today,
        due_at=now,
        status=Reminder.Status.SENT,
        sent_at=now - timedelta(hours=1),
    )
    reflection_services.commitment_create(
        author=manager, text=f"Följ upp {k}", due_on=today - timedelta(days=k)
    )
    network_round = NetworkRound.objects.create(
        programme=world.programme,
        name=f"Nätverk {k}",
        created_by=coach,
        published_at=now - timedelta(minutes=k),
    )
    network_group = NetworkGroup.objects.create(round=network_round, number=1)
    network_group.members.set([manager, *members])

    month = today.replace(day=1)
    SickLeaveFigure.objects.bulk_create(
        [
            SickLeaveFigure(
                department=enhet,
                month=month,
                employees=12,
                scheduled_hours=1900,
                sick_hours=95,
            )
            for enhet in enheter
        ]
    )
    # The coach's start page: a member shares an answer to the coach's question, unanswered.
    question = reflection_services.prompt_create(
        coach=coach, question=f"Vad provade du {k}?", session=held
    )
    answer = reflection_services.entry_create(
        author=members[0],
        data=reflection_services.EntryData(
            title=f"Mitt svar {k}", body="Jag provade.", written_on=today
        ),
        prompt=question,
    )
    reflection_services.entry_share(entry=answer)
    # ... and the second of the unit's members misses a second held session in a row.
    follow_up = _session(
        world.programme,
        world.cohort,
        now - timedelta(days=k + 1, hours=-3),
        coach,
        status=TrainingSession.Status.HELD,
        title=f"Uppföljning {k}",
    )
    Invitation.objects.create(session=follow_up, user=members[1], attendance=ABSENT)
    _add_admin_unit(k)


def _add_admin_unit(k: int) -> None:
    """What the administrator's start page counts and lists: failed, stuck and held-back
    emails, a person due for erasure, a gallring run and the heartbeat."""
    now = timezone.now()
    message = {"from_email": "portal@kungsor.test", "to": ["x@kungsor.test"], "body_text": "x"}
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                status=OutboxMessage.Status.FAILED,
                subject=f"Misslyckat {k}",
                created_at=now - timedelta(hours=2),
                **message,
            ),
            OutboxMessage(
                subject=f"Fastnat {k}",
                created_at=now - timedelta(hours=2),
                next_attempt_at=now - timedelta(hours=2),
                **message,
            ),
            OutboxMessage(
                subject=f"Ångrafönster {k}",
                next_attempt_at=now + timedelta(minutes=5),
                **message,
            ),
        ]
    )
    gone = ManagerFactory(full_name=f"Avslutad {k}", is_active=False)
    User.objects.filter(pk=gone.pk).update(deactivated_at=now - timedelta(days=3000))
    RetentionRun.objects.create(
        started_at=now - timedelta(hours=k),
        finished_at=now - timedelta(hours=k),
        deleted={"outbox": k, "sessions": 1},
    )
    heartbeat_record()


# ----------------------------------------------------------------------------------------------
# The pages: who looks, and at which address.


@dataclass(frozen=True)
class Page:
    viewer: str  # an attribute of World
    url: object  # World -> str
    params: dict = field(default_factory=dict)


PAGES = {
    "start-manager": Page("manager", lambda w: reverse("start-manager")),
    "my-sessions": Page("manager", lambda w: reverse("training_sessions:my-sessions")),
    "journal": Page("manager", lambda w: reverse("reflections:journal")),
    "journal-search": Page(
        "manager",
        lambda w: reverse("reflections:journal"),
        {"q": "ledarskap", "since": "2000-01-01"},
    ),
    "entry-edit": Page("manager", lambda w: reverse("reflections:entry-edit", args=[w.entry.pk])),
    "entry-create": Page("manager", lambda w: reverse("reflections:entry-create")),
    "schedule": Page("coach", lambda w: reverse("training_sessions:schedule")),
    "schedule-earlier": Page(
        "coach", lambda w: reverse("training_sessions:schedule"), {"vy": "tidigare"}
    ),
    "session-attendance": Page(
        "coach",
        lambda w: reverse("training_sessions:session-detail", args=[w.attendance_session.pk]),
    ),
    "cohort-attendance": Page(
        "coach", lambda w: reverse("training_sessions:cohort-attendance", args=[w.cohort.pk])
    ),
    "cohort-detail": Page(
        "coach", lambda w: reverse("programme:cohort-detail", args=[w.cohort.pk])
    ),
    "hr-dashboard": Page("hr", lambda w: reverse("reports:dashboard")),
    "hr-forvaltning": Page(
        "hr",
        lambda w: reverse(
            "reports:forvaltning",
            args=[Department.objects.filter(kind=Department.Kind.FORVALTNING).earliest("pk").pk],
        ),
    ),
    "hr-cohorts": Page("hr", lambda w: reverse("reports:cohorts")),
    "start-hr": Page("hr", lambda w: reverse("start-hr")),
    "hr-coverage": Page("hr", lambda w: reverse("reports:coverage")),
    "hr-effekt": Page("hr", lambda w: reverse("reports:effekt")),
    "hr-effekt-term": Page("hr", lambda w: reverse("reports:effekt"), {"period": "term"}),
    "hr-effekt-xlsx": Page("hr", lambda w: reverse("reports:effekt-export", args=["xlsx"])),
    "hr-coverage-csv": Page("hr", lambda w: reverse("reports:coverage-export", args=["csv"])),
    "hr-export-enheter-xlsx": Page(
        "hr", lambda w: reverse("reports:export", args=["enheter", "xlsx"])
    ),
    "hr-export-chefer-csv": Page("hr", lambda w: reverse("reports:export", args=["chefer", "csv"])),
    "hr-export-sjukfranvaro-csv": Page(
        "hr", lambda w: reverse("reports:export", args=["sjukfranvaro-forvaltningar", "csv"])
    ),
    "start-coach": Page("coach", lambda w: reverse("start-coach")),
    "cohort-progress": Page("coach", lambda w: reverse("cohort-progress", args=[w.cohort.pk])),
    "start-admin": Page("admin", lambda w: reverse("start-admin")),
}


def _measure(client, world: World, page: Page) -> list[str]:
    """The SQL of one request to the page, as its viewer (signed in afresh each time, so
    that every measurement starts from the same session state)."""
    client.force_login(getattr(world, page.viewer))
    cache.clear()  # HR's figures are kept (reports.cache): measure counting them
    with CaptureQueriesContext(connection) as context:
        response = client.get(page.url(world), page.params)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in context.captured_queries]


_LITERALS = re.compile(r"'(?:[^']|'')*'|\d+")


def _shape(sql: str) -> str:
    """The statement with its values (and cursor and savepoint numbers) left out, so that
    the same query for another row counts as the same statement."""
    return _LITERALS.sub("?", sql)


def _explain(name: str, small: list[str], large: list[str]) -> str:
    """What changed between 1× and 10×: statements run a different number of times first
    (the N+1), then every query of both runs."""
    before, after = Counter(map(_shape, small)), Counter(map(_shape, large))
    changed = [
        f"  {before[shape]:>3} -> {after[shape]:>3}  {shape}"
        for shape in sorted(set(before) | set(after))
        if before[shape] != after[shape]
    ]
    lines = [
        f"{name}: {len(small)} queries with 1x the data, {len(large)} with 10x.",
        "Statements run a different number of times (1x -> 10x):",
        *changed,
        f"All {len(small)} queries with 1x:",
        *(f"  {i}. {sql}" for i, sql in enumerate(small, 1)),
        f"All {len(large)} queries with 10x:",
        *(f"  {i}. {sql}" for i, sql in enumerate(large, 1)),
    ]
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_the_page_makes_as_many_queries_with_ten_times_the_data(client, world, name):
    page = PAGES[name]
    grow(world, 1)
    small = _measure(client, world, page)
    grow(world, 9)
    large = _measure(client, world, page)

    assert len(large) == len(small), _explain(name, small, large)


def test_ten_times_the_data_is_on_the_pages(client, world):
    """The growth reaches what the pages show: the measurements above compare full pages."""
    grow(world, 10)
    client.force_login(world.manager)
    journal = client.get(reverse("reflections:journal"), {"q": "ledarskap"}).content.decode()
    assert journal.count('class="card mb-2"') == 21  # 2 entries per unit and the fixed one
    editor = client.get(reverse("reflections:entry-edit", args=[world.entry.pk])).content.decode()
    assert editor.count("Bra tänkt") == 10
    sessions = client.get(reverse("training_sessions:my-sessions")).content.decode()
    assert "Kommande träff 10" in sessions and "Genomförd träff 10" in sessions
    assert "Ta igen en missad träff" in sessions
    start = client.get(reverse("start-manager")).content.decode()
    assert "Repetera: Repetitionsträff 10" in start
    assert "Följ upp ditt åtagande" in start and "Nätverk 1" in start

    client.force_login(world.coach)
    url = reverse("training_sessions:schedule")
    # 31 upcoming sessions: 25 on the first page, the rest on the second.
    schedule = "".join(client.get(url, {"page": n}).content.decode() for n in (1, 2))
    assert schedule.count("Öppen träff") == 10
    attendance = client.get(
        reverse("training_sessions:session-detail", args=[world.attendance_session.pk])
    ).content.decode()
    assert attendance.count('type="radio"') == 31 * 3  # the manager, 3 per unit; 3 choices
    cohort = client.get(reverse("programme:cohort-detail", args=[world.cohort.pk])).content.decode()
    assert cohort.count("Avsluta medlemskap") == 31
    per_session = client.get(
        reverse("training_sessions:cohort-attendance", args=[world.cohort.pk])
    ).content.decode()
    assert per_session.count('<abbr title="Genomförd träff') == 10

    client.force_login(world.hr)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    enheter = Department.objects.filter(members__cohort_memberships__cohort=world.cohort).distinct()
    assert enheter.count() == 21  # the manager's, and two per unit
    for enhet in enheter.select_related("parent"):
        # Each förvaltning on the dashboard, its units on its own page.
        assert f">{enhet.parent.name}</a></th>" in dashboard
        units = reverse("reports:forvaltning", args=[enhet.parent_id])
        assert f'<th scope="row">{enhet.name}</th>' in client.get(units).content.decode()

    client.force_login(world.admin)
    start = client.get(reverse("start-admin")).content.decode()
    assert "10 e-postmeddelanden har väntat mer än en timme" in start
    assert "10 personer inaktiverades för mer än" in start
    assert start.count(">Avslutad ") == 10  # each due for erasure, by name


def test_the_coach_start_page_shows_every_section_of_the_grown_data(client, world):
    """The start page measured above is full: sessions, a queue, answers, signals, groups."""
    grow(world, 10)
    client.force_login(world.coach)
    page = client.get(reverse("start-coach")).content.decode()

    assert "Pågår nu" in page and "Pågående träff" in page and "Kommande träff 1<" in page
    assert "Mitt svar 10" in page and "Vad provade du 10?" in page  # new answers
    assert "Här visas de 10 äldsta av 10." not in page and page.count("delad ") == 10  # queue
    assert page.count("frånvarande 2 gånger i rad") == 10
    assert world.cohort.name in page and world.other_cohort.name in page
    progress = client.get(reverse("cohort-progress", args=[world.cohort.pk])).content.decode()
    assert progress.count('<th scope="row">') == 25  # a page of 31 members
