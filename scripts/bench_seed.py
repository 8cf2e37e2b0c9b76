"""Bulk-load benchmark data into a migrated, otherwise empty PostgreSQL database.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_seed.py [--scale 1.0|kungsor]

Two profiles (--scale):

- A number: national scale times that number. At 1.0: 290 förvaltningar with about 10
  enheter each, 40,000 managers, 300 coaches, 290 HR users and an administrator; a programme
  per förvaltning, 2,000 training groups of 20, 60,000 sessions over the past two years and
  the next three months, about 1.4 million invitations (with make-up places), 2 million
  journal entries, commitments and repetitions, 1 million sent emails (the last 75 days) and
  five years of monthly sick-leave figures. Every count is multiplied by the number (at
  least 1 of each); the two years and five years stay.
- `kungsor`: Kungsör's own size, ten years on. Five förvaltningar with 24 enheter, 60
  managers, one coach (bench.coach, who runs every training group), one HR person
  (bench.hr) and an administrator; one programme for the whole municipality with five
  training groups of 12, each meeting about every five weeks for the past ten years and the
  next three months (515 sessions), 250 journal entries and 15 commitments per manager over
  the ten years (bench.chef's journal goes back ten years), the emails of the last 75 days
  (the outbox keeps 90) and ten years of monthly sick-leave figures (what the municipality
  keeps). The groups are modelled as meeting for the whole ten years, with no turnover.

Nothing goes through the ORM row by row: the small tables are built in Python and sent with
COPY, the big ones are made by PostgreSQL itself (INSERT ... SELECT over generate_series, with
hashint8 for the variation, so a row's values follow from its ids). Table and column names come
from the models' _meta. Everything happens in one transaction: the big tables' secondary
indexes and foreign keys are dropped first and made again (same names, same definitions) once
the rows are in, which checks every row against them at once instead of row by row; a failure
anywhere rolls it all back. The sequences are moved past the ids written before the commit;
after it, VACUUM (ANALYZE) runs on the tables written (--no-vacuum: only ANALYZE, inside the
transaction).

The benchmark logs in as bench.chef@, bench.coach@, bench.hr@ and bench.admin@bench.invalid;
every user has the password below.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH_PASSWORD = "bench-lösenord-2027"  # noqa: S105 - a fixed, published benchmark login
BENCH_DOMAIN = "bench.invalid"
BENCH_EMAILS = {
    "chef": f"bench.chef@{BENCH_DOMAIN}",
    "coach": f"bench.coach@{BENCH_DOMAIN}",
    "hr": f"bench.hr@{BENCH_DOMAIN}",
    "admin": f"bench.admin@{BENCH_DOMAIN}",
}

# Counts at --scale 1.0 (national scale).
BASE = {
    "forvaltningar": 290,
    "managers": 40_000,
    "coaches": 300,
    "hr": 290,
    "cohorts": 2_000,
    "sessions": 60_000,
    "entries": 2_000_000,
    "commitments": 120_000,
    "outbox": 1_000_000,
}
FUTURE_DAYS = 85  # sessions over the next three months (and the profile's past days)
CHUNKS = 1024  # text pieces that make up the journal bodies (4 per body)
TITLES = 256

# Attendance at held sessions, per mille: present below 820, förhinder below 930, else absent.
PRESENT_BELOW = 820
EXCUSED_BELOW = 930

FORVALTNING_KINDS = [
    "Kommunledningsförvaltningen",
    "Barn- och utbildningsförvaltningen",
    "Socialförvaltningen",
    "Vård- och omsorgsförvaltningen",
    "Samhällsbyggnadsförvaltningen",
    "Kultur- och fritidsförvaltningen",
    "Tekniska förvaltningen",
    "Miljöförvaltningen",
    "Arbetsmarknadsförvaltningen",
    "Service- och lokalförvaltningen",
]
PLACES = [
    "Kungsör", "Arboga", "Köping", "Västerås", "Eskilstuna", "Strängnäs", "Hallstahammar",
    "Surahammar", "Fagersta", "Norberg", "Skinnskatteberg", "Sala", "Heby", "Enköping",
    "Uppsala", "Örebro", "Kumla", "Hallsberg", "Lindesberg", "Nora", "Karlskoga", "Degerfors",
    "Lekeberg", "Askersund", "Laxå", "Flen", "Katrineholm", "Vingåker", "Nyköping",
    "Oxelösund", "Gnesta", "Trosa", "Torshälla",
]  # fmt: skip
UNIT_KINDS = [
    "Enhet", "Förskolan", "Hemtjänst", "Rektorsområde", "Boende", "Avdelning", "Team",
    "Verksamhet", "Skolan", "Område",
]  # fmt: skip
UNIT_NAMES = [
    "Norr", "Söder", "Öster", "Väster", "Centrum", "Solrosen", "Eken", "Björken", "Linden",
    "Tallen", "Ängen", "Sjöudden", "Backen", "Torget", "Parken", "Hagen",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Malin", "Johanna",
    "Sofia", "Linda", "Helena", "Camilla", "Åsa", "Ida", "Elin", "Jenny", "Ulrika", "Hanna",
    "Lars", "Mikael", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Thomas", "Jonas",
    "Fredrik", "Daniel", "Mats", "Magnus", "Stefan", "Niklas", "Björn", "Henrik", "Ali", "Omar",
    "Fatima", "Leila", "Nils", "Gustav", "Oskar", "Ingrid", "Birgitta", "Göran", "Åke", "Märta",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström",
    "Lindqvist", "Lindgren", "Axelsson", "Berg", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk",
    "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Åberg",
]  # fmt: skip
MANAGER_TITLES = [
    "Enhetschef", "Rektor", "Förskolechef", "Avdelningschef", "Verksamhetschef",
    "Områdeschef", "Biträdande rektor", "Gruppchef", "Sektionschef", "Förvaltningschef",
]  # fmt: skip
ROOMS = [
    "Kommunhuset, sal Mälaren", "Kommunhuset, sal Arbogaån", "Kulturhuset, lilla salen",
    "Stadshuset, rum 214", "Digitalt (Teams)", "Folkets hus, konferensrummet",
]  # fmt: skip
FORMAT_WORDS = {
    "teori": "teori",
    "praktik": "praktik",
    "natverkstraff": "nätverksträff",
    "uppfoljning": "uppföljning",
}
EXCUSES = [
    "",
    "Krockar med APT",
    "Sjuk",
    "Semester",
    "Rekryteringsintervju samma tid",
    "Budgetmöte med förvaltningsledningen",
    "Vård av barn",
]
COMMITMENT_TEXTS = [
    "Börja varje APT med fem minuter där alla får säga hur de har det",
    "Ge en medarbetare konkret återkoppling varje dag den här veckan",
    "Delegera planeringen av nästa verksamhetsdag till arbetslaget",
    "Fråga i stället för att ge svar när någon kommer med ett problem",
    "Säga nej till ett möte i veckan och lägga tiden på att vara ute i verksamheten",
    "Sätta ord på förväntningarna inför förändringen på nästa arbetsplatsträff",
    "Avsluta varje möte med att sammanfatta vem som gör vad till när",
    "Ta upp konflikten i arbetslaget i stället för att vänta ut den",
    "Boka en avstämning med varje medarbetare innan semestern",
    "Skriva tre rader reflektion efter varje svårt samtal",
    "Be ledningsgruppen om återkoppling på hur jag leder våra möten",
    "Lyfta fram något som fungerat bra på varje veckomöte",
]
OUTCOME_REFLECTIONS = [
    "Det gick bättre än jag trodde. Gruppen tog emot det väl och jag fortsätter.",
    "Jag kom halvvägs. Svårast var att hitta tiden, men jag ser redan skillnad.",
    "Det blev inte av den här gången; jag behöver planera in det i kalendern.",
    "Medarbetarna märkte skillnaden och flera tog själva initiativ efteråt.",
    "Jag var nervös men det kändes modigt och tydligt. Jag gör det igen.",
]
ENTRY_TITLES_START = [
    "Efter träffen om", "Tankar om", "Reflektion:", "Veckans lärdom om", "Att öva på",
    "Om", "Frågor kring", "Det jag tar med mig om",
]  # fmt: skip
ENTRY_TITLES_END = [
    "feedback", "svåra samtal", "delegering", "förändringen", "tillit i gruppen",
    "mina egna gränser", "mötesstruktur", "modet att säga nej", "tydliga mål", "lyssnande",
    "arbetsmiljön", "ledningsgruppen", "rekryteringen", "medarbetarsamtalen", "konflikter",
    "engagemang", "stress", "prioriteringar", "återkoppling", "ansvar",
]  # fmt: skip

# Material for the journal text: sentences of a subject, a verb phrase, a clause and an ending.
SUBJECTS = [
    "Jag", "Teamet", "Vi i ledningsgruppen", "Medarbetarna", "Min chef", "Gruppen",
    "Flera i personalgruppen", "Jag som chef", "Arbetslaget", "Vi", "Kollegorna",
    "En av mina medarbetare", "Skyddsombudet", "De nya i gruppen",
]  # fmt: skip
VERBS = [
    "märkte att", "upplevde att", "pratade om hur", "funderade på varför", "insåg att",
    "blev påmind om att", "kom fram till att", "har svårt att se hur", "vill förstå varför",
    "berättade att", "tror att", "såg tydligt att", "diskuterade länge om", "ifrågasatte om",
]  # fmt: skip
CLAUSES = [
    "tydliga förväntningar skapar trygghet",
    "vi behöver mer tid för reflektion",
    "feedback fungerar bäst när den kommer direkt",
    "förändringen kräver att alla är delaktiga",
    "mod handlar om att säga det som behöver sägas",
    "arbetsmiljön påverkar hur vi bemöter brukarna",
    "jag ofta tar över i stället för att delegera",
    "mötena blir bättre med en tydlig agenda",
    "tilliten i gruppen har vuxit sedan i våras",
    "vi saknar en gemensam bild av målen",
    "det är lätt att fastna i det akuta",
    "lyssnandet är det viktigaste verktyget jag har",
    "konflikten handlar mer om roller än om personer",
    "schemat styr mer än vi vill erkänna",
    "engagemanget ökar när medarbetarna får ta ansvar",
    "jag behöver vara tydligare med vad som är beslutat",
    "det krävs mod att lyfta blicken",
    "små förbättringar märks mer än stora planer",
    "sjukfrånvaron hänger ihop med hur vi planerar",
    "vi firar för sällan det som går bra",
    "rekryteringen tar för mycket av min tid",
    "samarbetet med de andra enheterna kan bli bättre",
    "jag undviker de svåra samtalen för länge",
    "nya rutiner måste förankras innan de införs",
    "medarbetarsamtalen ger mer när de förbereds tillsammans",
    "vi behöver prata om hur vi pratar med varandra",
    "jag är mer stressad än jag visar",
    "budgetläget oroar många i gruppen",
    "det digitala arbetssättet kräver nya vanor",
    "det finns en stark vilja att utvecklas",
    "mitt ledarskap behöver bli tydligare i vardagen",
    "ledarskapet i gruppen är mer delat än jag trott",
    "ledarskapsträningen ger mig nya perspektiv",
    "jag som ledare måste känna in gruppen innan jag leder",
    "ett modigt ledarskap kräver att jag visar osäkerhet ibland",
]
ENDINGS = [
    "", "", " i veckan", " inför hösten", " på APT", " efter träffen", " på ledningsgruppsmötet",
    " i medarbetarsamtalen", " den här månaden", " i dag", " under förändringsarbetet",
]  # fmt: skip
STANDALONE = [
    "Nästa steg är att prova ett kort avstämningsmöte varje måndag.",
    "Jag ska ta upp det här med min coach på nästa träff.",
    "Provgöra: säga vad jag tänker redan på mötet, inte efteråt.",
    "Modigt, tydligt, engagerande – i dag var det mest tydligt som behövdes.",
    "Det var skönt att höra att fler i träningsgruppen känner likadant.",
    "Jag vill bli bättre på att fråga i stället för att ge svar.",
    "Frågan från förra träffen sitter kvar: vad vill gruppen egentligen?",
    "En bra dag trots allt.",
    "Jag behöver skydda tiden för reflektion i kalendern.",
    "Det här vill jag repetera innan nästa träff.",
    "Ledarskap handlar om att göra rätt sak på rätt sätt.",
    "Träffen om ledarskap i förändring gav mig mycket att tänka på.",
]


@dataclass(frozen=True)
class Profile:
    """What a seed makes: how many of each, how far back, and the organisation's shape."""

    name: str  # as given to --scale
    counts: dict[str, int]  # the keys of BASE
    past_days: int  # sessions and journal entries over this many past days
    sick_leave_months: int  # monthly sick-leave figures this far back
    joined_days_ago: int  # users joined this many days ago, and up to 1,500 more
    forvaltningar: tuple[str, ...] = ()  # their names; empty: made up from kinds and places
    units: tuple[int, ...] = ()  # enheter per förvaltning; empty: 6 to 14
    municipality: str = ""  # one municipality: one programme for all its förvaltningar

    @property
    def national(self) -> bool:
        return not self.municipality


KUNGSOR = Profile(
    name="kungsor",
    counts={
        "forvaltningar": 5,
        "managers": 60,
        "coaches": 1,
        "hr": 1,
        "cohorts": 5,
        "sessions": 515,  # 103 a group: about every five weeks for ten years and 3 months
        "entries": 15_000,  # 250 a manager: about two a month
        "commitments": 900,
        "outbox": 1_500,  # every third day for 75 days, as at national scale
    },
    past_days=3_650,
    sick_leave_months=120,
    joined_days_ago=3_700,
    forvaltningar=tuple(FORVALTNING_KINDS[:5]),
    units=(3, 8, 4, 6, 3),
    municipality="Kungsörs kommun",
)


def profile(scale: str | float) -> Profile:
    """The profile for --scale (BENCH_SCALE): `kungsor`, or a number times national scale."""
    if str(scale).strip().lower() in ("kungsor", "kungsör"):
        return KUNGSOR
    factor = float(scale)
    if not factor > 0:
        raise ValueError(f"a scale must be above 0 or 'kungsor', not {scale!r}")
    return Profile(
        name=f"{factor:g}",
        counts={key: max(1, round(count * factor)) for key, count in BASE.items()},
        past_days=730,  # two years
        sick_leave_months=60,  # five years
        joined_days_ago=400,
    )


def env_defaults() -> None:
    """The settings this script needs: production-like, with any missing variable filled in."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    key = os.environ.get("SECRET_KEY", "")
    # With DEBUG off the settings refuse a short key; the seeder signs nothing with it.
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)


def lit(value) -> str:
    """A SQL literal for a value this script computed itself (never outside input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, date):
        return f"'{value.isoformat()}'::date"
    text = str(value).replace("'", "''")
    return f"'{text}'"


def text_array(values) -> str:
    return "ARRAY[" + ", ".join(lit(v) for v in values) + "]::text[]"


def int_array(values) -> str:
    return "ARRAY[" + ", ".join(str(int(v)) for v in values) + "]::bigint[]"


def h(expr: str, salt: int) -> str:
    """A deterministic pseudo-random integer in 0..2^31-1 from a bigint expression."""
    return f"(hashint8(({expr})::bigint # {salt}) & 2147483647)"


class Names:
    """A model's quoted names from _meta: f"{n}" is the table, n.field the field's column."""

    def __init__(self, model, quote) -> None:
        self._model = model
        self._quote = quote
        self._table = quote(model._meta.db_table)

    def __format__(self, spec: str) -> str:
        return self._table

    def __str__(self) -> str:
        return self._table

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._quote(self._model._meta.get_field(name).column)


class Seeder:
    def __init__(self, profile: Profile, *, vacuum: bool = True, verbose: bool = False) -> None:
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from accounts.models import Department, User
        from notifications.models import OutboxMessage
        from programme.models import Cohort, CohortMembership, FocusArea, Keyword, Programme, Theme
        from reflections.models import Commitment, Entry, Repetition
        from reports.models import SickLeaveFigure
        from sessions.models import Invitation, TrainingSession

        self.verbose = verbose
        self.vacuum = vacuum
        self.profile = profile
        self.past_days = profile.past_days
        self.sick_leave_months = profile.sick_leave_months
        self.settings = settings
        self.connection = connection
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now().replace(microsecond=0)
        self.today = self.now.astimezone(self.tz).date()
        self.models = {
            "Department": Department,
            "User": User,
            "UserGroups": User.groups.through,
            "Programme": Programme,
            "ProgrammeCoaches": Programme.coaches.through,
            "Cohort": Cohort,
            "CohortCoaches": Cohort.coaches.through,
            "CohortMembership": CohortMembership,
            "TrainingSession": TrainingSession,
            "SessionCoaches": TrainingSession.coaches.through,
            "Invitation": Invitation,
            "Repetition": Repetition,
            "Entry": Entry,
            "EntryKeywords": Entry.keywords.through,
            "Commitment": Commitment,
            "OutboxMessage": OutboxMessage,
            "SickLeaveFigure": SickLeaveFigure,
        }
        self.Theme, self.FocusArea, self.Keyword = Theme, FocusArea, Keyword
        quote = connection.ops.quote_name
        self.names = {key: Names(model, quote) for key, model in self.models.items()}
        self.counts: dict[str, int] = {}
        self.timings: list[tuple[str, float]] = []
        self.index_timings: list[tuple[str, str, float]] = []
        self.cur = None

        n = profile.counts
        self.F = len(profile.forvaltningar) or n["forvaltningar"]
        self.M = n["managers"]
        self.C = n["coaches"]
        self.H = n["hr"]
        self.K = min(n["cohorts"], self.M)
        self.S = max(1, round(n["sessions"] / self.K))  # sessions per cohort
        self.PER = max(1, round(n["entries"] / self.M))  # entries per manager
        self.COMMITMENTS = max(1, round(n["commitments"] / self.M))  # per manager
        self.OUTBOX = n["outbox"]

    # --- plumbing -----------------------------------------------------------------------

    def table(self, key: str) -> str:
        return self.models[key]._meta.db_table

    def fmt(self, template: str, **values) -> str:
        return template.format_map({**self.names, **values})

    def execute(self, template: str, **values) -> int:
        query = self.fmt(template, **values)
        if self.verbose:
            print(query, file=sys.stderr)
        self.cur.execute(query)
        return self.cur.rowcount

    def add_count(self, key: str, rows: int) -> None:
        table = self.table(key)
        self.counts[table] = self.counts.get(table, 0) + rows

    def check_complete(self, key: str, fields) -> None:
        """Every column the database requires (NOT NULL) must be given: Django's defaults
        live in Python, not in the database."""
        given = set(fields)
        missing = [
            f.name
            for f in self.models[key]._meta.concrete_fields
            if not f.null and not f.primary_key and f.name not in given
        ]
        if missing:
            raise RuntimeError(f"{key}: no value for the NOT NULL field(s) {missing}")

    def copy(self, key: str, fields: list[str], rows) -> int:
        self.check_complete(key, fields)
        names = self.names[key]
        columns = ", ".join(getattr(names, f) for f in fields)
        count = 0
        with self.cur.copy(f"COPY {names} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        self.add_count(key, count)
        return count

    def insert(self, key: str, columns: list[tuple[str, str]], source: str, **values) -> int:
        """INSERT INTO the model's table (fields) SELECT expressions FROM source."""
        self.check_complete(key, [field for field, _ in columns])
        names = self.names[key]
        target = ", ".join(getattr(names, field) for field, _ in columns)
        select = ",\n       ".join(expr for _, expr in columns)
        rows = self.execute(
            f"INSERT INTO {{{key}}} ({target})\nSELECT {select}\n{source}",
            **values,
        )
        self.add_count(key, rows)
        return rows

    def step(self, label: str, function) -> None:
        started = time.monotonic()
        print(f"  {label} ...", end="", flush=True)
        function()
        took = time.monotonic() - started
        self.timings.append((label, took))
        print(f" {took:.1f} s", flush=True)

    # --- the run --------------------------------------------------------------------------

    def run(self) -> None:
        from django.db import transaction

        connection = self.connection
        if connection.vendor != "postgresql":
            raise RuntimeError(
                "The benchmark seed needs PostgreSQL: set DATABASE_URL=postgres://..."
            )
        started = time.monotonic()
        print(
            f"Seeding {connection.settings_dict['NAME']} at scale {self.profile.name} "
            f"({self.F} förvaltningar, {self.M} managers, {self.K} training groups, "
            f"{self.K * self.S} sessions, {self.M * self.PER} entries, {self.OUTBOX} emails; "
            f"{self.past_days} days back, {self.sick_leave_months} months of sick leave)"
        )
        with transaction.atomic(), connection.cursor() as wrapper:
            self.cur = wrapper.cursor
            self.step("prepare (checks, password hash, drop secondary indexes)", self.prepare)
            self.step("departments", self.departments)
            self.step("users and groups", self.users)
            self.step("programmes, training groups, memberships", self.programmes)
            self.step("training sessions and their coaches", self.sessions)
            self.step("invitations and attendance", self.invitations)
            self.step("repetitions", self.repetitions)
            self.step("journal entries", self.entries)
            self.step("entry key words", self.entry_keywords)
            self.step("commitments", self.commitments)
            self.step("outbox messages", self.outbox)
            self.step("sick-leave figures", self.sick_leave)
            self.step("indexes and foreign keys again", self.restore)
            self.step("sequences", self.sequences)
            if not self.vacuum:
                self.step("ANALYZE", self.analyze)
            commit_started = time.monotonic()
        self.timings.append(("commit", time.monotonic() - commit_started))
        if self.vacuum:
            # Outside the transaction: sets the visibility map and hint bits now, so the
            # benchmark neither pays for them on first reads nor meets autovacuum mid-run.
            with connection.cursor() as wrapper:
                self.cur = wrapper.cursor
                self.step("VACUUM (ANALYZE), after the commit", self.vacuum_analyze)
        self.total = time.monotonic() - started
        self.report()

    def prepare(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group
        from django.template.loader import render_to_string
        from django.utils import translation

        from accounts.roles import Role

        cur = self.cur
        busy = []
        for key in self.models:
            self.execute("SELECT EXISTS (SELECT 1 FROM {T})", T=self.names[key])
            if cur.fetchone()[0]:
                busy.append(self.table(key))
        if busy:
            raise RuntimeError(
                "The database is not empty (rows in " + ", ".join(busy) + "). "
                "Seed a freshly migrated database."
            )
        # Session settings for a bulk load; SET LOCAL ends with the transaction.
        for setting in (
            "SET LOCAL synchronous_commit = off",
            "SET LOCAL work_mem = '256MB'",
            "SET LOCAL maintenance_work_mem = '1GB'",
            "SET LOCAL TIME ZONE 'UTC'",
        ):
            cur.execute(setting)

        self.groups = {
            role: Group.objects.get(name=role).pk
            for role in (Role.CHEF, Role.LEDARTRANARE, Role.HR)
        }
        self.themes = list(self.Theme.objects.order_by("order", "name").values_list("pk", "name"))
        self.focus_areas = list(
            self.FocusArea.objects.order_by("order", "name").values_list("pk", flat=True)
        )
        self.keywords = list(
            self.Keyword.objects.order_by("order", "name").values_list("pk", flat=True)
        )
        if not self.themes or not self.focus_areas or not self.keywords:
            raise RuntimeError("The themes, focus areas and key words the migrations add are gone.")
        self.password = make_password(BENCH_PASSWORD)
        with translation.override("sv"):
            self.html_template = render_to_string(
                "notifications/email/plain.html", {"text": "BENCHTEXTMARKER"}
            )
        self.strip_indexes()

    # Secondary indexes and foreign keys of the big tables are dropped before the load and
    # made again after it: one sorted build and one set-based check per index and key,
    # instead of millions of single-row updates and (deferred) trigger checks.
    BIG_TABLES = (
        "Invitation",
        "Repetition",
        "Entry",
        "EntryKeywords",
        "Commitment",
        "OutboxMessage",
        "SickLeaveFigure",
    )

    def strip_indexes(self) -> None:
        cur = self.cur
        self.restore_steps: list[tuple[str, str, str]] = []  # (table, what, SQL)
        quote = self.connection.ops.quote_name
        for key in self.BIG_TABLES:
            table = self.table(key)
            cur.execute(
                "SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u') "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' "
                "AND r.confrelid = c.conrelid AND r.conindid = c.conindid AND c.contype = 'u') "
                "ORDER BY c.contype DESC, c.conname",
                [quote(table)],
            )
            constraints = cur.fetchall()
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
                "AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x')) "
                "ORDER BY i.relname",
                [quote(table)],
            )
            indexes = cur.fetchall()
            for name, _ in indexes:
                cur.execute(f"DROP INDEX {quote(name)}")
            for name, _, _ in constraints:
                cur.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            # Unique constraints and indexes first, foreign keys last.
            for name, definition in indexes:
                self.restore_steps.append((table, name, definition))
            for name, kind, definition in constraints:
                if kind == "u":
                    self.restore_steps.append(
                        (
                            table,
                            name,
                            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}",
                        )
                    )
            for name, kind, definition in constraints:
                if kind == "f":
                    self.restore_steps.append(
                        (
                            table,
                            name,
                            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}",
                        )
                    )

    def restore(self) -> None:
        for table, name, statement in self.restore_steps:
            started = time.monotonic()
            self.cur.execute(statement)
            self.index_timings.append((table, name, time.monotonic() - started))

    # --- organisation and people ---------------------------------------------------------

    def departments(self) -> None:
        from accounts.models import Department

        Kind = Department.Kind
        rows = []
        self.forvaltningar = []  # ids, in order
        self.enheter = []  # (id, förvaltning index)
        self.reports_as_whole = set()  # förvaltning indexes whose sick leave is one figure
        self.forvaltning_names = []
        next_id = 1
        for f in range(self.F):
            if self.profile.forvaltningar:
                name = self.profile.forvaltningar[f]
            else:
                base = FORVALTNING_KINDS[f % len(FORVALTNING_KINDS)]
                place = PLACES[(f // len(FORVALTNING_KINDS)) % len(PLACES)]
                lap = f // (len(FORVALTNING_KINDS) * len(PLACES))
                name = f"{base} {place}" + (f" {lap + 1}" if lap else "")
            rows.append((next_id, name, Kind.FORVALTNING.value, None, True))
            self.forvaltningar.append(next_id)
            self.forvaltning_names.append(name)
            next_id += 1
            if f % 10 == 3:
                self.reports_as_whole.add(f)
        for f, parent in enumerate(self.forvaltningar):
            units = self.profile.units[f] if self.profile.units else 6 + (f * 7) % 9  # 6-14
            for j in range(units):
                kind = UNIT_KINDS[(f + j) % len(UNIT_KINDS)]
                rows.append((next_id, f"{kind} {UNIT_NAMES[j]}", Kind.ENHET.value, parent, True))
                self.enheter.append((next_id, f))
                next_id += 1
        self.copy("Department", ["id", "name", "kind", "parent", "is_active"], rows)

    def users(self) -> None:
        from accounts.roles import Role

        rng = random.Random(4711)  # noqa: S311 - test data, not secrets
        now = self.now
        rows, group_rows = [], []
        self.user_email = {}
        next_id = 1
        staff_unit = self.enheter[0][0]

        def person(index: int, salt: int) -> tuple[str, str, str]:
            first = FIRST_NAMES[(index * 7 + salt) % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 13 + salt * 3) % len(LAST_NAMES)]
            local = f"{first}.{last}.{index}".lower()
            local = local.translate(str.maketrans("åäöé", "aaoe"))
            return first, f"{first} {last}", local

        def add(email, full_name, title, department, superuser=False, group=None) -> int:
            nonlocal next_id
            user_id = next_id
            next_id += 1
            joined = now - timedelta(
                days=self.profile.joined_days_ago + rng.randrange(1500),
                minutes=rng.randrange(600),
            )
            language = "en" if user_id % 29 == 0 else "sv"
            rows.append(
                (
                    user_id, self.password, None, superuser, email, full_name, title, True,
                    superuser, joined, department, language, None,
                )
            )  # fmt: skip
            if group is not None:
                group_rows.append((len(group_rows) + 1, user_id, self.groups[group]))
            self.user_email[user_id] = email
            return user_id

        self.admin_id = add(BENCH_EMAILS["admin"], "Bench Administratör", "Systemförvaltare", None,
                            superuser=True)  # fmt: skip
        self.hr_ids = []
        for i in range(self.H):
            _, full_name, local = person(i, 1)
            email = BENCH_EMAILS["hr"] if i == 0 else f"hr.{local}@{BENCH_DOMAIN}"
            title = "HR-strateg" if i % 3 else "HR-specialist"
            self.hr_ids.append(add(email, full_name, title, staff_unit, group=Role.HR))
        self.coach_ids = []
        for i in range(self.C):
            _, full_name, local = person(i, 2)
            email = BENCH_EMAILS["coach"] if i == 0 else f"coach.{local}@{BENCH_DOMAIN}"
            self.coach_ids.append(
                add(email, full_name, "Ledartränare", staff_unit, group=Role.LEDARTRANARE)
            )
        self.manager_ids = []
        self.manager_first = []
        units = len(self.enheter)
        for i in range(self.M):
            first, full_name, local = person(i, 0)
            email = BENCH_EMAILS["chef"] if i == 0 else f"{local}@{BENCH_DOMAIN}"
            unit_id, _ = self.enheter[i * units // self.M]
            title = MANAGER_TITLES[(i * 3) % len(MANAGER_TITLES)]
            self.manager_ids.append(add(email, full_name, title, unit_id, group=Role.CHEF))
            self.manager_first.append(first)
        fields = [
            "id", "password", "last_login", "is_superuser", "email", "full_name", "title",
            "is_active", "is_staff", "date_joined", "department", "language", "deactivated_at",
        ]  # fmt: skip
        self.copy("User", fields, rows)
        self.copy("UserGroups", ["id", "user", "group"], group_rows)

    # --- programmes, cohorts, sessions ------------------------------------------------------

    def programmes(self) -> None:
        tz = self.tz
        start = self.today - timedelta(days=self.past_days)
        created = datetime.combine(start - timedelta(days=30), datetime.min.time(), tz).replace(
            hour=9
        )
        self.cohort_created = created + timedelta(days=10)
        rows, coach_rows = [], []
        self.programme_coaches: dict[int, list[int]] = {}
        offsets = json.dumps([1, 3, 7, 14, 30])
        # A programme per förvaltning, or one for a municipality's own benchmark.
        owners = (
            [self.profile.municipality] if self.profile.municipality else self.forvaltning_names
        )
        for f, owner in enumerate(owners):
            programme_id = f + 1
            coaches = list(
                dict.fromkeys(
                    [self.coach_ids[(2 * f) % self.C], self.coach_ids[(2 * f + 1) % self.C]]
                )
            )
            self.programme_coaches[programme_id] = coaches
            rows.append(
                (
                    programme_id,
                    f"Ledarskapsträning {start.year}–{self.today.year + 1}, {owner}",
                    start,
                    self.today + timedelta(days=FUTURE_DAYS + 30),
                    "Kommunens ledarträning för alla chefer: leda sig själv, leda andra och "
                    "leda utveckling i förändring. **Modigt, tydligt, engagerande.**",
                    offsets,
                    f % 3 == 0,
                    created,
                )
            )
            for coach in coaches:
                coach_rows.append((len(coach_rows) + 1, programme_id, coach))
        self.copy(
            "Programme",
            ["id", "name", "starts_on", "ends_on", "description", "repetition_offsets",
             "inactivity_nudge", "created_at"],
            rows,
        )  # fmt: skip
        self.copy("ProgrammeCoaches", ["id", "programme", "user"], coach_rows)

        # Training groups: consecutive managers (they are ordered by unit) make a group; its
        # programme is the one of its first member's förvaltning.
        units = len(self.enheter)
        self.cohort_members: list[list[int]] = [[] for _ in range(self.K)]
        self.member_cohort = []
        for i in range(self.M):
            c = i * self.K // self.M
            self.cohort_members[c].append(i)
            self.member_cohort.append(c)
        self.cohort_programme = []
        self.cohort_coaches = []
        per_programme: dict[int, list[int]] = {}
        for c in range(self.K):
            first = self.cohort_members[c][0]
            _, f = self.enheter[first * units // self.M]
            programme_id = 1 if self.profile.municipality else f + 1
            self.cohort_programme.append(programme_id)
            local = len(per_programme.setdefault(programme_id, []))
            per_programme[programme_id].append(c)
            coaches = self.programme_coaches[programme_id]
            chosen = [coaches[local % len(coaches)]]
            if local % 3 == 0 and len(coaches) > 1:
                chosen = coaches
            self.cohort_coaches.append(list(dict.fromkeys(chosen)))
        # Make-up places go to the next training group of the same programme.
        self.sibling = [None] * self.K
        for cohorts in per_programme.values():
            if len(cohorts) > 1:
                for position, c in enumerate(cohorts):
                    self.sibling[c] = cohorts[(position + 1) % len(cohorts)]
        self.per_programme = per_programme
        self.plan_sessions()

        rows, coach_rows, member_rows = [], [], []
        for c in range(self.K):
            programme_id = self.cohort_programme[c]
            number = self.per_programme[programme_id].index(c) + 1
            days = self.session_days[c]
            rows.append(
                (
                    c + 1, programme_id, f"Träningsgrupp {number}", days[0], days[-1],
                    self.cohort_created,
                )
            )  # fmt: skip
            for coach in self.cohort_coaches[c]:
                coach_rows.append((len(coach_rows) + 1, c + 1, coach))
            joined = self.cohort_created.astimezone(self.tz).date()
            for i in self.cohort_members[c]:
                member_rows.append((i + 1, c + 1, programme_id, self.manager_ids[i], joined, None))
        self.copy("Cohort", ["id", "programme", "name", "starts_on", "ends_on", "created_at"], rows)
        self.copy("CohortCoaches", ["id", "cohort", "user"], coach_rows)
        self.copy(
            "CohortMembership", ["id", "cohort", "programme", "user", "joined_on", "left_on"],
            member_rows,
        )  # fmt: skip

    def plan_sessions(self) -> None:
        """Dates and times of every session: one about every four weeks per group."""
        first = self.today - timedelta(days=self.past_days)
        span = self.past_days + FUTURE_DAYS - 27
        step = max(1, span // max(self.S - 1, 1))
        self.session_days = []
        self.session_times = []
        for c in range(self.K):
            offset = (c * 11) % 27
            days, times = [], []
            for k in range(self.S):
                day = first + timedelta(days=offset + k * step)
                if day.weekday() == 5:
                    day -= timedelta(days=1)
                elif day.weekday() == 6:
                    day += timedelta(days=1)
                morning = (c + k) % 2 == 0
                hours = 2 if k % 5 == 4 else 3
                starts = datetime(day.year, day.month, day.day, 8 if morning else 13,
                                  30 if morning else 0, tzinfo=self.tz)  # fmt: skip
                days.append(day)
                times.append((starts, starts + timedelta(hours=hours)))
            self.session_days.append(days)
            self.session_times.append(times)

    def sessions(self) -> None:
        from sessions.models import CHECKIN_ALPHABET, TrainingSession

        now = self.now
        held, planned = TrainingSession.Status.HELD.value, TrainingSession.Status.PLANNED.value
        Format = TrainingSession.Format
        formats = [Format.THEORY, Format.PRACTICE, Format.THEORY, Format.PRACTICE, Format.NETWORK]
        formats = [f.value for f in formats]
        follow_up = Format.FOLLOW_UP.value
        base = len(CHECKIN_ALPHABET)
        space = base**6

        def checkin_code(n: int) -> str:
            value = (n * 387_420_489 + 12_345) % space  # a bijection: 3^18 is prime to 31
            code = []
            for _ in range(6):
                value, digit = divmod(value, base)
                code.append(CHECKIN_ALPHABET[digit])
            return "".join(code)

        key_points = {
            theme_id: (
                f"- Vad betyder *{name.lower()}* för dig i vardagen?\n"
                "- Provtänka: en situation där du vill göra annorlunda\n"
                "- Provgöra: en sak du prövar före nästa träff\n"
                "- **Modigt, tydligt, engagerande** – vilket ledord behöver du mest nu?"
            )
            for theme_id, name in self.themes
        }
        rows, coach_rows, helper_rows = [], [], []
        self.min_held = self.S
        session_id = {}
        for c in range(self.K):
            for k in range(self.S):
                session_id[(c, k)] = c * self.S + k + 1
        for c in range(self.K):
            programme_id = self.cohort_programme[c]
            held_here = 0
            sibling = self.sibling[c]
            shift = None
            if sibling is not None:
                # Same session number in the sibling group if it comes later, else the next.
                own, other = self.session_times[c][0][0], self.session_times[sibling][0][0]
                shift = 0 if other > own + timedelta(days=1) else 1
            for k in range(self.S):
                sid = session_id[(c, k)]
                starts, ends = self.session_times[c][k]
                is_held = ends <= now
                held_here += is_held
                theme_index = min(k * len(self.themes) // self.S, len(self.themes) - 1)
                theme_id, theme_name = self.themes[theme_index]
                focus_id = self.focus_areas[k % len(self.focus_areas)]
                last_of_theme = (k + 1) * len(self.themes) // self.S != theme_index
                fmt = follow_up if last_of_theme and k > 0 else formats[k % len(formats)]
                title = f"{theme_name} – {FORMAT_WORDS[fmt]} {k + 1}"
                created = self.cohort_created
                rows.append(
                    (
                        sid, programme_id, c + 1, None, theme_id, focus_id, fmt, title,
                        f"Träff {k + 1} för träningsgruppen: {theme_name.lower()}.",
                        starts, ends, ROOMS[(c + k) % len(ROOMS)], key_points[theme_id],
                        held if is_held else planned, None, uuid.uuid4(), checkin_code(sid),
                        1 if k % 7 == 0 else 0, created, created,
                    )
                )  # fmt: skip
                for coach in self.cohort_coaches[c]:
                    coach_rows.append((len(coach_rows) + 1, sid, coach))
                makeup = None
                if shift is not None and k + shift < self.S:
                    other_k = k + shift
                    other_theme = min(other_k * len(self.themes) // self.S, len(self.themes) - 1)
                    other_starts = self.session_times[sibling][other_k][0]
                    if other_theme == theme_index and other_starts > ends:
                        makeup = session_id[(sibling, other_k)]
                helper_rows.append(
                    (
                        sid, c + 1, programme_id, k, theme_id, starts, ends, is_held,
                        self.cohort_coaches[c][0], makeup, self.session_days[c][k],
                    )
                )  # fmt: skip
            self.min_held = min(self.min_held, held_here)
        fields = [
            "id", "programme", "cohort", "capacity", "theme", "focus_area", "format", "title",
            "description", "starts_at", "ends_at", "place", "key_points", "status", "series",
            "uid", "checkin_code", "sequence", "created_at", "updated_at",
        ]  # fmt: skip
        self.copy("TrainingSession", fields, rows)
        self.copy("SessionCoaches", ["id", "trainingsession", "user"], coach_rows)

        # Working tables for the set-based steps (temporary: no WAL, gone at commit).
        cur = self.cur
        cur.execute(
            "CREATE TEMP TABLE bench_s (id bigint PRIMARY KEY, cohort_id bigint, "
            "programme_id bigint, idx int, theme_id bigint, starts_at timestamptz, "
            "ends_at timestamptz, held boolean, coach_id bigint, makeup_id bigint, day date) "
            "ON COMMIT DROP"
        )
        with cur.copy("COPY bench_s FROM STDIN") as copy:
            for row in helper_rows:
                copy.write_row(row)
        cur.execute(
            "CREATE TEMP TABLE bench_m (midx int PRIMARY KEY, user_id bigint, cohort_id bigint, "
            "email text, first_name text) ON COMMIT DROP"
        )
        with cur.copy("COPY bench_m FROM STDIN") as copy:
            for i, user_id in enumerate(self.manager_ids):
                copy.write_row(
                    (
                        i, user_id, self.member_cohort[i] + 1, self.user_email[user_id],
                        self.manager_first[i],
                    )
                )  # fmt: skip
        cur.execute("CREATE INDEX ON bench_s (cohort_id, idx)")
        cur.execute("ANALYZE bench_s")
        cur.execute("ANALYZE bench_m")

    # --- attendance ------------------------------------------------------------------------

    def _invitation_source(self) -> str:
        """Every member × every session of their group, with r (0-999) deciding attendance."""
        return (
            "FROM (SELECT s.id AS sid, m.user_id AS uid, s.held, s.starts_at, s.ends_at, "
            "s.coach_id, s.makeup_id, s.programme_id, {HR} % 1000 AS r, {HQ} AS q "
            "FROM bench_s s JOIN bench_m m ON m.cohort_id = s.cohort_id) x"
        )

    def _invitation_hashes(self) -> dict[str, str]:
        return {
            "HR": h("s.id * 1000003 + m.user_id", 11),
            "HQ": h("s.id * 1000003 + m.user_id", 12),
        }

    def invitations(self) -> None:
        from sessions.models import Invitation

        A = Invitation.Attendance
        values = {
            "NOW": lit(self.now),
            "CREATED": lit(self.cohort_created),
            "PRESENT": lit(A.PRESENT.value),
            "EXCUSED": lit(A.EXCUSED.value),
            "ABSENT": lit(A.ABSENT.value),
            "EXCUSES": text_array(EXCUSES),
            "P": PRESENT_BELOW,
            "E": EXCUSED_BELOW,
            **self._invitation_hashes(),
        }
        excused_past = "x.held AND x.r >= {P} AND x.r < {E}"
        excused_ahead = "NOT x.held AND x.r < 50 AND x.starts_at > {NOW}"
        self_checkin = "x.r < {P} AND x.r % 10 < 3"
        self.insert(
            "Invitation",
            [
                ("session", "x.sid"),
                ("user", "x.uid"),
                ("invited_at", "{CREATED}"),
                ("is_makeup", "false"),
                (
                    "excused_at",
                    f"CASE WHEN {excused_past} THEN x.starts_at - (1 + x.r % 5) * interval '1 day'"
                    f" - interval '3 hours' WHEN {excused_ahead} THEN "
                    "LEAST({NOW} - (x.q % 72) * interval '1 hour', x.starts_at - interval '1 hour')"
                    " END",
                ),
                (
                    "excuse_comment",
                    f"CASE WHEN ({excused_past}) OR ({excused_ahead}) "
                    "THEN ({EXCUSES})[1 + x.q % 7] ELSE '' END",
                ),
                (
                    "attendance",
                    "CASE WHEN NOT x.held THEN '' WHEN x.r < {P} THEN {PRESENT} "
                    "WHEN x.r < {E} THEN {EXCUSED} ELSE {ABSENT} END",
                ),
                (
                    "attendance_marked_at",
                    f"CASE WHEN x.held AND {self_checkin} "
                    "THEN x.starts_at + (x.q % 20 - 10) * interval '1 minute' "
                    "WHEN x.held THEN LEAST(x.ends_at + interval '12 minutes', {NOW}) END",
                ),
                (
                    "attendance_marked_by",
                    f"CASE WHEN x.held AND {self_checkin} THEN x.uid "
                    "WHEN x.held THEN x.coach_id END",
                ),
            ],
            self._invitation_source(),
            **values,
        )
        # Those who missed a held session took a place in the sibling group's session on the
        # same theme, signing up before it started.
        self.insert(
            "Invitation",
            [
                ("session", "mk.id"),
                ("user", "x.uid"),
                (
                    "invited_at",
                    "GREATEST(x.ends_at, LEAST(x.ends_at + interval '1 day', "
                    "mk.starts_at - interval '1 hour', {NOW}))",
                ),
                ("is_makeup", "true"),
                ("excused_at", "NULL"),
                ("excuse_comment", "''"),
                (
                    "attendance",
                    "CASE WHEN NOT mk.held THEN '' WHEN x.q % 10 < 9 THEN {PRESENT} "
                    "ELSE {ABSENT} END",
                ),
                (
                    "attendance_marked_at",
                    "CASE WHEN mk.held THEN LEAST(mk.ends_at + interval '12 minutes', {NOW}) END",
                ),
                ("attendance_marked_by", "CASE WHEN mk.held THEN mk.coach_id END"),
            ],
            self._invitation_source() + " JOIN bench_s mk ON mk.id = x.makeup_id "
            "WHERE x.held AND x.r >= {P}",
            **values,
        )

    def repetitions(self) -> None:
        # About half of the attended sessions are repeated once, a fifth twice.
        self.insert(
            "Repetition",
            [
                ("author", "x.uid"),
                ("session", "x.sid"),
                (
                    "created_at",
                    "LEAST(x.ends_at + (CASE WHEN n = 1 THEN 1 ELSE 7 END + x.q % 3) "
                    "* interval '1 day' + ((x.q / 3) % 600) * interval '1 minute', {NOW})",
                ),
            ],
            self._invitation_source() + " CROSS JOIN generate_series(1, 2) AS n "
            "WHERE x.held AND x.r < {P} "
            "AND ((n = 1 AND (x.q / 2000) % 100 < 55) OR (n = 2 AND (x.q / 2000) % 100 < 20))",
            NOW=lit(self.now),
            P=PRESENT_BELOW,
            **self._invitation_hashes(),
        )

    # --- the journal -----------------------------------------------------------------------

    def _text_tables(self) -> None:
        rng = random.Random(2027)  # noqa: S311 - test data, not secrets

        def sentence() -> str:
            if rng.random() < 0.12:
                return rng.choice(STANDALONE)
            subject = rng.choice(SUBJECTS)
            text = f"{subject} {rng.choice(VERBS)} {rng.choice(CLAUSES)}{rng.choice(ENDINGS)}."
            return text[0].upper() + text[1:]

        chunks = []
        while len(chunks) < CHUNKS:
            target = rng.randint(50, 199)
            chunk = ""
            while len(chunk) < target:
                piece = sentence()
                joined = f"{chunk} {piece}" if chunk else piece
                if len(joined) > 199:
                    break
                chunk = joined
            if 50 <= len(chunk) <= 199:
                chunks.append(chunk)
        titles = [
            f"{rng.choice(ENTRY_TITLES_START)} {rng.choice(ENTRY_TITLES_END)}"
            for _ in range(TITLES)
        ]
        cur = self.cur
        cur.execute("CREATE TEMP TABLE bench_chunk (n int PRIMARY KEY, txt text) ON COMMIT DROP")
        with cur.copy("COPY bench_chunk FROM STDIN") as copy:
            for n, chunk in enumerate(chunks):
                copy.write_row((n, chunk))
        cur.execute("CREATE TEMP TABLE bench_title (n int PRIMARY KEY, txt text) ON COMMIT DROP")
        with cur.copy("COPY bench_title FROM STDIN") as copy:
            for n, title in enumerate(titles):
                copy.write_row((n, title))
        cur.execute("ANALYZE bench_chunk")
        cur.execute("ANALYZE bench_title")

    def entries(self) -> None:
        self._text_tables()
        linked = "g % 10 < 3" if self.min_held > 0 else "false"
        self.insert(
            "Entry",
            [
                ("id", "e.id"),
                ("author", "e.user_id"),
                ("title", "CASE WHEN e.hc % 4 = 0 THEN '' ELSE t.txt END"),
                (
                    "body",
                    "c1.txt || ' ' || c2.txt || CASE WHEN (e.hc / 4) % 3 = 0 THEN E'\\n\\n' "
                    "ELSE ' ' END || c3.txt || ' ' || c4.txt",
                ),
                ("written_on", "w.day"),
                ("session", "s.id"),
                (
                    "theme",
                    "CASE WHEN s.id IS NOT NULL THEN s.theme_id WHEN (e.hc / 12) % 2 = 0 "
                    "THEN ({THEMES})[1 + (e.hc / 24) % {NTHEMES}] END",
                ),
                (
                    "focus_area",
                    "CASE WHEN (e.hc / 96) % 3 = 0 THEN ({FOCUS})[1 + (e.hc / 288) % {NFOCUS}] END",
                ),
                ("prompt", "NULL"),
                (
                    "shared_at",
                    "CASE WHEN (e.hd / 1024) % 100 < 15 "
                    "THEN LEAST(w.created + interval '10 minutes', {NOW}) END",
                ),
                ("version", "v.version"),
                ("created_at", "w.created"),
                (
                    "updated_at",
                    "LEAST(w.created + (v.version - 1) * interval '7 minutes', {NOW})",
                ),
                (
                    "deleted_at",
                    "CASE WHEN (e.hd / 102400) % 1000 < 4 THEN GREATEST(w.created, "
                    "{NOW} - ((e.hd / 1024) % 20) * interval '1 day') END",
                ),
            ],
            """FROM (
    SELECT m.midx * {PER} + g + 1 AS id, m.user_id, m.cohort_id, g,
           CASE WHEN {LINKED} THEN (g * 7 + m.midx) % {MINHELD} END AS sidx,
           {HA} AS ha, {HB} AS hb, {HC} AS hc, {HD} AS hd
    FROM bench_m m CROSS JOIN generate_series(0, {PER} - 1) AS g
) e
LEFT JOIN bench_s s ON s.cohort_id = e.cohort_id AND s.idx = e.sidx
JOIN bench_chunk c1 ON c1.n = e.ha % {CHUNKS}
JOIN bench_chunk c2 ON c2.n = (e.ha / {CHUNKS}) % {CHUNKS}
JOIN bench_chunk c3 ON c3.n = (e.ha / ({CHUNKS} * {CHUNKS})) % {CHUNKS}
JOIN bench_chunk c4 ON c4.n = e.hb % {CHUNKS}
JOIN bench_title t ON t.n = (e.hb / {CHUNKS}) % {TITLES}
CROSS JOIN LATERAL (SELECT 1 + (e.hc / 1000) % 3 AS version) v
CROSS JOIN LATERAL (
    SELECT d.day, LEAST(((d.day + time '07:00') + ((e.hd % 1024) % 660) * interval '1 minute')
                        AT TIME ZONE {TZ}, {NOW}) AS created
    FROM (SELECT CASE WHEN s.id IS NOT NULL THEN LEAST(s.day + (e.hd % 3), {TODAY})
                      ELSE {TODAY} - ((e.hd / 4) % {PAST}) END AS day) d
) w""",
            PER=self.PER,
            LINKED=linked,
            MINHELD=max(self.min_held, 1),
            HA=h("m.midx * 1000 + g", 21),
            HB=h("m.midx * 1000 + g", 22),
            HC=h("m.midx * 1000 + g", 23),
            HD=h("m.midx * 1000 + g", 24),
            CHUNKS=CHUNKS,
            TITLES=TITLES,
            NOW=lit(self.now),
            TODAY=lit(self.today),
            TZ=lit(self.settings.TIME_ZONE),
            PAST=self.past_days,
            THEMES=int_array(t for t, _ in self.themes),
            NTHEMES=len(self.themes),
            FOCUS=int_array(self.focus_areas),
            NFOCUS=len(self.focus_areas),
        )

    def entry_keywords(self) -> None:
        # One key word on about a sixth of the entries (their ids run 1..M*PER).
        self.insert(
            "EntryKeywords",
            [("entry", "i"), ("keyword", "({KEYWORDS})[1 + (k / 100) % {NKEYWORDS}]")],
            "FROM generate_series(1, {N}) AS i CROSS JOIN LATERAL (SELECT {HK} AS k) k "
            "WHERE k.k % 100 < 16",
            N=self.M * self.PER,
            HK=h("i", 31),
            KEYWORDS=int_array(self.keywords),
            NKEYWORDS=len(self.keywords),
        )

    def commitments(self) -> None:
        from reflections.models import Commitment

        outcome = Commitment.Outcome
        self.insert(
            "Commitment",
            [
                ("author", "x.user_id"),
                ("text", "({TEXTS})[1 + x.k % {NTEXTS}]"),
                ("due_on", "x.due_on"),
                ("entry", "x.entry_id"),
                ("session", "x.session_id"),
                (
                    "outcome",
                    "CASE WHEN x.done THEN ({OUTCOMES})[1 + (x.k / 100) % 3] ELSE '' END",
                ),
                (
                    "outcome_reflection",
                    "CASE WHEN x.done THEN ({REFLECTIONS})[1 + (x.k / 300) % {NREFLECTIONS}] "
                    "ELSE '' END",
                ),
                (
                    "followed_up_at",
                    "CASE WHEN x.done THEN GREATEST(x.created_at, LEAST(((x.due_on + "
                    "1 + (x.k / 7) % 3) + time '19:00') AT TIME ZONE {TZ}, {NOW})) END",
                ),
                ("created_at", "x.created_at"),
            ],
            """FROM (
    SELECT m.user_id, en.{Entry.id} AS entry_id, en.{Entry.session} AS session_id,
           en.{Entry.created_at} AS created_at, k.k,
           en.{Entry.written_on} + 14 + k.k % 17 AS due_on,
           en.{Entry.written_on} + 14 + k.k % 17 < {TODAY} AND (k.k / 11) % 100 < 80 AS done
    FROM bench_m m CROSS JOIN generate_series(0, {PER} - 1) AS j
    CROSS JOIN LATERAL (SELECT {HK} AS k) k
    JOIN {Entry} en ON en.{Entry.id} = m.midx * {ENTRIES} + 1 +
        ((k.k / 1000) % {ENTRIES})
) x""",
            PER=self.COMMITMENTS,
            HK=h("m.midx * 100 + j", 41),
            ENTRIES=self.PER,
            TEXTS=text_array(COMMITMENT_TEXTS),
            NTEXTS=len(COMMITMENT_TEXTS),
            OUTCOMES=text_array([outcome.DONE.value, outcome.PARTLY.value, outcome.NOT_YET.value]),
            REFLECTIONS=text_array(OUTCOME_REFLECTIONS),
            NREFLECTIONS=len(OUTCOME_REFLECTIONS),
            TODAY=lit(self.today),
            NOW=lit(self.now),
            TZ=lit(self.settings.TIME_ZONE),
        )

    # --- email and sick leave ----------------------------------------------------------------

    def outbox(self) -> None:
        from notifications.models import OutboxMessage

        theme_names = [name for _, name in self.themes]
        site = self.settings.SITE_URL
        before, _, after = self.html_template.partition("BENCHTEXTMARKER")
        subject = (
            "CASE x.kind WHEN 0 THEN 'I morgon: ' || x.theme WHEN 1 THEN 'Dags att repetera: '"
            " || x.theme WHEN 2 THEN 'Följ upp ditt åtagande i dag' WHEN 3 THEN 'Inbjudan: ' "
            "|| x.theme ELSE 'En stund för reflektion?' END"
        )
        self.insert(
            "OutboxMessage",
            [
                ("status", "CASE WHEN x.failed THEN {FAILED} ELSE {SENT} END"),
                (
                    "idempotency_key",
                    "CASE WHEN x.kind <> 3 THEN 'reminders:' || x.user_id || ':' || "
                    "to_char(x.day, 'YYYY-MM-DD') END",
                ),
                ("recipient_user", "x.user_id"),
                ("from_email", "{FROM}"),
                ("to", "jsonb_build_array(x.email)"),
                ("cc", "'[]'::jsonb"),
                ("bcc", "'[]'::jsonb"),
                ("reply_to", "'[]'::jsonb"),
                (
                    "headers",
                    "CASE WHEN x.kind <> 3 THEN jsonb_build_object('List-Unsubscribe', "
                    "'<' || {SITE} || '/notiser/avregistrera/bench-' || x.user_id || '/>') "
                    "ELSE jsonb_build_object() END",
                ),
                ("subject", subject),
                ("body_text", "b.text"),
                ("body_html", "{BEFORE} || replace(b.text, E'\\n', '<br>') || {AFTER}"),
                ("alternatives", "'[]'::jsonb"),
                ("attachments", "'[]'::jsonb"),
                ("attempts", "CASE WHEN x.failed THEN {MAXATTEMPTS} ELSE 1 END"),
                (
                    "last_error",
                    "CASE WHEN x.failed THEN 'SMTPRecipientsRefused: {{''' || x.email || "
                    "''': (550, b''5.1.1 Mailbox unavailable'')}}' ELSE '' END",
                ),
                ("created_at", "x.created"),
                (
                    "next_attempt_at",
                    "CASE WHEN x.failed THEN x.created + interval '6 hours' ELSE x.created END",
                ),
                ("enqueued_at", "x.created"),
                (
                    "claimed_at",
                    "CASE WHEN x.failed THEN NULL ELSE x.created + interval '1 second' END",
                ),
                (
                    "sent_at",
                    "CASE WHEN x.failed THEN NULL ELSE x.created + interval '2 seconds' END",
                ),
            ],
            """FROM (
    SELECT m.user_id, m.email, m.first_name, i, (i / {M}) % 5 AS kind,
           ({THEMES})[1 + (i / 7) % {NTHEMES}] AS theme,
           {TODAY} - (1 + (i / {M}) * 3 + m.user_id % 3)::int AS day,
           (({TODAY} - (1 + (i / {M}) * 3 + m.user_id % 3)::int)
             + CASE WHEN (i / {M}) % 5 = 3 THEN time '10:15' ELSE time '08:30' END
             + (i % 900) * interval '1 second') AT TIME ZONE {TZ} AS created,
           {HF} % 1000 < 8 AS failed,
           {HB} AS hb
    FROM generate_series(0, {N} - 1) AS i JOIN bench_m m ON m.midx = i % {M}
) x
JOIN bench_chunk c1 ON c1.n = x.hb % {CHUNKS}
CROSS JOIN LATERAL (
    SELECT 'Hej ' || x.first_name || E'!\\n\\n' || c1.txt || E'\\n\\n' ||
           'Logga in på ' || {SITE} || E' för att läsa mer.\\n\\n' ||
           E'Hälsningar\\nLedarskapsportalen, Kungsörs kommun' AS text
) b""",
            N=self.OUTBOX,
            HF=h("i", 51),
            HB=h("i", 52),
            M=self.M,
            FAILED=lit(OutboxMessage.Status.FAILED.value),
            SENT=lit(OutboxMessage.Status.SENT.value),
            FROM=lit(self.settings.DEFAULT_FROM_EMAIL),
            SITE=lit(site),
            BEFORE=lit(before),
            AFTER=lit(after),
            MAXATTEMPTS=self.settings.NOTIFICATIONS_MAX_ATTEMPTS,
            THEMES=text_array(theme_names),
            NTHEMES=len(theme_names),
            TODAY=lit(self.today),
            TZ=lit(self.settings.TIME_ZONE),
            CHUNKS=CHUNKS,
        )

    def sick_leave(self) -> None:
        """One figure per department and month, at one level per förvaltning and month, as
        the import keeps them: most förvaltningar report per enhet, a tenth as a whole."""
        cur = self.cur
        cur.execute("CREATE TEMP TABLE bench_d (id bigint, base int) ON COMMIT DROP")
        with cur.copy("COPY bench_d FROM STDIN") as copy:
            for f, department_id in enumerate(self.forvaltningar):
                if f in self.reports_as_whole:
                    copy.write_row((department_id, 60 + (department_id * 37) % 400))
            for department_id, f in self.enheter:
                if f not in self.reports_as_whole:
                    copy.write_row((department_id, 8 + (department_id * 13) % 50))
        this_month = self.today.replace(day=1)
        year, month = this_month.year, this_month.month - self.sick_leave_months
        while month < 1:
            year, month = year - 1, month + 12
        self.insert(
            "SickLeaveFigure",
            [
                ("department", "d.id"),
                ("month", "mo.month"),
                ("employees", "v.employees"),
                ("scheduled_hours", "round(v.employees * v.hours, 2)"),
                ("sick_hours", "round(v.employees * v.hours * v.rate, 2)"),
                ("source", "NULL"),
            ],
            """FROM bench_d d
CROSS JOIN (SELECT k, ({FIRST} + k * interval '1 month')::date AS month
            FROM generate_series(0, {MONTHS} - 1) AS k) mo
CROSS JOIN LATERAL (SELECT {HX} AS x) r
CROSS JOIN LATERAL (
    SELECT GREATEST(1, d.base + r.x % 5 - 2) AS employees,
           (150 + (r.x / 5) % 20 + (r.x / 100) % 100 / 100.0)::numeric AS hours,
           ((0.02 + ((r.x / 10000) % 90) / 1000.0)
             * CASE WHEN extract(month FROM mo.month) IN (1, 2, 3, 12) THEN 1.3
                    WHEN extract(month FROM mo.month) IN (6, 7, 8) THEN 0.8 ELSE 1 END
           )::numeric AS rate
) v""",
            FIRST=lit(date(year, month, 1)),
            HX=h("d.id * 1000 + mo.k", 61),
            MONTHS=self.sick_leave_months,
        )

    # --- the end ------------------------------------------------------------------------

    EXPLICIT_IDS = (
        "Department",
        "User",
        "UserGroups",
        "Programme",
        "ProgrammeCoaches",
        "Cohort",
        "CohortCoaches",
        "CohortMembership",
        "TrainingSession",
        "SessionCoaches",
        "Entry",
    )

    def sequences(self) -> None:
        for key in self.EXPLICIT_IDS:
            self.execute(
                "SELECT setval(pg_get_serial_sequence({TABLE}, {PK}), "
                "GREATEST((SELECT max({T.id}) FROM {T}), 1), "
                "(SELECT max({T.id}) FROM {T}) IS NOT NULL)",
                T=self.names[key],
                TABLE=lit(self.table(key)),
                PK=lit(self.models[key]._meta.pk.column),
            )

    def analyze(self) -> None:
        for key in self.models:
            self.cur.execute(f"ANALYZE {self.names[key]}")

    def vacuum_analyze(self) -> None:
        for key in self.models:
            self.cur.execute(f"VACUUM (ANALYZE) {self.names[key]}")

    def report(self) -> None:
        print()
        print("Rows written:")
        for table, count in self.counts.items():
            print(f"  {table:45} {count:>12,}".replace(",", " "))
        print()
        print("Time per step (seconds):")
        for label, took in self.timings:
            print(f"  {label:60} {took:8.1f}")
        slow = sorted(self.index_timings, key=lambda item: -item[2])[:8]
        if slow:
            print("  slowest index and key builds in 'indexes and foreign keys again':")
            for table, name, took in slow:
                print(f"    {table}.{name:55} {took:8.1f}")
        print(f"  {'total':60} {self.total:8.1f}")
        print()
        print(f"Benchmark logins (password for every user: {BENCH_PASSWORD}):")
        for role, email in BENCH_EMAILS.items():
            print(f"  {role:6} {email}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        default="1.0",
        help="a number: national scale times it (default 1.0); kungsor: Kungsör's own size, "
        "ten years on",
    )
    parser.add_argument(
        "--no-vacuum",
        dest="vacuum",
        action="store_false",
        help="only ANALYZE (in the transaction) instead of VACUUM (ANALYZE) after the commit",
    )
    parser.add_argument("--verbose", action="store_true", help="print the SQL statements")
    args = parser.parse_args(argv)
    try:
        chosen = profile(args.scale)
    except ValueError:
        parser.error(f"--scale must be a number above 0 or kungsor, not {args.scale!r}")

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    env_defaults()
    try:
        import django

        django.setup()
        Seeder(chosen, vacuum=args.vacuum, verbose=args.verbose).run()
    except Exception:
        print(flush=True)
        traceback.print_exc()
        print(
            "\nThe seed failed. Unless it failed in VACUUM, after the commit, nothing was written."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
