"""HR's list of managers in no active training group: who still has to be placed. Each view
and export is in the report access log, like every report."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from accounts.permissions import is_admin
from reports import coverage, exports, permissions, selectors, services
from reports.forms import Filters
from reports.models import ReportAccess
from reports.tables import Column, Table

PEOPLE_PER_PAGE = 50
REPORT = "tackning"


def _reader(request: HttpRequest) -> None:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied


def _forvaltning(request: HttpRequest):
    """The förvaltning chosen in the address, None for all; 404 for one that is not."""
    raw = request.GET.get("forvaltning", "")
    if not raw:
        return None
    forvaltning = selectors.forvaltning_get(int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if forvaltning is None:
        raise Http404
    return forvaltning


def _filters(forvaltning) -> Filters:
    """For the log and the file's heading: today, and the förvaltning chosen."""
    today = timezone.localdate()
    return Filters(since=today, until=today, forvaltning=forvaltning)


def _place(user) -> tuple[str, str]:
    """(förvaltning, unit) of a manager, as the list shows them."""
    department = user.department
    if department is None:
        return str(_("No department")), ""
    if department.parent_id:
        return department.parent.name, department.name
    return department.name, ""


@require_safe
def coverage_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    forvaltning = _forvaltning(request)
    people = coverage.managers_outside_groups(forvaltning)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(person, *_place(person)) for person in page.object_list]
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.VIEW,
        report=REPORT,
        filters=_filters(forvaltning),
    )
    query = f"forvaltning={forvaltning.pk}" if forvaltning else ""
    return render(
        request,
        "reports/coverage.html",
        {
            "forvaltning": forvaltning,
            "per_forvaltning": coverage.outside_per_forvaltning(),
            "page": page,
            "rows": rows,
            "query": query,
            "can_place": is_admin(request.user),
        },
    )


def coverage_table(forvaltning) -> Table:
    """Every manager in no active training group, as a table for the files."""
    rows = [
        [*_place(person), person.full_name, person.email, person.title]
        for person in coverage.managers_outside_groups(forvaltning)
    ]
    return Table(
        REPORT,
        _("Managers in no training group"),
        [
            Column(pgettext("department", "Administration"), "text"),
            Column(_("Unit"), "text"),
            Column(_("Manager"), "text"),
            Column(_("Email"), "text"),
            Column(_("Title"), "text"),
        ],
        rows,
    )


@require_safe
def coverage_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _reader(request)
    if fmt not in exports.WRITERS:
        raise Http404
    forvaltning = _forvaltning(request)
    filters = _filters(forvaltning)
    content = exports.WRITERS[fmt](coverage_table(forvaltning), filters)
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.EXPORT,
        report=REPORT,
        filters=filters,
        file_format=fmt,
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledarskap-{REPORT}-{stamp}.{fmt}"'
    return response
