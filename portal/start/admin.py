"""The administrator's start page: the portal's health, each part saying plainly whether it
is OK or needs attention and what to do, and the users per role."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts import permissions
from accounts import selectors as accounts_selectors
from health import selectors as health_selectors
from notifications import selectors as notification_selectors
from portal.start.access import require
from privacy import selectors as privacy_selectors

# Each part of the portal's health, in the order the page shows them.
PARTS = {
    "database": _("Database"),
    "broker": _("Message queue (Redis)"),
    "beat": _("Scheduler (Celery beat)"),
    "failed": _("Emails that failed"),
    "waiting": _("Emails waiting to be sent"),
    "erasure": _("Deactivated people"),
    "gallring": _("Gallring"),
}


@require_safe
def start_admin(request: HttpRequest) -> HttpResponse:
    require(permissions.is_admin, request)
    now = timezone.now()
    parts = health_selectors.parts_health()
    outbox = notification_selectors.outbox_health(now)
    erasure = privacy_selectors.erasure_due(now)
    gallring = privacy_selectors.gallring_status(now)
    ok = {
        "database": parts.database,
        "broker": parts.broker,
        "beat": parts.beat_fresh,
        "failed": outbox.failed == 0,
        "waiting": outbox.waiting_too_long == 0,
        "erasure": erasure.due == 0,
        "gallring": not gallring.is_late,
    }
    return render(
        request,
        "start/admin.html",
        {
            "role_counts": accounts_selectors.user_counts_by_role(),
            "parts": parts,
            "heartbeat_max_minutes": max(1, health_selectors.heartbeat_max_age() // 60),
            "outbox": outbox,
            "erasure": erasure,
            "gallring": gallring,
            "ok": ok,
            "titles": PARTS,
            "attention": [(key, PARTS[key]) for key, fine in ok.items() if not fine],
        },
    )
