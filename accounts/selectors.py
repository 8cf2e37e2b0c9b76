from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from accounts.models import Department, User
from accounts.roles import Role


def forvaltning_list_with_counts() -> list[Department]:
    """Active förvaltningar with their number of units and of active managers (in the
    förvaltning's units or placed in the förvaltning itself)."""
    managers = dict(
        User.objects.filter(is_active=True, groups__name=Role.CHEF, department__isnull=False)
        .annotate(forvaltning=Coalesce("department__parent_id", "department_id"))
        .values("forvaltning")
        .annotate(n=Count("pk", distinct=True))
        .values_list("forvaltning", "n")
    )
    forvaltningar = list(
        Department.objects.filter(kind=Department.Kind.FORVALTNING, is_active=True)
        .annotate(unit_count=Count("units", filter=Q(units__is_active=True)))
        .order_by("name")
    )
    for forvaltning in forvaltningar:
        forvaltning.manager_count = managers.get(forvaltning.pk, 0)
    return forvaltningar


def user_counts_by_role() -> dict[str, int]:
    """Active users per role group, and superusers as `admin`."""
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("groups__name")
        .annotate(n=Count("pk", distinct=True))
        .exclude(groups__name=None)
    )
    counts["admin"] = User.objects.filter(is_active=True, is_superuser=True).count()
    return counts


def staff_import_latest():
    """When the latest staff list was applied (a datetime), or None."""
    from accounts.models import StaffImport

    return (
        StaffImport.objects.filter(status=StaffImport.Status.APPLIED)
        .order_by("-applied_at")
        .values_list("applied_at", flat=True)
        .first()
    )
