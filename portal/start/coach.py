"""The coach's start page: today's and the coming week's sessions, shared reflections to
answer, members with the absence signal and each training group's figures."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions
from portal.start.access import require
from portal.start.coach_overview import coach_start


@require_safe
def start_coach(request: HttpRequest) -> HttpResponse:
    require(permissions.is_coach, request)
    context = coach_start(request.user)
    context["hr_phone"] = settings.MUNICIPALITY_CONTACT["phone"]
    return render(request, "start/coach.html", context)
