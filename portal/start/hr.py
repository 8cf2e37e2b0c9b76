"""HR's start page: are all managers in the training, and does it take? A few figures from
the dashboard's counts, each with what it is compared with, and how fresh the imported
staff list and sick-leave figures are."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import permissions, selectors
from portal.start import hr_figures
from portal.start.access import require
from reports import start_figures


@require_safe
def start_hr(request: HttpRequest) -> HttpResponse:
    require(permissions.is_hr, request)
    figures = start_figures.start_figures()
    imports = [
        hr_figures.import_state(
            _("Staff list"),
            selectors.staff_import_latest(),
            reverse("accounts:staff-import"),
            _("Import a staff list"),
        ),
        hr_figures.import_state(
            _("Sick-leave figures"),
            start_figures.sick_leave_import_latest(),
            reverse("reports:sick-leave-import"),
            _("Import sick-leave figures"),
        ),
    ]
    return render(
        request,
        "start/hr.html",
        {
            "cards": hr_figures.cards(figures),
            "computed_at": figures.computed_at,
            "minutes": settings.REPORTS_CACHE_SECONDS // 60,
            "imports": imports,
            "stale_days": hr_figures.STALE_AFTER.days,
            "per_forvaltning": hr_figures.most_outside(figures.per_forvaltning),
            "forvaltning_count": len(figures.per_forvaltning),
        },
    )
