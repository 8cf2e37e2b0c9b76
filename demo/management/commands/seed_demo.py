from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Department, User
from accounts.roles import Role
from evaluations import survey_selectors, survey_services
from evaluations.models import Answer, Survey
from network import meeting_services
from network import services as network_services
from programme import services as programme_services
from programme import suggestion_services
from programme.models import Cohort, CohortMembership, Module, Programme, Theme
from reflections import services as reflection_services
from reflections.models import LedordRating
from reminders.models import Reminder
from reports.models import SickLeaveFigure
from sessions import services as session_services
from sessions.models import Invitation, TrainingSession
from sessions.workdays import is_working_day

DEMO_PASSWORD = "Kungsor-demo-2027!"  # noqa: S105  (printed on purpose: demo only)

DEPARTMENTS = {
    "Kommunledningsförvaltningen": ["HR-enheten", "Ekonomienheten"],
    "Barn- och utbildningsförvaltningen": ["Förskola Norr", "Grundskola 7–9"],
    "Vård- och omsorgsförvaltningen": ["Hemtjänsten", "Särskilt boende"],
}

# email, full name, role, (förvaltning, enhet), title
DEMO_USERS = [
    (
        "chef@demo.invalid",
        "Demo Chef",
        Role.CHEF,
        ("Vård- och omsorgsförvaltningen", "Hemtjänsten"),
        "Enhetschef",
    ),
    (
        "ledartranare@demo.invalid",
        "Demo Ledartränare",
        Role.LEDARTRANARE,
        ("Kommunledningsförvaltningen", "HR-enheten"),
        "Ledartränare",
    ),
    (
        "hr@demo.invalid",
        "Demo HR",
        Role.HR,
        ("Kommunledningsförvaltningen", "HR-enheten"),
        "HR-specialist",
    ),
    (
        "admin@demo.invalid",
        "Demo Administratör",
        None,
        ("Kommunledningsförvaltningen", None),
        "Systemförvaltare",
    ),
]

# More managers, so the demo programme has two real training groups: (name, förvaltning, enhet)
DEMO_MANAGERS = [
    ("Anna Ek", "Kommunledningsförvaltningen", "Ekonomienheten"),
    ("Bertil Ås", "Barn- och utbildningsförvaltningen", "Förskola Norr"),
    ("Cecilia Lund", "Barn- och utbildningsförvaltningen", "Grundskola 7–9"),
    ("David Strand", "Vård- och omsorgsförvaltningen", "Särskilt boende"),
    ("Eva Berg", "Kommunledningsförvaltningen", "HR-enheten"),
    ("Fredrik Dal", "Barn- och utbildningsförvaltningen", "Förskola Norr"),
    ("Gunilla Sjö", "Vård- och omsorgsförvaltningen", "Hemtjänsten"),
    ("Hassan Nor", "Barn- och utbildningsförvaltningen", "Grundskola 7–9"),
    ("Ingrid Holm", "Vård- och omsorgsförvaltningen", "Särskilt boende"),
    ("Jonas Vik", "Kommunledningsförvaltningen", "Ekonomienheten"),
    ("Karin Mo", "Barn- och utbildningsförvaltningen", "Förskola Norr"),
]

# theme slug -> (title, theory, practice): short demo material for the programme page.
DEMO_MODULES = {
    "leda-sig-sjalv": (
        "Trygg i dig själv",
        "Självkännedom är grunden: att känna igen sina egna reaktioner, värderingar och "
        "drivkrafter, och hur de påverkar dem man leder.",
        "* Skriv ned en situation från den senaste veckan där du reagerade starkt. "
        "Vad hände i dig?\n* Pausa och känn in innan du svarar i nästa möte.",
    ),
    "leda-andra": (
        "Relationer och tillit",
        "Tillit byggs i vardagens små möten: att lyssna, hålla det man lovar och vara tydlig "
        "med förväntningar.",
        "* Fråga varje medarbetare den här veckan: *Vad behöver du av mig?*",
    ),
    "leda-utveckling-i-forandring": (
        "Förändring som alla förstår",
        "En förändring fastnar när kultur, strategi och styrning drar åt samma håll.",
        "* Beskriv en pågående förändring i en mening som alla i gruppen förstår, och "
        "testa meningen på en kollega.",
    ),
}

COHORTS = ["Träningsgrupp A", "Träningsgrupp B"]

# (cohort index, days from today, start hour, title, theme slug, format, place); hour None
# means "now": the session is going on while you look at the demo.
DEMO_SESSIONS = [
    (0, -7, 13, "Leda sig själv – uppstart", "leda-sig-sjalv", "teori", "Lilla salen"),
    (0, 0, None, "Leda andra – teori", "leda-andra", "teori", "Lilla salen"),
    (
        0,
        14,
        13,
        "Leda utveckling i förändring – praktik",
        "leda-utveckling-i-forandring",
        "praktik",
        "Lilla salen",
    ),
    (1, -20, 9, "Introduktion till programmet", None, "teori", "Stora salen"),
    (1, -6, 9, "Leda sig själv – uppstart", "leda-sig-sjalv", "teori", "Stora salen"),
    (1, 7, 9, "Leda andra – praktik", "leda-andra", "praktik", "Stora salen"),
    (1, 21, 9, "Nätverksträff", None, "natverkstraff", "Stora salen"),
]


def demo_programme_name(today: date | None = None) -> str:
    return f"Ledarskapsträning {(today or timezone.localdate()).year}"


class Command(BaseCommand):
    help = "Create demo departments, people, a programme with two cohorts and network groups."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DEBUG off. Never on a production database: the password is public.",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    @transaction.atomic
    def handle(self, *args, allow_without_debug: bool, quiet_logins: bool, **options) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Demo users have a public password; refusing to create them with DEBUG off."
            )
        people = self._people()
        self._programme(people)
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for email, _, role, _, _ in DEMO_USERS:
            self.stdout.write(f"  {(role.label if role else 'Administratör'):<18} {email}")

    def _people(self) -> dict[str, User]:
        for forvaltning, enheter in DEPARTMENTS.items():
            for enhet in enheter:
                accounts.department_ensure(forvaltning=forvaltning, enhet=enhet)
        people = {}
        for email, full_name, role, (forvaltning, enhet), title in DEMO_USERS:
            people[email] = accounts.user_upsert(
                email=email,
                full_name=full_name,
                department=accounts.department_ensure(forvaltning=forvaltning, enhet=enhet),
                title=title,
                role=role,
                is_superuser=role is None,
                password=DEMO_PASSWORD,
            )
        for number, (full_name, forvaltning, enhet) in enumerate(DEMO_MANAGERS, start=2):
            email = f"chef{number}@demo.invalid"
            people[email] = accounts.user_upsert(
                email=email,
                full_name=full_name,
                department=accounts.department_ensure(forvaltning=forvaltning, enhet=enhet),
                title="Enhetschef",
                role=Role.CHEF,
                password=DEMO_PASSWORD,
            )
        return people

    def _programme(self, people: dict[str, User]) -> None:
        coach = people["ledartranare@demo.invalid"]
        today = timezone.localdate()
        programme, _ = Programme.objects.get_or_create(
            name=demo_programme_name(today),
            defaults={
                "starts_on": today - timedelta(days=90),
                "ends_on": today + timedelta(days=270),
                "description": (
                    "Årets ledarskapsträning för alla chefer i Kungsörs kommun: teori och "
                    "praktik kring de tre temana, med nätverksträffar mellan förvaltningarna."
                ),
            },
        )
        programme.coaches.add(coach)
        for order, (slug, (title, theory, practice)) in enumerate(DEMO_MODULES.items()):
            Module.objects.get_or_create(
                programme=programme,
                title=title,
                defaults={
                    "theme": Theme.objects.get(slug=slug),
                    "theory": theory,
                    "practice": practice,
                    "order": order,
                },
            )
        managers = [people["chef@demo.invalid"]] + [
            people[f"chef{n}@demo.invalid"] for n in range(2, len(DEMO_MANAGERS) + 2)
        ]
        half = len(managers) // 2
        cohorts = []
        for name, members in zip(COHORTS, (managers[:half], managers[half:]), strict=True):
            cohort, _ = Cohort.objects.get_or_create(
                programme=programme,
                name=name,
                defaults={"starts_on": programme.starts_on, "ends_on": programme.ends_on},
            )
            cohort.coaches.add(coach)
            for manager in members:
                programme_services.cohort_add_member(
                    cohort=cohort, user=manager, joined_on=programme.starts_on
                )
            cohorts.append(cohort)
        if not programme.rounds.exists():
            network_round = programme_services.network_round_generate(
                programme=programme,
                cohorts=cohorts,
                name="Nätverksgrupper, omgång 1",
                created_by=coach,
            )
            programme_services.network_round_publish(network_round=network_round)
        self._sessions(programme, cohorts, coach)
        self._coach_start(cohorts, coach)
        self._manager_today(people["chef@demo.invalid"], coach)
        self._history(programme, cohorts, coach, managers)
        self._network_questions(people["chef@demo.invalid"])
        self._network_meetings(people["chef@demo.invalid"])
        self._surveys(programme, managers, people["hr@demo.invalid"])
        self._voice(programme, coach, managers)

    def _network_questions(self, manager: User) -> None:
        """Questions in the demo manager's network group: one from a colleague with answers,
        one of the manager's own, resolved, and one that includes the coach."""
        group = manager.network_groups.filter(round__published_at__isnull=False).first()
        if group is None or group.questions.exists():
            return
        others = list(group.members.exclude(pk=manager.pk).order_by("full_name"))
        if len(others) < 2:
            return
        asked = network_services.question_create(
            group=group,
            author=others[0],
            title="Hur har ni hanterat en omorganisation mitt i verksamhetsåret?",
            body=(
                "Vi slår ihop två enheter efter sommaren. Personalen är **oroliga** för sina "
                "scheman. Hur har ni gjort för att vara *tydliga* utan att lova för mycket?"
            ),
        )
        network_services.answer_create(
            question=asked,
            author=others[1],
            body="Vi började med gemensamma APT där båda grupperna fick ställa frågor direkt "
            "till mig. Det tog udden av ryktena.",
        )
        network_services.answer_create(
            question=asked,
            author=manager,
            body="Jag skrev ner det vi visste och det vi *inte* visste än, och delade båda "
            "listorna. Det uppskattades.",
        )
        own = network_services.question_create(
            group=group,
            author=manager,
            title="Tips på hur man följer upp korttidsfrånvaro utan att det känns som kontroll?",
            body="Jag vill ha samtalen tidigt men utan att medarbetaren känner sig misstänkt.",
        )
        network_services.answer_create(
            question=own,
            author=others[0],
            body="Vi kallar dem *omtankesamtal* och har dem alltid i lugn miljö.",
        )
        network_services.question_set_resolved(question=own, by=manager, resolved=True)
        network_services.question_create(
            group=group,
            author=others[1],
            title="Hur får ni tid för reflektion i en fullbokad vecka?",
            body="Jag bokar en halvtimme på fredagar men den försvinner alltid.",
            includes_coach=True,
        )
        self._shared_entry(group, others[0])

    def _shared_entry(self, group, author: User) -> None:
        """A colleague shares a copy of a journal entry with the demo manager's group."""
        entry = reflection_services.entry_create(
            author=author,
            data=reflection_services.EntryData(
                title="Det svåra samtalet som blev bra",
                body=(
                    "Jag förberedde mig med frågorna från träffen och **lyssnade först**. "
                    "Medarbetaren sa efteråt att hon kände sig hörd.\n\n"
                    "- Börja med det du har sett\n- Fråga innan du föreslår"
                ),
                written_on=timezone.localdate() - timedelta(days=3),
            ),
        )
        network_services.entry_share_with_group(entry=entry, group=group, by=author)

    def _voice(self, programme, coach: User, managers: list[User]) -> None:
        """Managers' suggestions on the framework: one waiting for the coach, one answered
        and published for the programme."""
        if programme.suggestions.exists() or len(managers) < 3:
            return
        themes = list(Theme.objects.order_by("order"))
        if len(themes) < 2:
            return
        suggestion_services.suggestion_send(
            author=managers[1],
            programme=programme,
            item=themes[1],
            text="Kan temat ta upp hur man leder på distans? Hälften av mitt team arbetar "
            "hemifrån två dagar i veckan.",
        )
        published = suggestion_services.suggestion_send(
            author=managers[2],
            programme=programme,
            item=themes[0],
            text="Jag saknar något om att sätta gränser för sin egen tillgänglighet.",
        )
        suggestion_services.suggestion_answer(
            suggestion=published,
            coach=coach,
            answer="Tack, det är viktigt! Vi lägger till en övning om *tillgänglighet* på "
            "nästa träff om att leda sig själv.",
            publish=True,
        )

    def _network_meetings(self, manager: User) -> None:
        """Meetings of the demo manager's network group: one held a month ago (with the
        manager's takeaway in their journal) and one coming, proposed by a colleague, that
        the manager has not answered yet."""
        group = manager.network_groups.filter(round__published_at__isnull=False).first()
        if group is None or group.meetings.exists():
            return
        others = list(group.members.exclude(pk=manager.pk).order_by("full_name"))
        if len(others) < 2:
            return
        zone = timezone.get_current_timezone()

        def working_day(day):
            while not is_working_day(day):
                day += timedelta(days=1)
            return day

        coming_day = working_day(timezone.localdate() + timedelta(days=9))
        coming = meeting_services.meeting_propose(
            group=group,
            by=others[0],
            data=meeting_services.MeetingData(
                starts_at=datetime.combine(coming_day, time(8, 30), tzinfo=zone),
                ends_at=datetime.combine(coming_day, time(9, 30), tzinfo=zone),
                place="Fikarummet, Kommunhuset",
                note="Hur vi får till medarbetarsamtalen i höst – ta med en fråga.",
            ),
        )
        meeting_services.meeting_respond(meeting=coming, user=others[1], coming=True)
        # Held a month ago: made for a coming day, then moved back (demo data only).
        held_day = working_day(timezone.localdate() - timedelta(days=30))
        held = meeting_services.meeting_propose(
            group=group,
            by=manager,
            data=meeting_services.MeetingData(
                starts_at=datetime.combine(coming_day, time(15), tzinfo=zone),
                ends_at=datetime.combine(coming_day, time(16), tzinfo=zone),
                link="https://teams.microsoft.com/l/meetup-join/demo",
                note="Första träffen: vad vill vi få ut av gruppen?",
            ),
        )
        type(held).objects.filter(pk=held.pk).update(
            starts_at=datetime.combine(held_day, time(15), tzinfo=zone),
            ends_at=datetime.combine(held_day, time(16), tzinfo=zone),
        )
        held.refresh_from_db()
        meeting_services.meeting_takeaway_add(
            meeting=held,
            user=manager,
            text="Vi har samma utmaning med schemaläggningen. Be gruppen visa sina scheman "
            "nästa gång.",
        )

    def _surveys(self, programme, managers: list[User], hr: User) -> None:
        """Last year's benefit survey, closed with answers enough for results, and this
        year's, open, answered by some (not by the demo manager, whose start page asks)."""
        today = timezone.localdate()
        last_title = f"Nyttoenkät {today.year - 1}"
        if Survey.objects.filter(title=last_title).exists():
            return
        texts = [
            "Nätverksträffarna med andra chefer har varit det mest värdefulla.",
            "Jag pausar oftare innan jag svarar, och mitt team märker det.",
            "Mer tid för att öva mellan träffarna, tack.",
            "Verktyget för svåra samtal använder jag varje månad.",
            "",
            "Tydligare förväntningar i min grupp sedan temat om att leda andra.",
        ]
        for title, opens, closes, answering in (
            (last_title, today - timedelta(days=380), today + timedelta(days=1), managers[:11]),
            (
                f"Nyttoenkät {today.year}",
                today - timedelta(days=3),
                today + timedelta(days=18),
                managers[1:6],
            ),
        ):
            survey = survey_services.survey_create(
                by=hr,
                title=title,
                programme=None if title == last_title else programme,
                opens_on=opens,
                closes_on=closes,
                statements=list(survey_selectors.DEFAULT_STATEMENTS),
                open_question=survey_selectors.DEFAULT_OPEN_QUESTION,
            )
            statements = list(survey.statements.all())
            for number, manager in enumerate(answering):
                survey_services.response_save(
                    user=manager,
                    survey=survey,
                    ratings={s.pk: 2 + (number + index) % 4 for index, s in enumerate(statements)},
                    text=texts[number] if number < len(texts) else "",
                )
            if title == last_title:
                # Closed in the past: the demo shows a year's results.
                Survey.objects.filter(pk=survey.pk).update(closes_on=opens + timedelta(days=21))

    def _sessions(self, programme, cohorts, coach) -> None:
        """A few sessions around today: two held with attendance, one now, some to come."""
        if TrainingSession.objects.filter(programme=programme).exists():
            return
        now = timezone.localtime()
        for index, days, hour, title, theme, fmt, place in DEMO_SESSIONS:
            if hour is None:
                starts_at = now.replace(second=0, microsecond=0) - timedelta(minutes=30)
            else:
                day = now + timedelta(days=days)
                starts_at = day.replace(hour=hour, minute=0, second=0, microsecond=0)
            session = session_services.session_create(
                data=session_services.SessionData(
                    programme_id=programme.pk,
                    cohort=cohorts[index],
                    capacity=None,
                    theme_id=Theme.objects.get(slug=theme).pk if theme else None,
                    focus_area_id=None,
                    format=fmt,
                    title=title,
                    description="",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=3),
                    place=f"Kommunhuset, {place}",
                    coaches=[coach],
                    key_points=("Pausa och känn in innan du svarar. Fråga: Vad behöver du av mig?"),
                ),
                created_by=coach,
                override=True,
            )
            if days < 0:
                invitations = list(session.invitations.order_by("user__full_name"))
                marks = {i.user_id: Invitation.Attendance.PRESENT for i in invitations}
                marks[invitations[-1].user_id] = Invitation.Attendance.ABSENT
                session_services.attendance_mark(session=session, marks=marks, marked_by=coach)

    def _coach_start(self, cohorts, coach) -> None:
        """What the coach's start page answers: shared reflections waiting for feedback (one
        answering the coach's question) and repetition steps sent after the held session."""
        from reflections import services as reflection_services
        from reflections.models import Entry, Prompt
        from reminders.models import Reminder

        if Prompt.objects.filter(coach=coach).exists():
            return
        now = timezone.now()
        today = timezone.localdate()
        prompt = reflection_services.prompt_create(
            coach=coach,
            question="Vad gjorde du annorlunda i ett möte den här veckan?",
            theme_id=Theme.objects.get(slug="leda-sig-sjalv").pk,
        )
        members = {m.user.email: m.user for c in cohorts for m in c.memberships.all()}
        shared = [
            ("chef3@demo.invalid", "Att pausa innan jag svarar", 4, None),
            ("chef2@demo.invalid", "Ett möte där jag lyssnade först", 2, prompt),
            ("chef8@demo.invalid", "Tydliga förväntningar i arbetsgruppen", 1, None),
        ]
        for email, title, days_ago, answers in shared:
            entry = reflection_services.entry_create(
                author=members[email],
                data=reflection_services.EntryData(
                    title=title,
                    body="Jag provade det vi pratade om på träffen och skriver ned hur det gick.",
                    written_on=today - timedelta(days=days_ago),
                ),
                prompt=answers,
            )
            reflection_services.entry_share(entry=entry)
            Entry.objects.filter(pk=entry.pk).update(shared_at=now - timedelta(days=days_ago))
        held = TrainingSession.objects.filter(
            cohort=cohorts[0], status=TrainingSession.Status.HELD
        ).first()
        if held is None:
            return
        attended = held.invitations.filter(attendance=Invitation.Attendance.PRESENT)
        Reminder.objects.bulk_create(
            Reminder(
                key=f"repetition:{held.pk}:1:{invitation.user_id}",  # as the planner writes it
                user_id=invitation.user_id,
                kind=Reminder.Kind.REPETITION,
                session=held,
                step=1,
                offset_days=1,
                base_on=today - timedelta(days=6),
                due_at=now - timedelta(days=6),
                status=Reminder.Status.SENT,
                sent_at=now - timedelta(days=6),
                responded_at=now - timedelta(days=5) if number % 2 == 0 else None,
                response=Reminder.Response.REPEATED if number % 2 == 0 else "",
            )
            for number, invitation in enumerate(attended)
        )

    def _manager_today(self, manager: User, coach: User) -> None:
        """What the demo manager's start page has to do today: a repetition step of the held
        session with the coach's question, a commitment to follow up, feedback to read."""
        held = (
            TrainingSession.objects.filter(
                invitations__user=manager,
                invitations__attendance=Invitation.Attendance.PRESENT,
                status=TrainingSession.Status.HELD,
            )
            .order_by("-starts_at")
            .first()
        )
        if held is None or Reminder.objects.filter(key=f"demo:{manager.pk}:{held.pk}").exists():
            return
        now, today = timezone.now(), timezone.localdate()
        Reminder.objects.create(
            key=f"demo:{manager.pk}:{held.pk}",
            user=manager,
            kind=Reminder.Kind.REPETITION,
            session=held,
            step=3,
            offset_days=7,
            base_on=today,
            due_at=now,
            status=Reminder.Status.SENT,
            sent_at=now,
        )
        reflection_services.prompt_create(
            coach=coach, question="När ledde du dig själv väl den här veckan?", session=held
        )
        reflection_services.commitment_create(
            author=manager, text="Börja veckomötet med en fråga till gruppen", due_on=today
        )
        entry = reflection_services.entry_create(
            author=manager,
            data=reflection_services.EntryData(
                title="Efter uppstarten",
                body="Jag vill bli bättre på att pausa innan jag svarar.",
                written_on=today - timedelta(days=6),
            ),
        )
        reflection_services.entry_share(entry=entry)
        reflection_services.feedback_give(
            entry=entry,
            coach=coach,
            text="Bra fokus! Prova att räkna till tre nästa gång.",
            entry_url="/journal/",
        )

    def _history(self, programme, cohorts, coach, managers) -> None:
        """The last twelve months, for HR's Effekt view: a session a month for each training
        group's members, in the run before this one (the same groups, which they left when
        it ended: last year's survey shows per programme), with attendance and evaluations; the
        managers' ledord self-ratings slowly rising (one manager in Barn och utbildning skips
        every fourth month, so that the small-group rule shows); sick leave per unit slowly
        falling. Written in bulk: it is history, not something anyone does now."""
        first_this_month = timezone.localdate().replace(day=1)
        if LedordRating.objects.filter(rated_on__lt=first_this_month).exists():
            return
        # The sessions of the year before belong to the run before this one.
        starts_on = first_this_month - timedelta(days=400)
        earlier, _ = Programme.objects.get_or_create(
            name=f"Ledarskapsträning {starts_on.year}",
            defaults={
                "starts_on": starts_on,
                "ends_on": programme.starts_on - timedelta(days=1),
                "description": "Förra årets ledarskapsträning.",
            },
        )
        earlier.coaches.add(coach)  # the same coach ran it
        zone = timezone.get_current_timezone()
        members = {
            cohort.pk: list(cohort.memberships.values_list("user", flat=True)) for cohort in cohorts
        }
        # The same managers in the same groups, who left them when that run ended.
        earlier_cohorts = {}
        for cohort in cohorts:
            earlier_cohorts[cohort.pk], _ = Cohort.objects.get_or_create(
                programme=earlier,
                name=cohort.name,
                defaults={"starts_on": earlier.starts_on, "ends_on": earlier.ends_on},
            )
            earlier_cohorts[cohort.pk].coaches.add(coach)
            CohortMembership.objects.bulk_create(
                CohortMembership(
                    cohort=earlier_cohorts[cohort.pk],
                    programme=earlier,
                    user_id=user_pk,
                    joined_on=earlier.starts_on,
                    left_on=earlier.ends_on,
                )
                for user_pk in members[cohort.pk]
            )
        by_pk = {m.pk: m for m in managers}
        ratings, invitations, answers, sick = [], [], [], []
        units = list(Department.objects.filter(kind=Department.Kind.ENHET).order_by("pk"))
        for back in range(12, 0, -1):
            index = first_this_month.year * 12 + first_this_month.month - 1 - back
            month = date(index // 12, index % 12 + 1, 1)
            step = 12 - back  # 0 a year ago, 11 last month
            for cohort in cohorts:
                starts_at = datetime(month.year, month.month, 10, 13, tzinfo=zone)
                session = TrainingSession.objects.create(
                    programme=earlier,
                    cohort=earlier_cohorts[cohort.pk],
                    format=TrainingSession.Format.THEORY,
                    title=f"{cohort.name}, träff {month:%Y-%m}",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=3),
                    status=TrainingSession.Status.HELD,
                )
                session.coaches.add(coach)
                for n, user_pk in enumerate(members[cohort.pk]):
                    present = (n + back) % 6 != 0
                    invitations.append(
                        Invitation(
                            session=session,
                            user_id=user_pk,
                            attendance=Invitation.Attendance.PRESENT
                            if present
                            else Invitation.Attendance.ABSENT,
                            attendance_marked_at=starts_at,
                            attendance_marked_by=coach,
                        )
                    )
                    if present:
                        answers.append(
                            Answer(
                                session=session,
                                respondent_id=user_pk,
                                usefulness=min(5, 3 + (n + step) % 3),
                                created_at=starts_at + timedelta(days=1),
                                updated_at=starts_at + timedelta(days=1),
                            )
                        )
            for n, manager in enumerate(managers):
                if manager.full_name == "Karin Mo" and back % 4 == 0:
                    continue
                base = 2.6 + step * 0.1 + (n % 3) * 0.3
                ratings.append(
                    LedordRating(
                        author=by_pk[manager.pk],
                        rated_on=month.replace(day=15),
                        modigt=max(1, min(5, round(base))),
                        tydligt=max(1, min(5, round(base + 0.4))),
                        engagerande=max(1, min(5, round(base + 0.2 + (step % 2) * 0.3))),
                    )
                )
            for n, unit in enumerate(units):
                employees = 18 + (n * 7) % 20
                scheduled = employees * 160
                rate = 0.075 - step * 0.002 + (n % 3) * 0.006
                sick.append(
                    SickLeaveFigure(
                        department=unit,
                        month=month,
                        employees=employees,
                        scheduled_hours=scheduled,
                        sick_hours=round(scheduled * rate, 1),
                    )
                )
        Invitation.objects.bulk_create(invitations)
        Answer.objects.bulk_create(answers)
        LedordRating.objects.bulk_create(ratings)
        SickLeaveFigure.objects.bulk_create(sick, ignore_conflicts=True)
