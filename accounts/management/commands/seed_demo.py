from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.roles import Role

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


class Command(BaseCommand):
    help = "Create demo departments and one user per role with a known password (idempotent)."

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
        for forvaltning, enheter in DEPARTMENTS.items():
            for enhet in enheter:
                services.department_ensure(forvaltning=forvaltning, enhet=enhet)
        for email, full_name, role, (forvaltning, enhet), title in DEMO_USERS:
            services.user_upsert(
                email=email,
                full_name=full_name,
                department=services.department_ensure(forvaltning=forvaltning, enhet=enhet),
                title=title,
                role=role,
                is_superuser=role is None,
                password=DEMO_PASSWORD,
            )
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for email, _, role, _, _ in DEMO_USERS:
            self.stdout.write(f"  {(role.label if role else 'Administratör'):<18} {email}")
