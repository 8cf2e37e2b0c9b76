"""HR's participation dashboard and its exports. Every view and export is logged."""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
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
from reports.tables import TABLES, Table, forvaltning_units_table, table_of, tables

# A förvaltning's units and the training groups are listed this many to a page (the files
# hold every row); the dashboard lists the training groups itself up to COHORTS_ON_DASHBOARD.
UNITS_PER_PAGE = 50
COHORTS_PER_PAGE = 50
COHORTS_ON_DASHBOARD = 25


def _reader(request: HttpRequest) -> None:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied


def _figures(request: HttpRequest, board: selectors.Dashboard, query: str) -> str:
    all_tables = tables(board)
    managers_table = all_tables["chefer"]
    cohorts_table = all_tables["traningsgrupper"]
    # Units on the main page only when HR has chosen a förvaltning or unit; otherwise each
    # förvaltning's units are on its own page (at national scale, thousands of rows).
    units_shown = bool(board.filters.forvaltning or board.filters.enhet)
    return render_to_string(
        "reports/_figures.html",
        {
            "board": board,
            "minutes": settings.REPORTS_CACHE_SECONDS // 60,
            "forvaltningar_table": all_tables["forvaltningar"],
            "units_table": all_tables["enheter"],
            "units_shown": units_shown,
            "cohorts_table": cohorts_table,
            "cohorts_shown": len(cohorts_table.rows) <= COHORTS_ON_DASHBOARD,
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
    # The filter lists every förvaltning, programme and training group it offers (hundreds of
    # <option>s at national scale): drawn once per count and query string, like the figures.
    filter_form = cache.made_from_dashboard(
        filters,
        ("filter", query),
        lambda board: render_to_string("reports/_filter.html", {"form": form}, request=request),
    )
    services.access_log(
        user=request.user, action=ReportAccess.Action.VIEW, report="deltagande", filters=filters
    )
    return render(
        request,
        "reports/dashboard.html",
        # Both rendered from our templates, with autoescaping, and kept as strings.
        {
            "form": form,
            "filter_form": mark_safe(filter_form),  # noqa: S308  # nosec B308 B703
            "figures": mark_safe(figures),  # noqa: S308  # nosec B308 B703
        },
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


def _filters_or_400(request: HttpRequest):
    """The filters from the query string (the page parameter aside), or a 400 page."""
    form = ReportFilterForm(request.GET or {})
    if not form.is_valid():
        return None, render(request, "reports/dashboard.html", {"form": form}, status=400)
    return form.filters(), None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page_number(request: HttpRequest) -> int:
    """The page asked for, as a number for the cache key (Paginator.get_page makes any
    value a real page: page 1 for text, the last page past the end)."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _listing(request: HttpRequest, template: str, context: dict) -> str:
    return render_to_string(
        template,
        context | {"minutes": settings.REPORTS_CACHE_SECONDS // 60},
        request=request,
    )


@require_safe
def forvaltning_units(request: HttpRequest, pk: int) -> HttpResponse:
    """One förvaltning's units, from the same counted figures as the dashboard."""
    _reader(request)
    forvaltning = selectors.forvaltning_get(pk)
    if forvaltning is None:
        raise Http404
    filters, refused = _filters_or_400(request)
    if refused:
        return refused
    query = _query_without_page(request)
    number = _page_number(request)
    # The download holds this förvaltning's units: the same filters, narrowed to it
    # (unless HR has chosen it or one of its units already).
    export_query = request.GET.copy()
    export_query.pop("page", None)
    if not filters.forvaltning and not filters.enhet:
        export_query["forvaltning"] = str(forvaltning.pk)

    def make(board: selectors.Dashboard) -> str:
        keys = selectors.department_keys(forvaltning)
        table = forvaltning_units_table(board, keys, forvaltning.name)
        page = Paginator(range(len(table.rows)), UNITS_PER_PAGE).get_page(number)
        return _listing(
            request,
            "reports/_units.html",
            {
                "board": board,
                "forvaltning": forvaltning,
                "table": table.page_of(page),
                "page": page,
                "export_query": export_query.urlencode(),
            },
        )

    listing = cache.made_from_dashboard(filters, ("forvaltning", pk, number, query), make)
    logged = (
        filters
        if filters.forvaltning or filters.enhet
        else replace(filters, forvaltning=forvaltning)
    )
    services.access_log(
        user=request.user, action=ReportAccess.Action.VIEW, report="enheter", filters=logged
    )
    return render(
        request,
        "reports/forvaltning_units.html",
        {
            "forvaltning": forvaltning,
            "query": query,
            "listing": mark_safe(listing),  # noqa: S308  # nosec B308 B703 (our template)
        },
    )


@require_safe
def cohorts(request: HttpRequest) -> HttpResponse:
    """The training groups' attendance, page by page, from the dashboard's counted figures."""
    _reader(request)
    filters, refused = _filters_or_400(request)
    if refused:
        return refused
    query = _query_without_page(request)
    number = _page_number(request)

    def make(board: selectors.Dashboard) -> str:
        table: Table = table_of(board, "traningsgrupper")
        page = Paginator(range(len(table.rows)), COHORTS_PER_PAGE).get_page(number)
        return _listing(
            request,
            "reports/_cohorts.html",
            {"board": board, "table": table.page_of(page), "page": page, "query": query},
        )

    listing = cache.made_from_dashboard(filters, ("traningsgrupper", number, query), make)
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.VIEW,
        report="traningsgrupper",
        filters=filters,
    )
    return render(
        request,
        "reports/cohorts.html",
        {
            "query": query,
            "listing": mark_safe(listing),  # noqa: S308  # nosec B308 B703 (our template)
        },
    )
