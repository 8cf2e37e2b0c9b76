"""Reads for sessions. Every list starts from what the user may see."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import AnyUser, is_admin, is_coach, is_hr
from programme.models import CohortMembership
from sessions.models import Invitation, TrainingSession
from shared.queries import count_of


def session_list_visible_to(user: AnyUser) -> QuerySet[TrainingSession]:
    """Admins and HR: all. Coaches: their programmes', cohorts' and own sessions.
    Managers: the sessions they are invited to."""
    sessions = TrainingSession.objects.select_related("programme", "cohort", "theme")
    if is_admin(user) or is_hr(user):
        return sessions
    if is_coach(user):
        return sessions.filter(pk__in=_coached_session_ids(user))
    return sessions.filter(invitations__user=user)


def _coached_session_ids(coach: AnyUser) -> QuerySet:
    """Ids of the sessions the coach runs, as a coach of the session, of its training group
    or of its programme: three index lookups in a union. (Joining the three coach tables
    with OR and removing the duplicates read every session in the country.)"""
    by = TrainingSession.objects.order_by()
    return (
        by.filter(coaches=coach)
        .values("pk")
        .union(
            by.filter(programme__coaches=coach).values("pk"),
            by.filter(cohort__coaches=coach).values("pk"),
        )
    )


def session_get_visible_to(user: AnyUser, pk: int) -> TrainingSession | None:
    """One session, with its coaches, if the user may see it (as session_list_visible_to).
    A coach's session is read by its id and checked against its coaches (already read) and
    then its group's and programme's: cheaper than the list's union for one row."""
    sessions = (
        TrainingSession.objects.select_related("programme", "cohort", "theme")
        .prefetch_related("coaches")
        .filter(pk=pk)
    )
    if is_admin(user) or is_hr(user):
        return sessions.first()
    if is_coach(user):
        session = sessions.first()
        if session is None:
            return None
        coaches_it = (
            any(coach.pk == user.pk for coach in session.coaches.all())
            or session.programme.coaches.filter(pk=user.pk).exists()
            or (
                session.cohort_id is not None and session.cohort.coaches.filter(pk=user.pk).exists()
            )
        )
        return session if coaches_it else None
    return sessions.filter(invitations__user=user).first()


def schedule(user: AnyUser, *, start: datetime, end: datetime) -> QuerySet[TrainingSession]:
    """Sessions in [start, end) with their invitation counts, for the coach's schedule. The
    counts are subqueries, not a join: a page of the list counts only its own sessions, and
    the paginator's count() leaves them out."""
    invitations = Invitation.objects.filter(session=OuterRef("pk")).order_by().values("session")
    return (
        session_list_visible_to(user)
        .select_related(None)
        .select_related("cohort")  # the schedule shows the group, not the programme or theme
        .filter(starts_at__lt=end, ends_at__gt=start)
        .annotate(
            invited=count_of(invitations),
            excused=count_of(invitations.filter(excused_at__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )


def schedule_earlier(user: AnyUser, *, before: datetime) -> QuerySet[TrainingSession]:
    """Sessions that ended before `before`, latest first, with their invitation counts."""
    return (
        schedule(user, start=datetime.min.replace(tzinfo=UTC), end=before)
        .filter(ends_at__lte=before)
        .order_by("-starts_at", "-pk")
    )


def session_invitations(session: TrainingSession) -> QuerySet[Invitation]:
    return session.invitations.select_related("user__department__parent").order_by(
        "user__full_name", "pk"
    )


def my_invitations(user: AnyUser) -> dict:
    """The manager's sessions: the upcoming ones (soonest first, cancelled ones marked where
    they are) as a list, the past ones (latest first) as a query to page through; each read
    with its session (the page shows nothing of the group, theme or coaches)."""
    now = timezone.now()
    invitations = Invitation.objects.filter(user=user).select_related("session")
    return {
        "upcoming": list(
            invitations.filter(session__ends_at__gt=now).order_by(
                "session__starts_at", "session_id"
            )
        ),
        "past": invitations.filter(session__ends_at__lte=now).order_by(
            "-session__starts_at", "-session_id"
        ),
    }


# The sessions a manager picks from when linking an entry or a commitment: from a year back
# to the coming months (a long programme would otherwise offer every session of ten years).
LINKABLE_BACK = timedelta(days=365)
LINKABLE_AHEAD = timedelta(days=120)


def linkable_sessions(user: AnyUser, *, keep: Iterable[int | None] = ()) -> QuerySet:
    """The sessions the manager was invited to that an entry or a commitment may name: not
    cancelled, from a year back to the coming months, latest first, with the group for the
    label; plus those in `keep` (the one already named, even when older or cancelled since),
    so that saving never drops a link the person made."""
    now = timezone.now()
    recent = Q(starts_at__gte=now - LINKABLE_BACK, starts_at__lte=now + LINKABLE_AHEAD) & ~Q(
        status=TrainingSession.Status.CANCELLED
    )
    kept = [pk for pk in keep if pk]
    return (
        TrainingSession.objects.filter(invitations__user=user)
        .filter(recent | Q(pk__in=kept))
        .select_related("cohort")
        .only("pk", "title", "starts_at", "status", "cohort__name")
        .order_by("-starts_at", "-pk")
    )


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
        .select_related("session")
        .order_by("-session__starts_at")[:10]
    )
    if not missed:
        return []
    mine = Invitation.objects.filter(user=user).values("session_id")
    # Only sessions that can match below: on a missed session's theme, or open make-up
    # sessions (no group, no theme); each counted on its own invitations.
    themes = {m.session.theme_id for m in missed}
    on_theme = Q(theme_id__in=themes - {None}) | Q(theme__isnull=True)
    attending = Invitation.objects.filter(session=OuterRef("pk"), excused_at__isnull=True)
    candidates = list(
        TrainingSession.objects.filter(
            on_theme,
            starts_at__gt=now,
            status=TrainingSession.Status.PLANNED,
            programme_id__in={m.session.programme_id for m in missed},
        )
        .exclude(pk__in=mine)
        .annotate(attending=count_of(attending.order_by().values("session")))
        .select_related("cohort")
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


def cohort_active_memberships(cohort) -> QuerySet:
    """The cohort's active members, by name (the id breaking ties, for paging)."""
    return (
        cohort.memberships.filter(left_on__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def cohort_attendance(cohort, memberships=None) -> dict:
    """Held sessions of the cohort and each active member's attendance at them (or those of
    `memberships`, a page of cohort_active_memberships), with the current streak of absences
    (förhinder and unrecorded sessions are skipped, not counted)."""
    sessions = list(
        TrainingSession.objects.filter(cohort=cohort, status=TrainingSession.Status.HELD).order_by(
            "starts_at"
        )
    )
    members = list(cohort_active_memberships(cohort) if memberships is None else memberships)
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
    """User id -> current absence streak, for active members at or over the signal: their
    absences at the cohort's held sessions after the last one they attended (förhinder and
    unrecorded sessions neither count nor break it). Two queries whatever the group's
    history: when each member last attended, then the absences after that, counted."""
    held = Invitation.objects.filter(
        session__cohort=cohort,
        session__status=TrainingSession.Status.HELD,
        user__in=cohort.memberships.filter(left_on__isnull=True).values("user"),
    )
    last_attended = dict(
        held.filter(attendance=Invitation.Attendance.PRESENT)
        .values("user")
        .annotate(last=Max("session__starts_at"))
        .values_list("user", "last")
        .order_by()
    )
    since_last = ~Q(user__in=list(last_attended))  # those who never attended: every absence
    for user_id, last in last_attended.items():
        since_last |= Q(user=user_id, session__starts_at__gt=last)
    rows = (
        held.filter(since_last, attendance=Invitation.Attendance.ABSENT)
        .values("user")
        .annotate(streak=Count("pk"))
        .filter(streak__gte=ABSENCE_STREAK_SIGNAL)
        .order_by()
    )
    return {row["user"]: row["streak"] for row in rows}


# ----------------------------------------------------------------------------------------------
# The coach's start page: its session and attendance figures, each in one query whatever the
# number of groups, sessions or members.

COACH_SESSIONS_LIMIT = 20


def coach_sessions_between(
    coach: AnyUser,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    limit: int = COACH_SESSIONS_LIMIT,
) -> list[TrainingSession]:
    """The coach's sessions in [start, end), not cancelled, with their invited, förhinder and
    present counts; those going on `now` first, then by start. At most `limit`."""
    invitations = Invitation.objects.filter(session=OuterRef("pk")).order_by().values("session")
    sessions = list(
        schedule(coach, start=start, end=end)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .annotate(present=count_of(invitations.filter(attendance=Invitation.Attendance.PRESENT)))[
            :limit
        ]
    )
    for session in sessions:
        session.is_now = session.starts_at <= now < session.ends_at
    sessions.sort(key=lambda session: (not session.is_now, session.starts_at, session.pk))
    return sessions


def cohort_session_figures(cohort_ids: Iterable[int], *, now: datetime) -> dict[int, dict]:
    """Cohort id -> sessions held, sessions left (planned, not yet started), and attendance
    at the held ones (present of those recorded, förhinder counted as not present).

    One query, a row per cohort: the cohorts' sessions (by the cohort index), each held
    one's recorded attendance counted by a subquery on its own invitations (by the session
    index), summed per cohort. (Joining the invitations to the sessions made the planner
    scan every session in the country; reading the sessions into Python to list the held
    ones cost more than the counting, with ten years of them at Kungsör's size.)"""
    cohort_ids = list(cohort_ids)
    held = Q(status=TrainingSession.Status.HELD)
    recorded = (
        Invitation.objects.filter(session=OuterRef("pk"))
        .exclude(attendance="")
        .order_by()
        .values("session")
    )
    rows = (
        TrainingSession.objects.filter(cohort__in=cohort_ids)
        .alias(
            present_at=count_of(recorded.filter(attendance=Invitation.Attendance.PRESENT)),
            recorded_at=count_of(recorded),
        )
        .values("cohort")
        .annotate(
            held=Count("pk", filter=held),
            left=Count("pk", filter=Q(status=TrainingSession.Status.PLANNED, starts_at__gt=now)),
            present=Sum("present_at", filter=held, default=0),
            recorded=Sum("recorded_at", filter=held, default=0),
        )
        .values_list("cohort", "held", "left", "present", "recorded")
        .order_by()
    )
    figures = {
        pk: {"held": 0, "left": 0, "present": 0, "recorded": 0, "rate": None} for pk in cohort_ids
    }
    for pk, held_count, left, present, recorded_count in rows:
        figures[pk].update(held=held_count, left=left, present=present, recorded=recorded_count)
        if recorded_count:
            figures[pk]["rate"] = round(100 * present / recorded_count)
    return figures


ABSENCE_SIGNAL_LIMIT = 20


def absence_signals(cohort_ids: Iterable[int], *, limit: int = ABSENCE_SIGNAL_LIMIT) -> list[dict]:
    """Active members of these cohorts with two or more absences in a row at the cohort's held
    sessions (as absence_streaks: förhinder and unrecorded sessions neither count nor break
    it), longest streak first: {"cohort_id", "cohort_name", "user_id", "name", "streak"}.

    One query, from the cohorts' active memberships: for each, when the member last attended
    a held session of that cohort, then their absences there after it, counted. Each
    membership reads only its member's own invitations (an index lookup). Starting from the
    absences made the planner hash every membership or session in the country, and asking
    of each absence whether a later session was attended grew with absences times sessions."""
    held = TrainingSession.Status.HELD
    own = Invitation.objects.filter(
        user=OuterRef("user"), session__cohort=OuterRef("cohort"), session__status=held
    ).order_by()
    last_attended = (
        own.filter(attendance=Invitation.Attendance.PRESENT)
        .order_by("-session__starts_at")
        .values("session__starts_at")[:1]
    )
    never = Value(datetime.min.replace(tzinfo=UTC), output_field=DateTimeField())
    streak = (
        own.filter(
            attendance=Invitation.Attendance.ABSENT,
            session__starts_at__gt=Coalesce(OuterRef("last_attended"), never),
        )
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        CohortMembership.objects.filter(cohort__in=list(cohort_ids), left_on__isnull=True)
        .annotate(last_attended=Subquery(last_attended), streak=Subquery(streak))
        .filter(streak__gte=ABSENCE_STREAK_SIGNAL)
        .values("cohort", "cohort__name", "user", "user__full_name", "streak")
        .order_by("-streak", "user__full_name", "user", "cohort")[:limit]
    )
    return [
        {
            "cohort_id": row["cohort"],
            "cohort_name": row["cohort__name"],
            "user_id": row["user"],
            "name": row["user__full_name"],
            "streak": row["streak"],
        }
        for row in rows
    ]


def member_attendance_counts(cohort, user_ids: Iterable[int]) -> dict[int, dict]:
    """User id -> present, absent and förhinder counts at the cohort's held sessions."""
    attendance = Invitation.Attendance
    rows = (
        Invitation.objects.filter(
            session__cohort=cohort,
            session__status=TrainingSession.Status.HELD,
            user__in=list(user_ids),
        )
        .values("user")
        .annotate(
            present=Count("pk", filter=Q(attendance=attendance.PRESENT)),
            absent=Count("pk", filter=Q(attendance=attendance.ABSENT)),
            excused=Count("pk", filter=Q(attendance=attendance.EXCUSED)),
        )
        .order_by()
    )
    return {row.pop("user"): row for row in rows}


def next_invitation(user: AnyUser, *, now: datetime | None = None) -> Invitation | None:
    """The manager's invitation to the session going on now or, if none, the next one (not
    cancelled), with the session and its group: one row, for the start page."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(user=user, session__ends_at__gt=now)
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .select_related("session__cohort")
        .order_by("session__starts_at", "session_id")
        .first()
    )


def attendance_progress(user: AnyUser) -> dict:
    """Of the held sessions the manager was invited to: how many (`held`) and at how many
    they were present (`attended`). (One aggregate over their invitations: as subqueries of
    one query with the other progress figures it cost twice the time to build.)"""
    return Invitation.objects.filter(
        user=user, session__status=TrainingSession.Status.HELD
    ).aggregate(
        held=Count("pk"),
        attended=Count("pk", filter=Q(attendance=Invitation.Attendance.PRESENT)),
    )
