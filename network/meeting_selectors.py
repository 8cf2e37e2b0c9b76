"""Reads for network meetings. A meeting is its group's: only the group's current members see
it (everyone else gets "not found"); the coach sees counts per group, never a meeting."""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.permissions import AnyUser, is_coach
from network.models import Meeting, MeetingInvitation, MeetingTakeaway
from network.selectors import member_groups
from programme.models import Cohort, NetworkGroup, NetworkRound

FEED_DAYS_BACK = 365


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """The meetings of the user's current network groups."""
    return Meeting.objects.filter(group__in=member_groups(user).values("pk"))


def _with_my_response(meetings: QuerySet[Meeting], user: AnyUser) -> QuerySet[Meeting]:
    mine = MeetingInvitation.objects.filter(meeting=OuterRef("pk"), user=user).values("response")
    return meetings.annotate(my_response=Subquery(mine[:1]))


def meeting_get_visible_to(user: AnyUser, pk: int) -> Meeting | None:
    return (
        _with_my_response(meetings_visible_to(user), user)
        .select_related("group__round", "proposed_by")
        .filter(pk=pk)
        .first()
    )


def meeting_list(group: NetworkGroup, user: AnyUser, *, now: datetime | None = None) -> dict:
    """The group's coming meetings (soonest first) and its earlier ones (latest first), each
    with the user's own answer and the number of members coming."""
    now = now or timezone.now()
    meetings = _with_my_response(
        group.meetings.select_related("proposed_by").annotate(
            coming=Count(
                "invitations", filter=Q(invitations__response=MeetingInvitation.Response.YES)
            )
        ),
        user,
    )
    return {
        "coming": meetings.filter(ends_at__gt=now).order_by("starts_at", "pk"),
        "earlier": meetings.filter(ends_at__lte=now).order_by("-starts_at", "-pk"),
    }


def meeting_answers(meeting: Meeting) -> QuerySet[MeetingInvitation]:
    """Who was invited and what each answered (shown to the group)."""
    return meeting.invitations.select_related("user").order_by("user__full_name", "pk")


def takeaway_of(user: AnyUser, meeting: Meeting) -> MeetingTakeaway | None:
    """The user's own journal entry about the meeting, if they wrote one (not in the trash)."""
    return (
        MeetingTakeaway.objects.filter(
            meeting=meeting, entry__author=user, entry__deleted_at__isnull=True
        )
        .select_related("entry")
        .first()
    )


def next_meeting(user: AnyUser, *, now: datetime | None = None) -> Meeting | None:
    """The user's next network meeting (or the one going on), with their answer: one query."""
    now = now or timezone.now()
    return (
        _with_my_response(meetings_visible_to(user), user)
        .filter(cancelled_at__isnull=True, ends_at__gt=now)
        .select_related("group")
        .order_by("starts_at", "pk")
        .first()
    )


def feed_meetings(user: AnyUser) -> QuerySet[Meeting]:
    """The meetings in a person's calendar feed: those they were invited to, from a year
    back, cancelled ones included so that calendars drop them."""
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        Meeting.objects.filter(invitations__user=user, ends_at__gte=since)
        .select_related("group", "proposed_by")
        .order_by("starts_at", "pk")
    )


def round_get_for_coach(user: AnyUser, pk: int) -> NetworkRound | None:
    """A published round of a training group this coach runs."""
    if not is_coach(user):
        return None
    cohorts = Cohort.coaches.through.objects.filter(user=user).values("cohort_id")
    return (
        NetworkRound.objects.filter(pk=pk, published_at__isnull=False, cohorts__in=cohorts)
        .select_related("programme")
        .distinct()
        .first()
    )


def round_meeting_counts(network_round: NetworkRound, *, now: datetime | None = None):
    """Per group of the round: how many meetings it has held and has planned (counts only,
    never when, where or what)."""
    now = now or timezone.now()
    not_cancelled = Q(meetings__cancelled_at__isnull=True)
    return network_round.groups.annotate(
        held=Count("meetings", filter=not_cancelled & Q(meetings__ends_at__lte=now), distinct=True),
        planned=Count(
            "meetings", filter=not_cancelled & Q(meetings__ends_at__gt=now), distinct=True
        ),
    ).order_by("number")


def group_member_list(group: NetworkGroup) -> QuerySet[User]:
    return group.members.filter(is_active=True).order_by("full_name", "pk")
