"""The write path for sessions: scheduling, invitations, förhinder and attendance."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import AlreadySending, outbox_add_email, outbox_withdraw
from programme.models import Cohort
from sessions import calendar, figures
from sessions.conflicts import Conflict, find_conflicts
from sessions.models import Invitation, SessionSeries, TrainingSession


class ConflictsFound(ValidationError):
    """Overlaps the coach has not chosen to override."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__([c.message for c in conflicts], code="conflicts")


@dataclass
class SessionData:
    """What the coach fills in for one session."""

    programme_id: int
    cohort: Cohort | None
    capacity: int | None
    theme_id: int | None
    focus_area_id: int | None
    format: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    coaches: list[User]
    key_points: str = ""


# The SessionData fields that are plain attributes of TrainingSession (coaches is m2m).
SESSION_FIELDS = (
    "programme_id",
    "cohort",
    "capacity",
    "theme_id",
    "focus_area_id",
    "format",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "key_points",
)


def _cohort_member_ids(cohort: Cohort | None) -> list[int]:
    if cohort is None:
        return []
    return list(
        cohort.memberships.filter(left_on__isnull=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def session_conflicts(
    data: SessionData, *, exclude: TrainingSession | None = None
) -> list[Conflict]:
    invitee_ids = _cohort_member_ids(data.cohort)
    if exclude is not None:
        invitee_ids += list(exclude.invitations.values_list("user_id", flat=True))
    return find_conflicts(
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        coach_ids=[c.pk for c in data.coaches],
        place=data.place,
        cohort_id=data.cohort.pk if data.cohort else None,
        invitee_ids=invitee_ids,
        exclude_ids=[exclude.pk] if exclude else [],
    )


def _calendar_part(ics: bytes, *, method: str) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="inbjudan.ics")
    return part


# How long a coach can undo a cancellation; its emails wait in the outbox until then.
CANCEL_UNDO_WINDOW = timedelta(minutes=5)
CANCEL_MESSAGE_MAX_LENGTH = 1000


def _idempotency_key(session: TrainingSession, method: str, user_id: int | str = "") -> str:
    return f"session:{session.pk}:seq:{session.sequence}:{method}:{user_id}"


def _send(
    session: TrainingSession,
    invitations,
    *,
    method: str,
    note: str = "",
    note_by: str = "",
    send_at: datetime | None = None,
) -> None:
    """One email per invited person with the calendar attached; safe to call twice.

    `note` is a message from `note_by` to those invited; with `send_at` the emails wait in
    the outbox until then.
    """
    kind = {"REQUEST": "invitation" if session.sequence == 0 else "update", "CANCEL": "cancel"}[
        method
    ]
    for invitation in invitations:
        user = invitation.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "session": session,
                "user": user,
                "kind": kind,
                "session_url": calendar.session_url(session),
                "note": note,
                "note_by": note_by,
            }
            subject = render_to_string(
                "training_sessions/email/invitation_subject.txt", context
            ).strip()
            email = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("training_sessions/email/invitation.txt", context),
                to=[user.email],
            )
            email.attach_alternative(
                render_to_string("training_sessions/email/invitation.html", context), "text/html"
            )
            # In the person's language too: the event's description says where to read more.
            ics = calendar.invitation_ics(session, user, method=method)
        email.attach(_calendar_part(ics, method=method))
        outbox_add_email(
            message=email,
            recipient_user=user,
            idempotency_key=_idempotency_key(session, method, user.pk),
            send_at=send_at,
        )


def _apply(session: TrainingSession, data: SessionData) -> None:
    for name in SESSION_FIELDS:
        setattr(session, name, getattr(data, name))


@transaction.atomic
def session_create(
    *,
    data: SessionData,
    created_by: User,
    override: bool = False,
    series=None,
    notify: bool = True,
) -> TrainingSession:
    """Create a session, invite the training group's active members and email them (unless
    not `notify`: a series emails its own invitation).

    Raises ConflictsFound (and saves nothing) unless `override`.
    """
    if not override:
        conflicts = session_conflicts(data)
        if conflicts:
            raise ConflictsFound(conflicts)
    session = TrainingSession(series=series)
    _apply(session, data)
    session.full_clean(exclude=["coaches"])
    session.save()
    session.coaches.set(data.coaches)
    invitations = [
        Invitation(session=session, user_id=user_id) for user_id in _cohort_member_ids(data.cohort)
    ]
    Invitation.objects.bulk_create(invitations)
    figures.forget([session.cohort_id])
    if notify:
        _send(session, session.invitations.select_related("user"), method="REQUEST")
    return session


@transaction.atomic
def session_update(
    *, session: TrainingSession, data: SessionData, override: bool = False
) -> TrainingSession:
    """Change a session; everyone invited gets an update with a higher SEQUENCE."""
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session cannot be changed."))
    if not override:
        conflicts = session_conflicts(data, exclude=session)
        if conflicts:
            raise ConflictsFound(conflicts)
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    cohort_changed = locked.cohort_id != (data.cohort.pk if data.cohort else None)
    figures.forget([locked.cohort_id, data.cohort.pk if data.cohort else None])
    _apply(locked, data)
    locked.sequence = F("sequence") + 1
    locked.full_clean(exclude=["coaches", "sequence"])
    locked.save()
    locked.refresh_from_db()
    locked.coaches.set(data.coaches)
    if cohort_changed:
        # People of the old group are told it is off for them; the new group is invited.
        _sync_invitations(locked)
    _send(locked, locked.invitations.select_related("user"), method="REQUEST")
    return locked


@transaction.atomic
def session_cancel(
    *,
    session: TrainingSession,
    cancelled_by: User | None = None,
    message: str = "",
    undo_window: timedelta | None = None,
) -> TrainingSession:
    """Cancel: everyone invited gets METHOD:CANCEL with the same UID, with `message` from
    `cancelled_by`. The emails wait in the outbox for `undo_window` (CANCEL_UNDO_WINDOW),
    while session_cancel_undo can take the cancellation back. Safe to call twice."""
    window = CANCEL_UNDO_WINDOW if undo_window is None else undo_window
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.is_cancelled:
        return locked
    now = timezone.now()
    locked.status = TrainingSession.Status.CANCELLED
    locked.sequence += 1
    locked.cancelled_at = now
    locked.cancel_undo_until = now + window if window else None
    locked.save(
        update_fields=["status", "sequence", "cancelled_at", "cancel_undo_until", "updated_at"]
    )
    figures.forget([locked.cohort_id])
    _send(
        locked,
        locked.invitations.select_related("user"),
        method="CANCEL",
        note=message.strip()[:CANCEL_MESSAGE_MAX_LENGTH],
        note_by=cancelled_by.full_name if cancelled_by else "",
        send_at=locked.cancel_undo_until,
    )
    return locked


@transaction.atomic
def session_cancel_undo(*, session: TrainingSession) -> TrainingSession:
    """Take a cancellation back while its emails still wait: the session is planned again
    and none of them is ever sent. Too late (ValidationError) once the time is past or any
    of them has been tried; then nothing changes."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not locked.is_cancelled:
        raise ValidationError(_("The session is not cancelled."), code="not_cancelled")
    too_late = ValidationError(
        _("It is too late to undo: the cancellation has been sent to those invited."),
        code="too_late",
    )
    if not locked.cancel_can_be_undone():
        raise too_late
    try:
        outbox_withdraw(idempotency_key_prefix=_idempotency_key(locked, "CANCEL"))
    except AlreadySending as error:
        raise too_late from error
    locked.status = TrainingSession.Status.PLANNED
    # Higher than the withdrawn cancellation's, so a calendar that read the feed in the
    # meantime takes the session back.
    locked.sequence += 1
    locked.cancelled_at = locked.cancel_undo_until = None
    locked.save(
        update_fields=["status", "sequence", "cancelled_at", "cancel_undo_until", "updated_at"]
    )
    figures.forget([locked.cohort_id])
    return locked


def _before_start(invitation: Invitation) -> None:
    if timezone.now() >= invitation.session.starts_at:
        raise ValidationError(_("The session has started; förhinder can no longer be changed."))
    if invitation.session.is_cancelled:
        raise ValidationError(_("The session is cancelled."))


@transaction.atomic
def invitation_report_excuse(*, invitation: Invitation, comment: str = "") -> Invitation:
    """The manager cannot come. Allowed until the session starts."""
    _before_start(invitation)
    invitation.excused_at = invitation.excused_at or timezone.now()
    invitation.excuse_comment = comment.strip()[:500]
    invitation.save(update_fields=["excused_at", "excuse_comment"])
    return invitation


@transaction.atomic
def invitation_withdraw_excuse(*, invitation: Invitation) -> Invitation:
    """The manager can come after all, if their place has not gone to someone else."""
    _before_start(invitation)
    session = TrainingSession.objects.select_for_update().get(pk=invitation.session_id)
    if invitation.excused_at and session.capacity is not None:
        attending = session.invitations.filter(excused_at__isnull=True).count()
        if attending >= session.capacity:
            raise SessionFull(
                _("Your place at “%(session)s” has gone to someone else; the session is full.")
                % {"session": session}
            )
    invitation.excused_at = None
    invitation.excuse_comment = ""
    invitation.save(update_fields=["excused_at", "excuse_comment"])
    return invitation


@transaction.atomic
def attendance_mark(*, session: TrainingSession, marks: dict[int, str], marked_by: User) -> int:
    """Record attendance for invited people (user id -> Invitation.Attendance value).

    Once the session has started and attendance is recorded, the session counts as held.
    """
    valid = set(Invitation.Attendance.values)
    if not set(marks.values()) <= valid:
        raise ValidationError(_("Unknown attendance value."))
    now = timezone.now()
    changed = 0
    for invitation in session.invitations.select_for_update().filter(user_id__in=list(marks)):
        value = marks[invitation.user_id]
        if invitation.attendance != value:
            invitation.attendance = value
            invitation.attendance_marked_at = now
            invitation.attendance_marked_by = marked_by
            invitation.save(
                update_fields=["attendance", "attendance_marked_at", "attendance_marked_by"]
            )
            changed += 1
    _mark_held(session)
    figures.forget([session.cohort_id])
    return changed


def _mark_held(session: TrainingSession) -> None:
    """A session that has started and has attendance recorded counts as held."""
    if timezone.now() >= session.starts_at:
        held = TrainingSession.objects.filter(
            pk=session.pk, status=TrainingSession.Status.PLANNED
        ).update(status=TrainingSession.Status.HELD)
        if held:
            figures.forget([session.cohort_id])


@dataclass
class SeriesPlan:
    """Sessions to create from a rule: each date's data, the skipped holidays, the overlaps."""

    sessions: list[SessionData]
    skipped: list
    conflicts: list[tuple[datetime, Conflict]]


def series_plan(*, template: SessionData, dates: list, skipped: list) -> SeriesPlan:
    """Apply the template's times to each date and look for overlaps (saves nothing)."""
    start, end = timezone.localtime(template.starts_at), timezone.localtime(template.ends_at)
    sessions, conflicts = [], []
    for day in dates:
        data = replace(
            template,
            starts_at=timezone.make_aware(datetime.combine(day, start.time())),
            ends_at=timezone.make_aware(datetime.combine(day, end.time())),
        )
        sessions.append(data)
        conflicts += [(data.starts_at, c) for c in session_conflicts(data)]
    return SeriesPlan(sessions=sessions, skipped=skipped, conflicts=conflicts)


@transaction.atomic
def series_create(
    *, plan: SeriesPlan, interval_weeks: int, created_by: User, override: bool = False
) -> SessionSeries:
    """Create every session of the plan in one transaction, or none if there are overlaps
    the coach has not overridden."""
    if plan.conflicts and not override:
        raise ConflictsFound([c for _, c in plan.conflicts])
    first = plan.sessions[0]
    series = SessionSeries.objects.create(
        programme_id=first.programme_id,
        cohort=first.cohort,
        interval_weeks=interval_weeks,
        created_by=created_by,
        skipped_dates=[
            {"date": skipped.day.isoformat(), "reason": skipped.reason} for skipped in plan.skipped
        ],
    )
    for data in plan.sessions:
        session_create(data=data, created_by=created_by, override=True, series=series, notify=False)
    # Each session is an occurrence of the series' one recurring invitation.
    series.sessions.update(recurrence_id=F("starts_at"))
    _send_series(series, skipped=[skipped.day for skipped in plan.skipped])
    return series


def _send_series(series: SessionSeries, *, skipped: list) -> None:
    """One email per invited person with the whole series as one recurring event."""
    sessions = list(series.sessions.order_by("starts_at").prefetch_related("coaches"))
    users = User.objects.filter(session_invitations__session__series=series).distinct()
    for user in users.order_by("pk"):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "session": sessions[0],
                "sessions": sessions,
                "skipped": skipped,
                "user": user,
                "kind": "series",
            }
            email = EmailMultiAlternatives(
                subject=render_to_string(
                    "training_sessions/email/invitation_subject.txt", context
                ).strip(),
                body=render_to_string("training_sessions/email/invitation.txt", context),
                to=[user.email],
            )
            email.attach_alternative(
                render_to_string("training_sessions/email/invitation.html", context), "text/html"
            )
            ics = calendar.series_invitation_ics(series, sessions, user, skipped=skipped)
        email.attach(_calendar_part(ics, method="REQUEST"))
        outbox_add_email(
            message=email,
            recipient_user=user,
            idempotency_key=f"series:{series.pk}:REQUEST:{user.pk}",
        )


@transaction.atomic
def session_update_following(
    *, session: TrainingSession, data: SessionData, override: bool = False
) -> list[TrainingSession]:
    """Change this session and every later planned one in its series: the same details and
    times of day, each on its own date."""
    following = list(
        TrainingSession.objects.filter(
            series=session.series_id,
            starts_at__gt=session.starts_at,
            status=TrainingSession.Status.PLANNED,
        ).order_by("starts_at")
    )
    start, end = timezone.localtime(data.starts_at), timezone.localtime(data.ends_at)
    changes = [(session, data)]
    for later in following:
        day = timezone.localtime(later.starts_at).date()
        changes.append(
            (
                later,
                replace(
                    data,
                    starts_at=timezone.make_aware(datetime.combine(day, start.time())),
                    ends_at=timezone.make_aware(datetime.combine(day, end.time())),
                ),
            )
        )
    if not override:
        conflicts = []
        for target, target_data in changes:
            conflicts += session_conflicts(target_data, exclude=target)
        if conflicts:
            raise ConflictsFound(conflicts)
    return [session_update(session=target, data=d, override=True) for target, d in changes]


@transaction.atomic
def session_check_in(*, user: User, code: str, session_id: int | None = None) -> TrainingSession:
    """Mark an invited manager present from the session's code, inside its window only.

    With `session_id` (from the QR code's address) the code must belong to that session.
    """
    code = code.strip().upper().replace(" ", "")
    session = TrainingSession.objects.filter(checkin_code=code).first()
    if session is None or (session_id is not None and session.pk != session_id):
        raise ValidationError(_("The code does not belong to this session."), code="wrong_code")
    if not session.checkin_open():
        raise ValidationError(
            _("Check-in for “%(session)s” is open from 15 minutes before the start until the end.")
            % {"session": session},
            code="closed",
        )
    invitation = Invitation.objects.select_for_update().filter(session=session, user=user).first()
    if invitation is None:
        raise ValidationError(_("You are not invited to “%(session)s”.") % {"session": session})
    if invitation.attendance != Invitation.Attendance.PRESENT:
        invitation.attendance = Invitation.Attendance.PRESENT
        invitation.attendance_marked_at = timezone.now()
        invitation.attendance_marked_by = user
        invitation.excused_at = None  # they came after all
        invitation.save(
            update_fields=[
                "attendance",
                "attendance_marked_at",
                "attendance_marked_by",
                "excused_at",
            ]
        )
        figures.forget([session.cohort_id])
    _mark_held(session)
    return session


class SessionFull(ValidationError):
    pass


@transaction.atomic
def makeup_sign_up(*, user: User, session: TrainingSession) -> Invitation:
    """Take a place in another group's session or an open make-up session.

    The session row is locked while places are counted, so two people can never both take
    the last place, on any number of web servers.
    """
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.is_cancelled or locked.starts_at <= timezone.now():
        raise ValidationError(_("You can only sign up for sessions that have not started."))
    if not user.cohort_memberships.filter(
        programme_id=locked.programme_id, left_on__isnull=True
    ).exists():
        raise ValidationError(_("You can take sessions only in your own programme."))
    existing = Invitation.objects.filter(session=locked, user=user).first()
    if existing:
        return existing
    from sessions.selectors import makeup_candidates

    if locked.pk not in {s.pk for s in makeup_candidates(user)}:
        raise ValidationError(
            _("You can take a place here only to make up for a session you missed.")
        )
    if locked.capacity is not None:
        attending = locked.invitations.filter(excused_at__isnull=True).count()
        if attending >= locked.capacity:
            raise SessionFull(_("“%(session)s” is full.") % {"session": locked})
    invitation = Invitation.objects.create(session=locked, user=user, is_makeup=True)
    figures.forget([locked.cohort_id])
    _send(locked, [invitation], method="REQUEST")
    return invitation


def calendar_feed_get(*, user: User):
    """The person's feed, made on first use."""
    from sessions.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: User):
    """A new secret address; the old one stops working at once."""
    from sessions.models import CalendarFeed, new_feed_token

    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


def _sync_invitations(session: TrainingSession) -> tuple[int, int]:
    """Invite the cohort's active members who are not invited; cancel for members who left.

    Make-up guests are left alone. Returns (invited, cancelled).
    """
    members = set(_cohort_member_ids(session.cohort))
    invitations = {
        i.user_id: i for i in session.invitations.filter(is_makeup=False).select_related("user")
    }
    leaving = [i for user_id, i in invitations.items() if user_id not in members]
    if leaving:
        _send(session, leaving, method="CANCEL")
        Invitation.objects.filter(pk__in=[i.pk for i in leaving]).delete()
    already = set(session.invitations.values_list("user_id", flat=True))
    new = Invitation.objects.bulk_create(
        Invitation(session=session, user_id=user_id) for user_id in members - already
    )
    if new or leaving:
        figures.forget([session.cohort_id])
    if new:
        _send(
            session,
            session.invitations.filter(pk__in=[i.pk for i in new]).select_related("user"),
            method="REQUEST",
        )
    return len(new), len(leaving)


@transaction.atomic
def invitations_sync_with_cohorts() -> tuple[int, int]:
    """For every planned session still to come: invitations follow the training group's
    membership (new members invited, people who left get a cancellation). Safe to run
    any number of times; run by beat every minute."""
    from programme.models import CohortMembership

    now = timezone.now()
    upcoming = TrainingSession.objects.filter(
        starts_at__gt=now, status=TrainingSession.Status.PLANNED, cohort__isnull=False
    )
    active = CohortMembership.objects.filter(left_on__isnull=True, user__is_active=True)
    # Only the sessions where something differs, found in one set-based query.
    missing = active.filter(cohort=OuterRef("cohort_id")).exclude(
        user_id__in=Invitation.objects.filter(session=OuterRef(OuterRef("pk"))).values("user_id")
    )
    departed = Invitation.objects.filter(session=OuterRef("pk"), is_makeup=False).exclude(
        user_id__in=active.filter(cohort=OuterRef(OuterRef("cohort_id"))).values("user_id")
    )
    differing = upcoming.filter(Exists(missing) | Exists(departed))
    invited = cancelled = 0
    for session in differing.select_related("cohort"):
        added, removed = _sync_invitations(session)
        invited += added
        cancelled += removed
    return invited, cancelled


@transaction.atomic
def sessions_mark_held() -> int:
    """Sessions that have ended with attendance recorded count as held."""
    ended = dict(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.PLANNED,
            ends_at__lte=timezone.now(),
            invitations__attendance__gt="",
        )
        .distinct()
        .values_list("pk", "cohort")
    )
    if not ended:
        return 0
    figures.forget(ended.values())
    return TrainingSession.objects.filter(
        pk__in=list(ended), status=TrainingSession.Status.PLANNED
    ).update(status=TrainingSession.Status.HELD)
