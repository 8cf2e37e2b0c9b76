"""Staff import pages for HR and administrators: upload, preview, confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import forms, permissions, services, staff_import
from accounts.models import StaffImport
from shared.spreadsheets import MAX_BYTES, TEMPLATE_CONTENT_TYPES, ImportFileError


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import_staff(request.user):
        raise PermissionDenied


def staff_import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = forms.StaffImportUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.staff_import_preview(
                data=upload.read(MAX_BYTES + 1),
                filename=upload.name,
                created_by=request.user,
            )
        except ImportFileError as error:
            errors = error.messages
        else:
            return redirect("accounts:staff-import-preview", pk=created.pk)
    return render(
        request,
        "accounts/staff_import_upload.html",
        {
            "form": form,
            "errors": errors,
            "recent": StaffImport.objects.select_related("created_by")[:10],
        },
        status=400 if errors else 200,
    )


@require_safe
def staff_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The file to fill in, with the header row the import expects and one example row."""
    _require_importer(request)
    if fmt not in TEMPLATE_CONTENT_TYPES:
        raise Http404
    response = HttpResponse(staff_import.template(fmt), content_type=TEMPLATE_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mall-personallista.{fmt}"'
    return response


def staff_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    staff_import_row = get_object_or_404(StaffImport, pk=pk)
    diff = staff_import.compare([staff_import.StaffRow(**row) for row in staff_import_row.rows])
    return render(
        request,
        "accounts/staff_import_preview.html",
        {
            "staff_import": staff_import_row,
            "diff": diff,
            "form": forms.StaffImportConfirmForm(missing_count=len(diff.missing)),
            "is_applied": staff_import_row.status == StaffImport.Status.APPLIED,
        },
    )


@require_POST
def staff_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    staff_import_row = get_object_or_404(StaffImport, pk=pk)
    form = forms.StaffImportConfirmForm(request.POST, missing_count=1)
    form.is_valid()  # one optional checkbox: always valid
    try:
        summary = services.staff_import_apply(
            staff_import=staff_import_row,
            deactivate_missing=form.cleaned_data.get("deactivate_missing", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:staff-import")
    messages.success(
        request,
        _(
            "The list is imported. New: %(new)d, changed: %(changed)d, "
            "unchanged: %(unchanged)d, deactivated: %(deactivated)d."
        )
        % summary,
    )
    return redirect("accounts:staff-import-preview", pk=staff_import_row.pk)
