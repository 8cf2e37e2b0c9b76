"""The write path for network meetings: a member proposes, changes or cancels a meeting for
their group, the members answer yes or no, and after it each may note a takeaway in their
journal. Invitations go out through the outbox with the calendar attached, as sessions'."""

from dataclasses import dataclass
from datetime import datetime
from email.mime.text import MIMEText
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from network import calendar
from network.models import (
    MEETING_LINK_MAX,
    MEETING_NOTE_MAX,
    MEETING_PLACE_MAX,
    Meeting,
    MeetingInvitation,
    MeetingTakeaway,
)
from network.selectors import is_member
from notifications.services import outbox_add_email
from programme.models import NetworkGroup
from reflections import services as journal
from reflections.models import Entry
from sessions.workdays import holiday_name

TAKEAWAY_MAX = 2000


@dataclass
class MeetingData:
    """What the proposer fills in."""

    starts_at: datetime
    ends_at: datetime
    place: str = ""
    link: str = ""
    note: str = ""


def meeting_check(data: MeetingData, *, now: datetime | None = None) -> MeetingData:
    """The sessions' rules for a time (a working day, not a holiday, in the future, ending
    after it starts) and a place or a link; raises ValidationError naming the field."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    day = timezone.localdate(data.starts_at)
    name = holiday_name(day)
    if day.weekday() >= 5:
        errors.setdefault("date", []).append(
            _("%(date)s is a weekend day. Choose a working day (Monday to Friday).")
            % {"date": date_format(day, "l j F Y").capitalize()}
        )
    elif name:
        errors.setdefault("date", []).append(
            _("%(date)s is %(holiday)s, a public holiday. Choose a working day.")
            % {"date": date_format(day, "j F Y"), "holiday": name[:1].lower() + name[1:]}
        )
    if data.starts_at <= now:
        errors.setdefault("date", []).append(
            _("The meeting must be in the future. Choose a later date or time.")
        )
    if data.ends_at <= data.starts_at:
        errors.setdefault("end_time", []).append(_("The meeting must end after it starts."))
    place, link, note = data.place.strip(), data.link.strip(), data.note.strip()
    if not place and not link:
        errors.setdefault("place", []).append(
            _("Give a place or a meeting link, so the members know where to go.")
        )
    if len(place) > MEETING_PLACE_MAX:
        errors.setdefault("place", []).append(
            _("The place can be at most %(max)s characters.") % {"max": MEETING_PLACE_MAX}
        )
    if link:
        parts = urlsplit(link)
        if parts.scheme != "https" or not parts.hostname or len(link) > MEETING_LINK_MAX:
            errors.setdefault("link", []).append(
                _(
                    "The meeting link must be a whole web address that starts with https://, "
                    "for example https://teams.microsoft.com/…"
                )
            )
    if len(note) > MEETING_NOTE_MAX:
        errors.setdefault("note", []).append(
            _("The text can be at most %(max)s characters.") % {"max": MEETING_NOTE_MAX}
        )
    if errors:
        raise ValidationError(errors)
    return MeetingData(
        starts_at=data.starts_at, ends_at=data.ends_at, place=place, link=link, note=note
    )


def _left_group() -> ValidationError:
    return ValidationError(
        _("You are no longer a member of this network group, so nothing was saved."),
        code="left",
    )


def _calendar_part(ics: bytes, *, method: str) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="inbjudan.ics")
    return part


def _send(meeting: Meeting, invitations, *, method: str, kind: str = "", why: str = "") -> None:
    """One email per invited member with the calendar attached; safe to call twice. `kind`
    names the wording (by default from the method and the sequence); `why` tells apart
    emails of the same meeting version to the same person (a move in and out of the group)."""
    kind = (
        kind
        or {
            "REQUEST": "invitation" if meeting.sequence == 0 else "update",
            "CANCEL": "cancel",
        }[method]
    )
    for invitation in invitations:
        user = invitation.user
        if not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "meeting": meeting,
                "title": calendar.meeting_title(meeting),
                "user": user,
                "kind": kind,
                "is_proposer": user.pk == meeting.proposed_by_id,
                "meeting_url": calendar.meeting_url(meeting),
            }
            email = EmailMultiAlternatives(
                subject=render_to_string("network/email/meeting_subject.txt", context).strip(),
                body=render_to_string("network/email/meeting.txt", context),
                to=[user.email],
            )
            email.attach_alternative(
                render_to_string("network/email/meeting.html", context), "text/html"
            )
            ics = calendar.meeting_ics(meeting, user, method=method)
        email.attach(_calendar_part(ics, method=method))
        outbox_add_email(
            message=email,
            recipient_user=user,
            idempotency_key=(
                f"network-meeting:{meeting.pk}:seq:{meeting.sequence}:{method}:{user.pk}{why}"
            ),
        )


@transaction.atomic
def meeting_propose(*, group: NetworkGroup, by: User, data: MeetingData) -> Meeting:
    """A current member proposes a meeting: every active member is invited by email with a
    calendar REQUEST; the proposer is counted as coming."""
    if not is_member(by, group):
        raise _left_group()
    data = meeting_check(data)
    now = timezone.now()
    meeting = Meeting.objects.create(
        group=group,
        proposed_by=by,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place,
        link=data.link,
        note=data.note,
        created_at=now,
        updated_at=now,
    )
    members = list(group.members.filter(is_active=True))
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(
            meeting=meeting,
            user=member,
            invited_at=now,
            response=MeetingInvitation.Response.YES if member.pk == by.pk else "",
            responded_at=now if member.pk == by.pk else None,
        )
        for member in members
    )
    _send(meeting, meeting.invitations.select_related("user"), method="REQUEST")
    return meeting


def member_moved(*, user: User, left: list[NetworkGroup], joined: NetworkGroup) -> int:
    """Someone moved by hand from a network group to another (programme.services): they
    are taken off the coming meetings of the groups they left, with a CANCEL that removes
    each from their calendar, and invited to the coming meetings of the group they joined.
    Returns how many emails that puts in the outbox for them."""
    coming = Meeting.objects.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
    emails = 0
    for invitation in MeetingInvitation.objects.filter(
        user=user, meeting__in=coming.filter(group__in=left)
    ).select_related("meeting", "user"):
        _send(
            invitation.meeting,
            [invitation],
            method="CANCEL",
            kind="left",
            why=f":left:{invitation.pk}",
        )
        invitation.delete()
        emails += 1
    if not user.is_active:
        return emails
    for meeting in coming.filter(group=joined).exclude(invitations__user=user):
        invitation = MeetingInvitation.objects.create(
            meeting=meeting, user=user, invited_at=timezone.now()
        )
        _send(
            meeting, [invitation], method="REQUEST", kind="joined", why=f":joined:{invitation.pk}"
        )
        emails += 1
    return emails


def _own_meeting(meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    if meeting.proposed_by_id is None or meeting.proposed_by_id != by.pk:
        raise PermissionDenied
    if not is_member(by, meeting.group):
        raise _left_group()
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
    if meeting.is_over():
        raise ValidationError(_("The meeting is over and can no longer be changed."), code="over")
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, data: MeetingData) -> Meeting:
    """The proposer changes the time, place, link or text: the members get an update (the
    same UID, a higher SEQUENCE). A new time asks everyone to answer again."""
    meeting = _own_meeting(meeting, by)
    data = meeting_check(data)
    new = (data.starts_at, data.ends_at, data.place, data.link, data.note)
    if new == (meeting.starts_at, meeting.ends_at, meeting.place, meeting.link, meeting.note):
        return meeting
    moved = (data.starts_at, data.ends_at) != (meeting.starts_at, meeting.ends_at)
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.place, meeting.link, meeting.note = data.place, data.link, data.note
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save(
        update_fields=["starts_at", "ends_at", "place", "link", "note", "sequence", "updated_at"]
    )
    if moved:
        meeting.invitations.exclude(user=by).update(response="", responded_at=None)
    _send(meeting, meeting.invitations.select_related("user"), method="REQUEST")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """The proposer cancels the meeting: the members get a CANCEL. Safe to call twice."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled and locked.proposed_by_id == by.pk:
        return locked
    meeting = _own_meeting(meeting, by)
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.updated_at = meeting.cancelled_at
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _send(meeting, meeting.invitations.select_related("user"), method="CANCEL")
    return meeting


@transaction.atomic
def meeting_respond(*, meeting: Meeting, user: User, coming: bool) -> MeetingInvitation:
    """A current member answers yes or no (a member who joined later is added)."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    if not is_member(user, meeting.group):
        raise _left_group()
    if meeting.is_cancelled:
        raise ValidationError(
            _("The meeting is cancelled, so your answer was not saved."), code="cancelled"
        )
    if meeting.is_over():
        raise ValidationError(_("The meeting is over, so your answer was not saved."), code="over")
    invitation, _created = MeetingInvitation.objects.get_or_create(meeting=meeting, user=user)
    invitation.response = (
        MeetingInvitation.Response.YES if coming else MeetingInvitation.Response.NO
    )
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


@transaction.atomic
def meeting_takeaway_add(*, meeting: Meeting, user: User, text: str) -> Entry:
    """After the meeting, a member notes what they take with them: a private journal entry
    linked to the meeting (shared with nobody unless they share it themselves)."""
    meeting = Meeting.objects.select_related("group").get(pk=meeting.pk)
    if not is_member(user, meeting.group):
        raise _left_group()
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."), code="cancelled")
    if not meeting.starts_at <= timezone.now():
        raise ValidationError(
            _("You can note a takeaway once the meeting has started."), code="early"
        )
    text = text.strip()
    if not text:
        raise ValidationError(_("Write what you take with you from the meeting."), code="empty")
    if len(text) > TAKEAWAY_MAX:
        raise ValidationError(
            _("The takeaway can be at most %(max)s characters.") % {"max": TAKEAWAY_MAX},
            code="long",
        )
    day = timezone.localdate(meeting.starts_at)
    entry = journal.entry_create(
        author=user,
        data=journal.EntryData(
            title=_("Network meeting %(date)s") % {"date": date_format(day, "j F Y")},
            body=text,
            written_on=timezone.localdate(),
        ),
    )
    MeetingTakeaway.objects.create(meeting=meeting, entry=entry)
    return entry
