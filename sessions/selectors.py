"""Reads for sessions. Every list starts from what the user may see."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.permissions import AnyUser, is_admin, is_coach, is_hr
from sessions.models import Invitation, TrainingSession


def session_list_visible_to(user: AnyUser) -> QuerySet[TrainingSession]:
    """Admins and HR: all. Coaches: their programmes', cohorts' and own sessions.
    Managers: the sessions they are invited to."""
    sessions = TrainingSession.objects.select_related("programme", "cohort", "theme")
    if is_admin(user) or is_hr(user):
        return sessions
    if is_coach(user):
        return sessions.filter(
            Q(coaches=user) | Q(programme__coaches=user) | Q(cohort__coaches=user)
        ).distinct()
    return sessions.filter(invitations__user=user)


def session_get_visible_to(user: AnyUser, pk: int) -> TrainingSession | None:
    return session_list_visible_to(user).prefetch_related("coaches").filter(pk=pk).first()


def schedule(user: AnyUser, *, start: datetime, end: datetime) -> QuerySet[TrainingSession]:
    """Sessions in [start, end) with their invitation counts, for the coach's schedule."""
    return (
        session_list_visible_to(user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .annotate(
            invited=Count("invitations", distinct=True),
            excused=Count(
                "invitations", filter=Q(invitations__excused_at__isnull=False), distinct=True
            ),
        )
        .prefetch_related("coaches")
        .order_by("starts_at")
    )


def session_invitations(session: TrainingSession) -> QuerySet[Invitation]:
    return session.invitations.select_related("user__department__parent").order_by(
        "user__full_name"
    )


def my_invitations(user: AnyUser) -> dict[str, list[Invitation]]:
    """The manager's sessions: upcoming (soonest first) and past (latest first)."""
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(user=user)
        .select_related("session__cohort", "session__theme", "session__programme")
        .prefetch_related(Prefetch("session__coaches"))
    )
    return {
        "upcoming": list(
            invitations.filter(session__ends_at__gt=now).order_by("session__starts_at")
        ),
        "past": list(invitations.filter(session__ends_at__lte=now).order_by("-session__starts_at")),
    }


def _attending(session: TrainingSession) -> int:
    annotated = getattr(session, "attending", None)
    if annotated is not None:  # 0 is a real answer, not a reason to ask again
        return annotated
    return session.invitations.filter(excused_at__isnull=True).count()


def free_places(session: TrainingSession) -> int | None:
    """Places left, or None when the session has no limit."""
    if session.capacity is None:
        return None
    return max(session.capacity - _attending(session), 0)


def makeup_candidates(user: AnyUser) -> list[TrainingSession]:
    """Every session the manager may take to make up for a missed one, full or not."""
    return [s for offer in _makeup(user, with_free_place=False) for s in offer["sessions"]]


def makeup_offers(user: AnyUser) -> list[dict]:
    """For each past session the manager missed: upcoming sessions on the same theme in other
    training groups of the programme, and open make-up sessions, with a free place."""
    return _makeup(user, with_free_place=True)


def _makeup(user: AnyUser, *, with_free_place: bool) -> list[dict]:
    now = timezone.now()
    missed = list(
        Invitation.objects.filter(user=user, session__ends_at__lte=now)
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .filter(
            Q(attendance__in=[Invitation.Attendance.ABSENT, Invitation.Attendance.EXCUSED])
            | Q(attendance="", excused_at__isnull=False)
        )
        .select_related("session__theme")
        .order_by("-session__starts_at")[:10]
    )
    if not missed:
        return []
    mine = Invitation.objects.filter(user=user).values("session_id")
    candidates = list(
        TrainingSession.objects.filter(
            starts_at__gt=now,
            status=TrainingSession.Status.PLANNED,
            programme_id__in={m.session.programme_id for m in missed},
        )
        .exclude(pk__in=mine)
        .annotate(
            attending=Count(
                "invitations", filter=Q(invitations__excused_at__isnull=True), distinct=True
            )
        )
        .select_related("cohort", "theme")
        .order_by("starts_at")
    )
    offers = []
    for invitation in missed:
        missed_session = invitation.session
        matching = [
            s
            for s in candidates
            if s.programme_id == missed_session.programme_id
            and (s.cohort_id is None or s.cohort_id != missed_session.cohort_id)
            and (s.theme_id == missed_session.theme_id or (s.cohort_id is None and not s.theme_id))
            and (not with_free_place or free_places(s) != 0)
        ]
        if matching:
            offers.append(
                {
                    "missed": missed_session,
                    "sessions": matching[:5] if with_free_place else matching,
                }
            )
    return offers


def feed_sessions(user: AnyUser) -> QuerySet[TrainingSession]:
    """What a person's calendar feed holds: sessions they are invited to or run, from a year
    back, cancelled ones included so that calendars drop them."""
    since = timezone.now() - timedelta(days=365)
    return (
        TrainingSession.objects.filter(Q(invitations__user=user) | Q(coaches=user))
        .filter(ends_at__gte=since)
        .distinct()
        .prefetch_related("coaches")
        .order_by("starts_at")
    )


ABSENCE_STREAK_SIGNAL = 2


def cohort_attendance(cohort) -> dict:
    """Held sessions of the cohort and each active member's attendance at them, with the
    current streak of absences (förhinder and unrecorded sessions are skipped, not counted)."""
    sessions = list(
        TrainingSession.objects.filter(cohort=cohort, status=TrainingSession.Status.HELD).order_by(
            "starts_at"
        )
    )
    members = list(
        cohort.memberships.filter(left_on__isnull=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    marks = {
        (session_id, user_id): attendance
        for session_id, user_id, attendance in Invitation.objects.filter(
            session__in=sessions, user_id__in=[m.user_id for m in members]
        ).values_list("session_id", "user_id", "attendance")
    }
    rows = []
    for membership in members:
        row = [marks.get((session.pk, membership.user_id), "") for session in sessions]
        streak = 0
        for mark in reversed(row):
            if mark == Invitation.Attendance.ABSENT:
                streak += 1
            elif mark == Invitation.Attendance.PRESENT:
                break
        rows.append(
            {
                "user": membership.user,
                "marks": row,
                "streak": streak,
                "flagged": streak >= ABSENCE_STREAK_SIGNAL,
            }
        )
    return {"sessions": sessions, "rows": rows}


def absence_streaks(cohort) -> dict[int, int]:
    """User id -> current absence streak, for members at or over the signal."""
    return {
        row["user"].pk: row["streak"] for row in cohort_attendance(cohort)["rows"] if row["flagged"]
    }
