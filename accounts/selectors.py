from django.db.models import Count

from accounts.models import Department, User


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


def department_of(user: User) -> Department | None:
    """The person's department with its förvaltning (as str() names both), in one query."""
    if user.department_id is None:
        return None
    return Department.objects.select_related("parent").filter(pk=user.department_id).first()
