"""Changes in reports: the access log (append-only) and the sick-leave import."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from reports import sick_leave
from reports.cache import figures_changed
from reports.forms import Filters
from reports.models import ReportAccess, SickLeaveFigure, SickLeaveImport


def access_log(*, user, action: str, report: str, filters: Filters, file_format: str = ""):
    return ReportAccess.objects.create(
        user=user,
        action=action,
        report=report,
        file_format=file_format,
        filters=filters.for_log(),
    )


@transaction.atomic
def sick_leave_preview(*, data: bytes, filename: str, created_by) -> SickLeaveImport:
    """Check the file and keep its rows for the preview; nothing else is written."""
    read = sick_leave.read(data=data, filename=filename)
    rows = read.rows
    months = sorted({row.month for row in rows})
    existing = SickLeaveFigure.objects.filter(
        department_id__in={row.department_id for row in rows}, month__in=months
    ).count()
    return SickLeaveImport.objects.create(
        created_by=created_by,
        filename=filename[:255],
        rows=sick_leave.as_json(rows),
        summary={
            "rows": len(rows),
            "months": [months[0], months[-1]],
            "departments": len({row.department_id for row in rows}),
            "replaced": existing,
            "skipped_totals": read.skipped_totals,
            "total_mismatches": read.total_mismatches,
        },
    )


@transaction.atomic
def sick_leave_apply(*, sick_leave_import: SickLeaveImport) -> dict:
    """Write a previewed file's figures, all or nothing; a second call changes nothing.

    A figure replaces the one for the same department and month; figures for a whole
    förvaltning and for its units in the same month replace each other (never both)."""
    locked = SickLeaveImport.objects.select_for_update().get(pk=sick_leave_import.pk)
    if locked.status == SickLeaveImport.Status.APPLIED:
        return locked.summary
    rows = [sick_leave.SickLeaveRow(**row) for row in locked.rows]
    departments = {
        d.pk: d for d in Department.objects.filter(pk__in={row.department_id for row in rows})
    }
    if len(departments) != len({row.department_id for row in rows}):
        raise ValidationError(_("A department in the file no longer exists. Upload it again."))
    for row in rows:
        department = departments[row.department_id]
        forvaltning_id = department.parent_id or department.pk
        other_level = (
            Q(department_id=forvaltning_id)
            if department.parent_id
            else Q(department__parent_id=forvaltning_id)
        )
        SickLeaveFigure.objects.filter(other_level, month=row.month).delete()
        SickLeaveFigure.objects.update_or_create(
            department=department,
            month=row.month,
            defaults={
                "employees": row.employees,
                "scheduled_hours": Decimal(row.scheduled_hours),
                "sick_hours": Decimal(row.sick_hours),
                "source": locked,
            },
        )
    locked.status = SickLeaveImport.Status.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["status", "applied_at"])
    # HR expects the dashboard to show the file they just applied.
    transaction.on_commit(figures_changed)
    return locked.summary
