from django.db.models import Count, Q, QuerySet

from accounts.models import Department, User


def forvaltning_list_with_counts() -> QuerySet[Department]:
    """Active förvaltningar with their number of units and active managers."""
    return (
        Department.objects.filter(kind=Department.Kind.FORVALTNING, is_active=True)
        .annotate(
            unit_count=Count("units", filter=Q(units__is_active=True), distinct=True),
            manager_count=Count(
                "units__members",
                filter=Q(units__members__is_active=True, units__members__groups__name="chef"),
                distinct=True,
            ),
        )
        .order_by("name")
    )


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
