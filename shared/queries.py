"""Query building blocks the apps share."""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet) -> Coalesce:
    """How many `rows` there are, as an expression for `annotate`: a correlated subquery.

    `rows` is filtered on an OuterRef and reduced to the outer key, as
    `Invitation.objects.filter(session=OuterRef("pk")).order_by().values("session")`. Counted
    per row of the outer query (an index lookup each), it keeps the outer rows unjoined:
    joining and grouping makes the database read every related row in a big table first."""
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
    )
