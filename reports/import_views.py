"""The sick-leave import for HR: upload, preview, confirm (all or nothing)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reports import permissions, services, sick_leave
from reports.forms import SickLeaveUploadForm
from reports.models import SickLeaveFigure, SickLeaveImport
from reports.sick_leave import SickLeaveRow
from shared.spreadsheets import MAX_BYTES, TEMPLATE_CONTENT_TYPES, ImportFileError, row_numbers


def _importer(request: HttpRequest) -> None:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied


def sick_leave_upload(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = SickLeaveUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.sick_leave_preview(
                data=upload.read(MAX_BYTES + 1), filename=upload.name, created_by=request.user
            )
        except ImportFileError as error:
            errors = error.messages
        else:
            return redirect("reports:sick-leave-preview", pk=created.pk)
    return render(
        request,
        "reports/sick_leave_upload.html",
        {
            "form": form,
            "errors": errors,
            "recent": SickLeaveImport.objects.select_related("created_by")[:10],
            "figure_count": SickLeaveFigure.objects.count(),
        },
        status=400 if errors or form.errors else 200,
    )


@require_safe
def sick_leave_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The file to fill in, with the header row the import expects and one example row."""
    _importer(request)
    if fmt not in TEMPLATE_CONTENT_TYPES:
        raise Http404
    response = HttpResponse(sick_leave.template(fmt), content_type=TEMPLATE_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mall-sjukfranvaro.{fmt}"'
    return response


def _number(text: str) -> str:
    """A number as the file had it, in the reader's language: 15 450 and 320,5 in Swedish."""
    return number_format(Decimal(text), force_grouping=True)


def _shown(row: SickLeaveRow) -> dict:
    return {
        "row": row.row,
        "forvaltning": row.forvaltning,
        "enhet": row.enhet,
        "month": row.month[:7],
        "employees": _number(str(row.employees)),
        "scheduled_hours": _number(row.scheduled_hours),
        "sick_hours": _number(row.sick_hours),
    }


def _mismatches(summary: dict) -> list[dict]:
    return [
        {
            **mismatch,
            "columns": ", ".join(sick_leave.column_label(column) for column in mismatch["columns"]),
        }
        for mismatch in summary.get("total_mismatches", [])
    ]


def sick_leave_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _importer(request)
    upload = get_object_or_404(SickLeaveImport, pk=pk)
    rows = [SickLeaveRow(**row) for row in upload.rows[:200]]
    skipped = upload.summary.get("skipped_totals", [])
    return render(
        request,
        "reports/sick_leave_preview.html",
        {
            "upload": upload,
            "rows": [_shown(row) for row in rows],
            "row_count": len(upload.rows),
            "is_applied": upload.status == SickLeaveImport.Status.APPLIED,
            "skipped_count": len(skipped),
            "skipped_rows": row_numbers(skipped),
            "mismatches": _mismatches(upload.summary),
        },
    )


@require_POST
def sick_leave_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _importer(request)
    upload = get_object_or_404(SickLeaveImport, pk=pk)
    try:
        summary = services.sick_leave_apply(sick_leave_import=upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:sick-leave-import")
    messages.success(
        request,
        _("The sick-leave figures are imported: %(rows)d rows.") % {"rows": summary["rows"]},
    )
    return redirect("reports:sick-leave-preview", pk=upload.pk)
