"""The Celery application. Periodic jobs are declared here, in code."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kungsor_ledarskap.settings")

app = Celery("kungsor_ledarskap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _portal_logging(**kwargs) -> None:
    """Workers and beat log through settings.LOGGING (JSON lines in production), not
    Celery's own format."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    logging.captureWarnings(True)


app.conf.beat_schedule = {
    # `expires`: runs missed while no worker was up are dropped, not piled up.
    "health-heartbeat": {
        "task": "health.tasks.record_heartbeat",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "sessions-sync-invitations": {
        "task": "sessions.tasks.sync_invitations",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "sessions-mark-held": {
        "task": "sessions.tasks.mark_held_sessions",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "reminders-plan": {
        "task": "reminders.tasks.plan_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Gallring: every retention rule, each deletion logged (privacy/retention.py).
    "privacy-apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # HR's default view is counted again before the kept one runs out (reports.cache;
    # settings.REPORTS_CACHE_SECONDS is at least twice this).
    "reports-refresh-dashboard": {
        "task": "reports.tasks.refresh_dashboard",
        "schedule": 300.0,
        "options": {"expires": 270},
    },
}


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs) -> None:
    """The filesystem transport needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
