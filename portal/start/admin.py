"""The administrator's start page."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions, selectors
from notifications.models import OutboxMessage
from portal.start.access import require


def start_admin(request: HttpRequest) -> HttpResponse:
    require(permissions.is_admin, request)
    outbox = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "start/admin.html",
        {
            "role_counts": selectors.user_counts_by_role(),
            "outbox_pending": outbox.get(OutboxMessage.Status.PENDING, 0)
            + outbox.get(OutboxMessage.Status.SENDING, 0),
            "outbox_failed": outbox.get(OutboxMessage.Status.FAILED, 0),
            "outbox_sent": outbox.get(OutboxMessage.Status.SENT, 0),
        },
    )
