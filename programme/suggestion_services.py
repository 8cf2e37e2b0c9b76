"""Writes for managers' suggestions on the framework. Every write checks who may make it,
here and not only in the view; a refused write stores nothing."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programme import suggestion_selectors as selectors
from programme.models import SUGGESTION_MAX, FocusArea, FrameworkSuggestion, Keyword, Programme

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(text: str, *, empty_message: str) -> str:
    text = CONTROL_CHARACTERS.sub("", text or "").strip()
    if not text:
        raise ValidationError(empty_message, code="empty")
    if len(text) > SUGGESTION_MAX:
        raise ValidationError(
            _("The text can be at most %(max)d characters; yours has %(count)d.")
            % {"max": SUGGESTION_MAX, "count": len(text)},
            code="too_long",
        )
    return text


def check_suggestion(text: str) -> str:
    return check_text(text, empty_message=_("Write your suggestion or comment before you send it."))


def check_answer(text: str) -> str:
    return check_text(text, empty_message=_("Write your answer before you save it."))


@transaction.atomic
def suggestion_send(*, author: User, programme: Programme, item, text: str) -> FrameworkSuggestion:
    """A manager's signed suggestion on one framework item, to their programme's coaches."""
    if not selectors.programmes_of_manager(author).filter(pk=programme.pk).exists():
        raise ValidationError(
            _("You are not taking part in this programme, so nothing was sent."),
            code="not_member",
        )
    field = (
        "focus_area"
        if isinstance(item, FocusArea)
        else "keyword"
        if isinstance(item, Keyword)
        else "theme"
    )
    return FrameworkSuggestion.objects.create(
        programme=programme, author=author, text=check_suggestion(text), **{field: item}
    )


@transaction.atomic
def suggestion_withdraw(*, suggestion: FrameworkSuggestion, by: User) -> None:
    """The author takes their suggestion back, answered or not: its text, the answer and
    any publication go at once. Safe to call twice."""
    suggestion = FrameworkSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.author_id is None or suggestion.author_id != by.pk:
        raise PermissionDenied
    if suggestion.is_withdrawn:
        return
    suggestion.text = ""
    suggestion.answer = ""
    suggestion.published_at = None
    suggestion.withdrawn_at = timezone.now()
    suggestion.save(update_fields=["text", "answer", "published_at", "withdrawn_at"])


@transaction.atomic
def suggestion_answer(
    *, suggestion: FrameworkSuggestion, coach: User, answer: str, publish: bool
) -> FrameworkSuggestion:
    """A coach of the programme answers (or changes the answer), and publishes the question
    and answer for everyone in the programme, or keeps them between the two."""
    suggestion = FrameworkSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.is_withdrawn:
        raise ValidationError(
            _("The suggestion has been withdrawn by its author, so your answer was not saved."),
            code="withdrawn",
        )
    if not selectors.programmes_of_coach(coach).filter(pk=suggestion.programme_id).exists():
        raise PermissionDenied
    now = timezone.now()
    suggestion.answer = check_answer(answer)
    suggestion.answered_by = coach
    suggestion.answered_at = now
    if publish and suggestion.published_at is None:
        suggestion.published_at = now
    elif not publish:
        suggestion.published_at = None
    suggestion.save(update_fields=["answer", "answered_by", "answered_at", "published_at"])
    return suggestion
