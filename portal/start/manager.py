"""The manager's start page ("Min träning")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions
from portal.start.access import require


def start_manager(request: HttpRequest) -> HttpResponse:
    require(permissions.is_manager, request)
    return render(request, "start/manager.html", {"department": request.user.department})
