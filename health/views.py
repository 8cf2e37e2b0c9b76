from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from health import selectors


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database, broker and beat heartbeat as JSON; 503 when any part is down."""
    database = selectors.database_ok()
    broker = selectors.broker_ok()
    beat_at = selectors.last_heartbeat() if database else None
    beat = selectors.heartbeat_fresh(beat_at)
    healthy = database and broker and beat
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checked_at": timezone.now().isoformat(),
            "database": "ok" if database else "error",
            "broker": "ok" if broker else "error",
            "beat": {
                "status": "ok" if beat else "error",
                "last_heartbeat": beat_at.isoformat() if beat_at else None,
            },
        },
        status=200 if healthy else 503,
    )
