"""The manager's start page ("Min träning"): today, what is due, what is new, own progress."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions
from accounts import selectors as accounts_selectors
from portal.start.access import require
from portal.start.manager_today import manager_today


@require_safe
def start_manager(request: HttpRequest) -> HttpResponse:
    require(permissions.is_manager, request)
    return render(
        request,
        "start/manager.html",
        {
            "department": accounts_selectors.department_of(request.user),
            "today": manager_today(request.user),
            "hr_phone": settings.MUNICIPALITY_CONTACT["phone"],
        },
    )
