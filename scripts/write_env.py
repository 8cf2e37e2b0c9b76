"""Write a local `.env` for the quick start, with a fresh secret key, unless one exists."""

import secrets
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"

TEMPLATE = """\
# Written by `make run` for local development. Never use these values in production.
DEBUG=true
SECRET_KEY={secret_key}
# Empty DATABASE_URL / CELERY_BROKER_URL: SQLite file and kombu's filesystem broker.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/kungsor_ledarskap
# CELERY_BROKER_URL=redis://127.0.0.1:6379/0
EMAIL_URL=consolemail://
"""


def main() -> int:
    if ENV_FILE.exists():
        return 0
    ENV_FILE.write_text(TEMPLATE.format(secret_key=secrets.token_urlsafe(50)), encoding="utf-8")
    ENV_FILE.chmod(0o600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
