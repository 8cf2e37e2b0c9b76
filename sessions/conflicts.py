"""Overlaps with other sessions: the same coach, room, training group or invited manager."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sessions.models import Invitation, TrainingSession


@dataclass(frozen=True)
class Conflict:
    kind: str  # coach, place, cohort, manager
    message: str


def _when(session: TrainingSession) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = formats.date_format(start, "j F")
    return f"{day} {formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"


def find_conflicts(
    *,
    starts_at: datetime,
    ends_at: datetime,
    coach_ids: Iterable[int] = (),
    place: str = "",
    cohort_id: int | None = None,
    invitee_ids: Iterable[int] = (),
    exclude_ids: Iterable[int] = (),
) -> list[Conflict]:
    """Every planned session overlapping [starts_at, ends_at) that shares a coach, the room,
    the training group or an invited manager (who has not reported förhinder)."""
    overlapping = (
        TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
        .exclude(pk__in=list(exclude_ids))
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    )
    conflicts: list[Conflict] = []
    coach_ids = set(coach_ids)
    if coach_ids:
        for session in (
            overlapping.filter(coaches__in=coach_ids).distinct().prefetch_related("coaches")
        ):
            for coach in session.coaches.all():
                if coach.pk in coach_ids:
                    conflicts.append(
                        Conflict(
                            "coach",
                            _("The coach %(name)s already leads “%(session)s” (%(when)s).")
                            % {"name": coach.full_name, "session": session, "when": _when(session)},
                        )
                    )
    if place.strip():
        for session in overlapping.filter(place__iexact=place.strip()):
            conflicts.append(
                Conflict(
                    "place",
                    _("%(place)s is already booked for “%(session)s” (%(when)s).")
                    % {"place": session.place, "session": session, "when": _when(session)},
                )
            )
    if cohort_id:
        for session in overlapping.filter(cohort_id=cohort_id).select_related("cohort"):
            conflicts.append(
                Conflict(
                    "cohort",
                    _("The training group %(cohort)s already has “%(session)s” (%(when)s).")
                    % {"cohort": session.cohort, "session": session, "when": _when(session)},
                )
            )
    invitee_ids = set(invitee_ids)
    if invitee_ids:
        invitations = Invitation.objects.filter(
            session__in=overlapping, user_id__in=invitee_ids, excused_at__isnull=True
        ).select_related("user", "session")
        if cohort_id:
            # Those sessions are already named as the training group's conflict.
            invitations = invitations.exclude(session__cohort_id=cohort_id)
        for invitation in invitations.order_by("user__full_name"):
            conflicts.append(
                Conflict(
                    "manager",
                    _("%(name)s is already invited to “%(session)s” (%(when)s).")
                    % {
                        "name": invitation.user.full_name,
                        "session": invitation.session,
                        "when": _when(invitation.session),
                    },
                )
            )
    return conflicts
