"""The sick-leave import for HR: upload, preview, confirm (all or nothing)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import permissions, services
from reports.forms import SickLeaveUploadForm
from reports.models import SickLeaveFigure, SickLeaveImport
from reports.sick_leave import SickLeaveRow
from shared.spreadsheets import MAX_BYTES, ImportFileError


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


def sick_leave_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _importer(request)
    upload = get_object_or_404(SickLeaveImport, pk=pk)
    rows = [SickLeaveRow(**row) for row in upload.rows]
    return render(
        request,
        "reports/sick_leave_preview.html",
        {
            "upload": upload,
            "rows": rows[:200],
            "row_count": len(rows),
            "is_applied": upload.status == SickLeaveImport.Status.APPLIED,
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
