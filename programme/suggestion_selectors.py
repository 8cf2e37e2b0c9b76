"""Reads for managers' suggestions on the framework ("managers' voice"): the author sees
their own, the programme's coaches those sent to them, everyone in the programme what a coach
published, and HR counts only."""

from django.db.models import Count, Q, QuerySet

from accounts.permissions import AnyUser, is_coach, is_manager
from programme.models import (
    CohortMembership,
    FocusArea,
    FrameworkSuggestion,
    Keyword,
    Programme,
    Theme,
)

KINDS = {"tema": Theme, "fokusomrade": FocusArea, "ledord": Keyword}
FIELD_OF_KIND = {"tema": "theme", "fokusomrade": "focus_area", "ledord": "keyword"}


def programmes_of_manager(user: AnyUser) -> QuerySet[Programme]:
    """The programmes the manager takes part in now (an active training group)."""
    if not is_manager(user):
        return Programme.objects.none()
    cohorts = CohortMembership.objects.filter(user=user, left_on__isnull=True)
    return Programme.objects.filter(pk__in=cohorts.values("cohort__programme_id")).order_by(
        "-starts_on", "pk"
    )


def programmes_of_coach(user: AnyUser) -> QuerySet[Programme]:
    if not is_coach(user):
        return Programme.objects.none()
    return Programme.objects.filter(coaches=user)


def framework_item(kind: str, slug: str):
    model = KINDS.get(kind)
    if model is None:
        return None
    return model.objects.filter(slug=slug).first()


def _with_item(suggestions: QuerySet[FrameworkSuggestion]) -> QuerySet[FrameworkSuggestion]:
    return suggestions.select_related("theme", "focus_area", "keyword", "programme")


def own_suggestions(user: AnyUser) -> QuerySet[FrameworkSuggestion]:
    if not user.is_authenticated:
        return FrameworkSuggestion.objects.none()
    return _with_item(
        FrameworkSuggestion.objects.filter(author=user, withdrawn_at__isnull=True)
    ).select_related("answered_by")


def own_suggestion_get(user: AnyUser, pk: int) -> FrameworkSuggestion | None:
    return own_suggestions(user).filter(pk=pk).first()


def suggestions_for_coach(user: AnyUser) -> QuerySet[FrameworkSuggestion]:
    """What managers of this coach's programmes sent, withdrawn ones left out."""
    return _with_item(
        FrameworkSuggestion.objects.filter(
            programme__in=programmes_of_coach(user).values("pk"), withdrawn_at__isnull=True
        )
    ).select_related("author__department", "answered_by")


def waiting_for_coach(user: AnyUser) -> QuerySet[FrameworkSuggestion]:
    return suggestions_for_coach(user).filter(answered_at__isnull=True).order_by("created_at")


def waiting_count(user: AnyUser) -> int:
    return FrameworkSuggestion.objects.filter(
        programme__in=programmes_of_coach(user).values("pk"),
        withdrawn_at__isnull=True,
        answered_at__isnull=True,
    ).count()


def suggestion_get_for_coach(user: AnyUser, pk: int) -> FrameworkSuggestion | None:
    return suggestions_for_coach(user).filter(pk=pk).first()


def suggestion_withdrawn_for_coach(user: AnyUser, pk: int) -> bool:
    """Whether `pk` was sent to this coach and has been withdrawn since."""
    return FrameworkSuggestion.objects.filter(
        pk=pk,
        withdrawn_at__isnull=False,
        programme__in=programmes_of_coach(user).values("pk"),
    ).exists()


def published_for(user: AnyUser) -> QuerySet[FrameworkSuggestion]:
    """The published questions and answers of the programmes the person is in: a manager's
    own programmes, a coach's."""
    programmes = programmes_of_manager(user).values("pk")
    visible = Q(programme__in=programmes)
    if is_coach(user):
        visible |= Q(programme__in=programmes_of_coach(user).values("pk"))
    return (
        _with_item(
            FrameworkSuggestion.objects.filter(
                visible, published_at__isnull=False, withdrawn_at__isnull=True
            )
        )
        .select_related("author", "answered_by")
        .order_by("-published_at", "-pk")
    )


def counts_per_item() -> dict:
    """For HR: how many suggestions each theme, focus area and ledord has had, and how many
    are answered. Never any text or name. Withdrawn ones are not counted."""
    sent = FrameworkSuggestion.objects.filter(withdrawn_at__isnull=True)
    answered = Count("pk", filter=Q(answered_at__isnull=False))
    rows = {}
    for kind, field in FIELD_OF_KIND.items():
        figures = {
            row[field]: (row["sent"], row["answered"])
            for row in sent.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(sent=Count("pk"), answered=answered)
        }
        rows[kind] = [
            {
                "item": item,
                "sent": figures.get(item.pk, (0, 0))[0],
                "answered": figures.get(item.pk, (0, 0))[1],
            }
            for item in KINDS[kind].objects.all()
        ]
    return rows
