from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services as accounts
from accounts.models import User
from accounts.roles import Role
from programme import services as programme_services
from programme.models import Cohort, Module, Programme, Theme

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

PROGRAMME = "Ledarskapsträning 2027"
COHORTS = ["Träningsgrupp A", "Träningsgrupp B"]


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
        programme, _ = Programme.objects.get_or_create(
            name=PROGRAMME,
            defaults={
                "starts_on": date(2027, 1, 11),
                "ends_on": date(2027, 12, 17),
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
