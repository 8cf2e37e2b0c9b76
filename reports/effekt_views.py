"""HR's Effekt view and its files. Every view and export is logged (ReportAccess)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from reports import cache, exports, services
from reports.effekt import Effekt
from reports.effekt_tables import (
    charts,
    export_table,
    forvaltning_table,
    group_table,
    programme_charts,
    programme_table,
)
from reports.forms import EffektFilterForm
from reports.models import ReportAccess
from reports.views import _reader

REPORT = "effekt"


def _form(request: HttpRequest) -> EffektFilterForm:
    form = EffektFilterForm(request.GET or {})
    form.is_valid()
    return form


def _figures(request: HttpRequest, effekt: Effekt, form: EffektFilterForm, query: str) -> str:
    chosen = form.cleaned_data.get("forvaltning")
    group = effekt.selected(chosen)
    latest = effekt.latest
    return render_to_string(
        "reports/_effekt.html",
        {
            "effekt": effekt,
            "group": group,
            "chosen_missing": chosen is not None and group.pk != chosen.pk,
            "chosen": chosen,
            "charts": charts(effekt, group),
            "table": group_table(effekt, group),
            "has_figures": latest is not None,
            "programme_charts": programme_charts(effekt) if effekt.programme else None,
            "programme_table": programme_table(effekt) if effekt.programme else None,
            "per_forvaltning": forvaltning_table(effekt, latest) if latest is not None else None,
            "minutes": settings.REPORTS_CACHE_SECONDS // 60,
            "query": query,
        },
        request=request,
    )


@require_safe
def effekt_view(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = _form(request)
    if form.errors:
        return render(request, "reports/effekt.html", {"form": form}, status=400)
    filters = form.filters()
    query = request.GET.urlencode()
    figures = cache.made_from_effekt(
        filters, ("page", query), lambda effekt: _figures(request, effekt, form, query)
    )
    services.access_log(
        user=request.user, action=ReportAccess.Action.VIEW, report=REPORT, filters=filters
    )
    return render(
        request,
        "reports/effekt.html",
        {
            "form": form,
            "query": query,
            # Rendered from our template, with autoescaping, and kept as a string.
            "figures": mark_safe(figures),  # noqa: S308  # nosec B308 B703
        },
    )


@require_safe
def effekt_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _reader(request)
    if fmt not in exports.WRITERS:
        raise Http404
    form = _form(request)
    if form.errors:
        return render(request, "reports/effekt.html", {"form": form}, status=400)
    filters = form.filters()
    chosen = filters.forvaltning
    content = cache.made_from_effekt(
        filters,
        ("export", fmt, chosen.pk if chosen else None, exports.FILE_VERSION),
        lambda effekt: exports.WRITERS[fmt](export_table(effekt, chosen), filters),
    )
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.EXPORT,
        report=REPORT,
        filters=filters,
        file_format=fmt,
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledarskap-effekt-{stamp}.{fmt}"'
    return response
