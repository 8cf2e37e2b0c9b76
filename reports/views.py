"""HR's participation dashboard and its exports. Every view and export is logged."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from reports import cache, exports, permissions, selectors, services
from reports.charts import sick_leave_chart, trend_charts
from reports.forms import ReportFilterForm
from reports.models import ReportAccess
from reports.tables import TABLES, table_of, tables


def _reader(request: HttpRequest) -> None:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied


def _figures(request: HttpRequest, board: selectors.Dashboard, query: str) -> str:
    all_tables = tables(board)
    managers_table = all_tables["chefer"]
    return render_to_string(
        "reports/_figures.html",
        {
            "board": board,
            "minutes": settings.REPORTS_CACHE_SECONDS // 60,
            "tables": [
                all_tables[slug] for slug in ("forvaltningar", "enheter", "traningsgrupper")
            ],
            "overview": all_tables["oversikt"],
            "trend_table": all_tables["trender"],
            "charts": trend_charts(board.trends),
            "sick_leave_chart": sick_leave_chart(board.sick_leave.months),
            "sick_leave_table": all_tables["sjukfranvaro"],
            "sick_leave_by_forvaltning": all_tables["sjukfranvaro-forvaltningar"],
            "managers_table": managers_table,
            "managers_shown": len(managers_table.rows) <= selectors.MANAGER_ROWS_ON_PAGE,
            "query": query,
        },
        request=request,
    )


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = ReportFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    if not request.GET:
        form = ReportFilterForm({})
        form.is_valid()
    filters = form.filters()
    query = request.GET.urlencode()
    # Counted figures are kept a while (reports.cache); the page is rendered once per count.
    figures = cache.made_from_dashboard(
        filters, ("page", query), lambda board: _figures(request, board, query)
    )
    services.access_log(
        user=request.user, action=ReportAccess.Action.VIEW, report="deltagande", filters=filters
    )
    return render(
        request,
        "reports/dashboard.html",
        {"form": form, "figures": mark_safe(figures)},  # noqa: S308  # nosec B308 B703 (our template)
    )


@require_safe
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    _reader(request)
    if table not in TABLES or fmt not in exports.WRITERS:
        raise Http404
    form = ReportFilterForm(request.GET or {})
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    # The file is written once per count of the figures (reports.cache), like the page.
    content = cache.made_from_dashboard(
        filters,
        ("export", table, fmt, exports.FILE_VERSION),
        lambda board: exports.WRITERS[fmt](table_of(board, table), filters),
    )
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.EXPORT,
        report=table,
        filters=filters,
        file_format=fmt,
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledarskap-{table}-{stamp}.{fmt}"'
    return response
