"""Reads for the programme app. Every list starts from what the user may see."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import AnyUser, is_admin, is_coach, is_hr
from programme.grouping import Cost, Person, cost_of
from programme.models import (
    Cohort,
    CohortMembership,
    FocusArea,
    Keyword,
    Module,
    NetworkGroup,
    NetworkRound,
    Programme,
    Theme,
)
from shared.queries import count_of


def framework() -> dict:
    """The three themes, focus areas and ledord, in order."""
    return {
        "themes": list(Theme.objects.all()),
        "focus_areas": list(FocusArea.objects.all()),
        "keywords": list(Keyword.objects.all()),
    }


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("coaches")


def programme_modules(programme: Programme) -> QuerySet[Module]:
    """The programme's material in theme order, with links and attachments."""
    return programme.modules.select_related("theme").prefetch_related("links", "attachments")


def programme_list_editable_by(user: AnyUser) -> QuerySet[Programme]:
    if is_admin(user):
        return Programme.objects.all()
    if is_coach(user):
        return Programme.objects.filter(coaches=user)
    return Programme.objects.none()


def cohort_list_visible_to(user: AnyUser) -> QuerySet[Cohort]:
    """Admins and HR see every cohort; coaches those of their programmes and their own.
    With each cohort's number of members, for lists: counted per cohort listed (an index
    lookup each); joining and grouping the memberships merged through every membership in
    the country for a coach's few groups."""
    members = CohortMembership.objects.filter(cohort=OuterRef("pk"), left_on__isnull=True)
    return cohorts_visible_to(user).annotate(
        member_count=count_of(members.order_by().values("cohort"))
    )


def with_participant_count(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """`cohorts` with participant_count: everyone who has been a member, once each (what an
    ended group is remembered by; its members today are often none)."""
    everyone = (
        CohortMembership.objects.filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("user_id", distinct=True))
        .values("n")
    )
    return cohorts.annotate(
        participant_count=Coalesce(Subquery(everyone), 0, output_field=IntegerField())
    )


def cohorts_visible_to(user: AnyUser) -> QuerySet[Cohort]:
    """The cohorts of cohort_list_visible_to, without the member counts (one cohort's page,
    the choices of a form)."""
    cohorts = Cohort.objects.select_related("programme")
    if is_admin(user) or is_hr(user):
        return cohorts
    if is_coach(user):
        # A subquery, not a join: joining the coaches would multiply the member count.
        return cohorts.filter(pk__in=cohort_list_editable_by(user).values("pk"))
    return cohorts.none()


def cohort_list_editable_by(user: AnyUser) -> QuerySet[Cohort]:
    """Cohorts the user may change: as a coach of the cohort or of its programme."""
    if is_admin(user):
        return Cohort.objects.all()
    if not is_coach(user):
        return Cohort.objects.none()
    # Subqueries, not joins: no duplicates to remove (a join with OR and DISTINCT read and
    # sorted every cohort in the country).
    return Cohort.objects.filter(
        Q(pk__in=Cohort.coaches.through.objects.filter(user=user).values("cohort_id"))
        | Q(
            programme__in=Programme.coaches.through.objects.filter(user=user).values("programme_id")
        )
    )


def cohort_get_visible_to(user: AnyUser, pk: int) -> Cohort | None:
    return cohorts_visible_to(user).prefetch_related("coaches").filter(pk=pk).first()


def cohort_members(cohort: Cohort) -> QuerySet[CohortMembership]:
    """Active memberships with the person and their department."""
    return (
        cohort.memberships.filter(left_on__isnull=True)
        .select_related("user__department__parent")
        .order_by("user__full_name")
    )


def cohort_former_members(cohort: Cohort) -> QuerySet[CohortMembership]:
    return (
        cohort.memberships.filter(left_on__isnull=False)
        .select_related("user")
        .order_by("-left_on", "user__full_name")
    )


def cohort_rounds(cohort: Cohort) -> QuerySet[NetworkRound]:
    return cohort.network_rounds.prefetch_related(
        "cohorts",
        Prefetch(
            "groups",
            queryset=NetworkGroup.objects.prefetch_related(
                Prefetch("members", queryset=User.objects.select_related("department__parent"))
            ),
        ),
    )


def round_get_visible_to(user: AnyUser, pk: int) -> NetworkRound | None:
    visible = cohort_list_visible_to(user)
    return (
        NetworkRound.objects.filter(pk=pk, cohorts__in=visible.values("pk"))
        .select_related("programme")
        .prefetch_related(
            "cohorts",
            Prefetch(
                "groups",
                queryset=NetworkGroup.objects.prefetch_related(
                    Prefetch("members", queryset=User.objects.select_related("department__parent"))
                ),
            ),
        )
        .first()
    )


def active_membership_list(user: AnyUser) -> QuerySet[CohortMembership]:
    """The manager's active cohorts, with programme and coaches."""
    return (
        CohortMembership.objects.filter(user=user, left_on__isnull=True)
        .select_related("cohort__programme")
        .prefetch_related("cohort__coaches")
    )


def published_group_list(user: AnyUser) -> QuerySet[NetworkGroup]:
    """The network groups the manager is in, newest round first, published only."""
    return (
        NetworkGroup.objects.filter(members=user, round__published_at__isnull=False)
        .select_related("round__programme")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.select_related("department__parent"))
        )
        .order_by("-round__published_at")
    )


def round_cost(network_round: NetworkRound) -> Cost:
    """Same-förvaltning pairs and pairs who met in earlier rounds, in this round's groups."""
    groups = [
        [Person(user.pk, user.forvaltning_id) for user in group.members.all()]
        for group in network_round.groups.all()
    ]
    return cost_of(groups, past_pairs(network_round.programme, before=network_round))


def past_pairs(programme: Programme, before: NetworkRound | None = None) -> set[frozenset[int]]:
    """Pairs of people who have been in a network group together in the programme
    (in rounds created before `before`, when given)."""
    pairs: set[frozenset[int]] = set()
    through = NetworkGroup.members.through
    # Only published rounds: people in a discarded draft have not met.
    rows = through.objects.filter(
        networkgroup__round__programme=programme,
        networkgroup__round__published_at__isnull=False,
    )
    if before is not None:
        rows = rows.filter(networkgroup__round__created_at__lt=before.created_at).exclude(
            networkgroup__round=before
        )
    rows = rows.values_list("networkgroup_id", "user_id")
    by_group: dict[int, list[int]] = {}
    for group_id, user_id in rows:
        by_group.setdefault(group_id, []).append(user_id)
    for members in by_group.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return pairs
