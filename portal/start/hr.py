"""HR's start page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions, selectors
from portal.start.access import require


def start_hr(request: HttpRequest) -> HttpResponse:
    require(permissions.is_hr, request)
    return render(
        request,
        "start/hr.html",
        {"forvaltningar": selectors.forvaltning_list_with_counts()},
    )
