"""The coach's start page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions
from portal.start.access import require


def start_coach(request: HttpRequest) -> HttpResponse:
    require(permissions.is_coach, request)
    return render(request, "start/coach.html")
