from datetime import datetime

from django.utils import timezone

from health.models import Heartbeat

BEAT = "beat"


def heartbeat_record(*, name: str = BEAT, at: datetime | None = None) -> Heartbeat:
    """Write the time of the latest heartbeat (one row per name, updated in place)."""
    heartbeat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": at or timezone.now()}
    )
    return heartbeat
