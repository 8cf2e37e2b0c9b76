"""The journal's write path. Nothing a manager writes is ever lost: saves are versioned,
and a save based on an old version is kept beside the newer text instead of replacing it."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import outbox_add_email
from reflections import selectors
from reflections.models import Commitment, Entry, Feedback, Repetition

TRASH_DAYS = 30


@dataclass
class EntryData:
    title: str
    body: str
    written_on: date
    session_id: int | None = None
    theme_id: int | None = None
    focus_area_id: int | None = None
    keyword_ids: tuple[int, ...] = ()


@dataclass
class SaveResult:
    entry: Entry
    conflict_copy: Entry | None = None  # the later text, kept as its own entry


def _check_session(author: User, session_id: int | None) -> None:
    if session_id is None:
        return
    from sessions.models import Invitation

    if not Invitation.objects.filter(session_id=session_id, user=author).exists():
        raise ValidationError(_("You can link an entry only to a session you were invited to."))


def _apply(entry: Entry, data: EntryData) -> None:
    entry.title = data.title.strip()[:200]
    entry.body = data.body
    entry.written_on = data.written_on
    entry.session_id = data.session_id
    entry.theme_id = data.theme_id
    entry.focus_area_id = data.focus_area_id


@transaction.atomic
def entry_create(*, author: User, data: EntryData, prompt=None) -> Entry:
    """A new private entry, perhaps answering one of the coach's questions."""
    _check_session(author, data.session_id)
    entry = Entry(author=author, prompt=prompt)
    _apply(entry, data)
    entry.save()
    entry.keywords.set(data.keyword_ids)
    return entry


@transaction.atomic
def entry_save(*, entry: Entry, data: EntryData, based_on_version: int) -> SaveResult:
    """Save the author's text. If the entry changed since `based_on_version` (another tab or
    device saved in between), the stored text stays and this text becomes a new entry."""
    _check_session(entry.author, data.session_id)
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.deleted_at is not None:
        raise ValidationError(_("The entry is in the trash. Restore it to write in it."))
    if locked.version != based_on_version:
        unchanged = (locked.title, locked.body) == (data.title.strip()[:200], data.body)
        if unchanged:
            return SaveResult(entry=locked)
        copy = entry_create(
            author=locked.author,
            data=EntryData(
                title=_("%(title)s (saved in another window)")
                % {"title": data.title.strip() or locked.display_title},
                body=data.body,
                written_on=data.written_on,
                session_id=data.session_id,
                theme_id=data.theme_id,
                focus_area_id=data.focus_area_id,
                keyword_ids=data.keyword_ids,
            ),
        )
        return SaveResult(entry=locked, conflict_copy=copy)
    _apply(locked, data)
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    locked.keywords.set(data.keyword_ids)
    return SaveResult(entry=locked)


@transaction.atomic
def entry_share(*, entry: Entry) -> Entry:
    """Let the coaches of the author's training groups, as they are now, read the entry;
    a coach who joins a group later does not. Sharing a shared entry changes nothing."""
    if entry.shared_at is None:
        entry.shared_at = timezone.now()
        entry.save(update_fields=["shared_at"])
        entry.readers.set(selectors.coaches_of(entry.author))
    return entry


@transaction.atomic
def entry_unshare(*, entry: Entry) -> Entry:
    """Make the entry private again; coaches no longer see it."""
    if entry.shared_at is not None:
        entry.shared_at = None
        entry.save(update_fields=["shared_at"])
        entry.readers.clear()
    return entry


@transaction.atomic
def entry_trash(*, entry: Entry) -> Entry:
    """Move to the trash: restorable for 30 days, hidden from everyone else at once."""
    if entry.deleted_at is None:
        entry.deleted_at = timezone.now()
        entry.save(update_fields=["deleted_at"])
    return entry


@transaction.atomic
def entry_restore(*, entry: Entry) -> Entry:
    entry.deleted_at = None
    entry.save(update_fields=["deleted_at"])
    return entry


@transaction.atomic
def feedback_give(*, entry: Entry, coach: User, text: str, entry_url: str) -> "Feedback":
    """The coach answers a shared entry; the author is emailed a link, never any text."""
    if entry.shared_at is None or entry.deleted_at is not None:
        raise ValidationError(_("The entry is no longer shared with you."))
    if not text.strip():
        raise ValidationError(_("Write some feedback first."))
    feedback = Feedback.objects.create(entry=entry, coach=coach, text=text.strip())
    with translation.override(settings.LANGUAGE_CODE):
        context = {"author": entry.author, "coach": coach, "url": entry_url}
        email = EmailMultiAlternatives(
            subject=_("%(coach)s has given you feedback") % {"coach": coach.full_name},
            body=render_to_string("reflections/email/feedback.txt", context),
            to=[entry.author.email],
        )
        email.attach_alternative(
            render_to_string("reflections/email/feedback.html", context), "text/html"
        )
    outbox_add_email(
        message=email, recipient_user=entry.author, idempotency_key=f"feedback:{feedback.pk}"
    )
    return feedback


@transaction.atomic
def commitment_create(
    *, author: User, text: str, due_on: date, entry: Entry | None = None, session_id=None
):
    """Provgöra: "Det här ska jag prova", with a day to follow it up."""
    if entry is not None and entry.author_id != author.pk:
        raise ValidationError(_("You can link only your own entries."))
    _check_session(author, session_id)
    return Commitment.objects.create(
        author=author, text=text.strip(), due_on=due_on, entry=entry, session_id=session_id
    )


@transaction.atomic
def commitment_follow_up(*, commitment, outcome: str, reflection: str):
    """Record how it went: gjort, delvis or inte än, and a short reflection."""
    commitment.outcome = outcome
    commitment.outcome_reflection = reflection.strip()
    commitment.followed_up_at = timezone.now()
    commitment.save(update_fields=["outcome", "outcome_reflection", "followed_up_at"])
    return commitment


def _check_rating(values: dict[str, int | None]) -> dict[str, int | None]:
    from reflections.models import LedordRating

    values = {key: values.get(key) for key in LedordRating.KEYS}
    if all(value is None for value in values.values()):
        raise ValidationError(_("Rate at least one ledord."))
    if any(value is not None and not 1 <= value <= 5 for value in values.values()):
        raise ValidationError(_("Ratings go from 1 to 5."))
    return values


@transaction.atomic
def rating_add(
    *,
    author: User,
    rated_on: date,
    modigt: int | None = None,
    tydligt: int | None = None,
    engagerande: int | None = None,
    entry: Entry | None = None,
):
    """A self-rating 1–5 on one, two or all three ledord, on its own or with an entry."""
    from reflections.models import LedordRating

    values = _check_rating({"modigt": modigt, "tydligt": tydligt, "engagerande": engagerande})
    return LedordRating.objects.create(author=author, rated_on=rated_on, entry=entry, **values)


@transaction.atomic
def entry_rate(*, entry: Entry, values: dict[str, int | None]):
    """The rating given with an entry: one per entry, on the ledord rated (the others stay
    empty), dated on the entry's day. Saving the same rating again changes nothing; rating
    none removes it. Safe to call on every save."""
    from reflections.models import LedordRating

    Entry.objects.select_for_update().filter(pk=entry.pk).first()
    current = LedordRating.objects.filter(entry=entry).order_by("-created_at", "-pk").first()
    if all(values.get(key) is None for key in LedordRating.KEYS):
        if current is not None:
            current.delete()
        return None
    values = _check_rating(values)
    if current is None:
        return LedordRating.objects.create(
            author=entry.author, rated_on=entry.written_on, entry=entry, **values
        )
    if current.values() != values or current.rated_on != entry.written_on:
        for key, value in values.items():
            setattr(current, key, value)
        current.rated_on = entry.written_on
        current.save(update_fields=[*values, "rated_on"])
    return current


@transaction.atomic
def prompt_create(*, coach: User, question: str, theme_id=None, session=None):
    """A reflection question for a theme, or for a session the coach may edit."""
    from reflections.models import Prompt

    if not question.strip():
        raise ValidationError(_("Write the question."))
    if theme_id is None and session is None:
        raise ValidationError(_("Choose a theme or a session for the question."))
    return Prompt.objects.create(
        coach=coach, question=question.strip(), theme_id=theme_id, session=session
    )


def repetition_record(*, author: User, session) -> Repetition:
    """The manager went through the session's key points again."""
    return Repetition.objects.create(author=author, session=session)


def feedback_mark_seen(*, entry: Entry, reader: User) -> int:
    """The author has opened the entry: its feedback is no longer new to them. A coach who
    opens it changes nothing. One UPDATE, safe to call on every visit."""
    if entry.author_id != reader.pk:
        return 0
    return Feedback.objects.filter(entry=entry, seen_at__isnull=True).update(seen_at=timezone.now())
