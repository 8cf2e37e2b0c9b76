"""Checks of the parts the portal runs on, each answering (ok, detail)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from health.models import Heartbeat
from health.services import BEAT


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "down"; the probe must answer, not crash
        return False


def broker_ok() -> bool:
    from kungsor_ledarskap.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:
        return False


def last_heartbeat() -> datetime | None:
    try:
        return Heartbeat.objects.filter(name=BEAT).values_list("beat_at", flat=True).first()
    except Exception:
        return None


def heartbeat_fresh(beat_at: datetime | None) -> bool:
    if beat_at is None:
        return False
    max_age = timedelta(seconds=settings.HEALTH_HEARTBEAT_MAX_AGE)
    return timezone.now() - beat_at <= max_age


@dataclass(frozen=True)
class PartsHealth:
    database: bool
    broker: bool
    beat_at: datetime | None
    beat_fresh: bool


def parts_health() -> PartsHealth:
    """Database, broker and beat heartbeat, as /healthz sees them; the broker check has a
    bounded timeout, so a broker that is down makes this slower by seconds, never hang."""
    database = database_ok()
    beat_at = last_heartbeat() if database else None
    return PartsHealth(
        database=database,
        broker=broker_ok(),
        beat_at=beat_at,
        beat_fresh=heartbeat_fresh(beat_at),
    )


def heartbeat_max_age() -> int:
    """Seconds after which a heartbeat is stale (settings.HEALTH_HEARTBEAT_MAX_AGE)."""
    return settings.HEALTH_HEARTBEAT_MAX_AGE
