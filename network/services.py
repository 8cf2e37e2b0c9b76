"""The write path of the network group's questions and answers. Every write checks who may
make it, here and not only in the view, and a refused write stores nothing."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from network import selectors
from network.models import (
    BODY_MAX,
    SHARED_BODY_MAX,
    TITLE_MAX,
    Answer,
    Question,
    QuestionRead,
    SharedEntry,
)
from programme.models import NetworkGroup

# Control characters other than tab and line breaks: never text a person wrote.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value or "").strip()


def check_title(title: str) -> str:
    title = clean_text(title)
    if not title:
        raise ValidationError(_("Write your question before you post it."), code="empty")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _("The question can be at most %(max)d characters. Put the rest in the text below.")
            % {"max": TITLE_MAX},
            code="too_long",
        )
    return title


def check_body(body: str, *, required: bool) -> str:
    body = clean_text(body)
    if required and not body:
        raise ValidationError(_("Write your answer before you post it."), code="empty")
    if len(body) > BODY_MAX:
        raise ValidationError(
            _("The text can be at most %(max)d characters; yours has %(count)d.")
            % {"max": BODY_MAX, "count": len(body)},
            code="too_long",
        )
    return body


def _left_group() -> ValidationError:
    return ValidationError(
        _("You are no longer a member of this network group, so nothing was posted."),
        code="not_member",
    )


@transaction.atomic
def question_create(
    *, group: NetworkGroup, author: User, title: str, body: str = "", includes_coach: bool = False
) -> Question:
    """A new question in the group, by one of its current members."""
    if not selectors.is_member(author, group):
        raise _left_group()
    now = timezone.now()
    question = Question.objects.create(
        group=group,
        author=author,
        title=check_title(title),
        body=check_body(body, required=False),
        includes_coach=includes_coach,
        created_at=now,
        last_activity_at=now,
    )
    QuestionRead.objects.create(question=question, user=author, read_at=now)
    return question


def _own_question(question: Question, by: User) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.author_id is None or question.author_id != by.pk:
        raise PermissionDenied
    if question.is_deleted:
        raise ValidationError(_("The question has been deleted."), code="deleted")
    return question


@transaction.atomic
def question_update(
    *, question: Question, by: User, title: str, body: str, includes_coach: bool
) -> Question:
    """The asker changes their question (and whether the coach is included)."""
    question = _own_question(question, by)
    question.title = check_title(title)
    question.body = check_body(body, required=False)
    question.includes_coach = includes_coach
    question.edited_at = timezone.now()
    question.save(update_fields=["title", "body", "includes_coach", "edited_at"])
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """The asker deletes their question: its text and every answer go at once. Safe to
    call twice."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.author_id != by.pk:
        raise PermissionDenied
    if question.is_deleted:
        return
    question.answers.all().delete()
    question.reads.all().delete()
    question.title = ""
    question.body = ""
    question.deleted_at = timezone.now()
    question.save(update_fields=["title", "body", "deleted_at"])


@transaction.atomic
def question_set_resolved(*, question: Question, by: User, resolved: bool) -> Question:
    """The asker marks the question resolved, or opens it again. Safe to call twice."""
    question = _own_question(question, by)
    if resolved and question.resolved_at is None:
        question.resolved_at = timezone.now()
    elif not resolved:
        question.resolved_at = None
    question.save(update_fields=["resolved_at"])
    return question


@transaction.atomic
def answer_create(*, question: Question, author: User, body: str) -> Answer:
    """An answer in the thread, by a current member of the group (or its coach, when the
    asker included the coach)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.is_deleted:
        raise ValidationError(
            _("The question has been deleted, so your answer was not saved."), code="deleted"
        )
    if not selectors.can_answer(author, question):
        raise _left_group()
    now = timezone.now()
    answer = Answer.objects.create(
        question=question, author=author, body=check_body(body, required=True), created_at=now
    )
    question.last_activity_at = now
    question.save(update_fields=["last_activity_at"])
    question_mark_read(question=question, user=author, at=now)
    return answer


def _own_answer(answer: Answer, by: User) -> Answer:
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if answer.author_id is None or answer.author_id != by.pk:
        raise PermissionDenied
    return answer


@transaction.atomic
def answer_update(*, answer: Answer, by: User, body: str) -> Answer:
    """The author changes their answer."""
    answer = _own_answer(answer, by)
    answer.body = check_body(body, required=True)
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "edited_at"])
    return answer


@transaction.atomic
def answer_delete(*, answer: Answer, by: User) -> None:
    """The author deletes their answer; it is gone for everyone."""
    _own_answer(answer, by).delete()


def question_mark_read(*, question: Question, user: User, at=None) -> None:
    """Remember that `user` has seen the thread as it is now."""
    QuestionRead.objects.update_or_create(
        question=question, user=user, defaults={"read_at": at or timezone.now()}
    )


@transaction.atomic
def entry_share_with_group(*, entry, group: NetworkGroup, by: User) -> tuple[SharedEntry, bool]:
    """A copy of the author's journal entry, as it is now, for one of their network groups.
    Sharing it again with the same group replaces the copy. Returns the copy and whether it
    was new. Nothing is stored when the entry cannot be shared."""
    if entry.author_id != by.pk:
        raise PermissionDenied
    if entry.deleted_at is not None:
        raise ValidationError(
            _("The entry is in the trash, so it was not shared. Restore it first."),
            code="trashed",
        )
    if not selectors.is_member(by, group):
        raise ValidationError(
            _("You are no longer a member of this network group, so nothing was shared."),
            code="not_member",
        )
    title = clean_text(entry.title)
    body = clean_text(entry.body)
    if not title and not body:
        raise ValidationError(
            _("The entry is empty. Write something before you share it."), code="empty"
        )
    if len(body) > SHARED_BODY_MAX:
        raise ValidationError(
            _(
                "The entry is too long to share: at most %(max)d characters, it has %(count)d. "
                "Shorten it, or write a shorter entry for the group."
            )
            % {"max": SHARED_BODY_MAX, "count": len(body)},
            code="too_long",
        )
    copy, created = SharedEntry.objects.select_for_update().update_or_create(
        group=group,
        entry=entry,
        defaults={
            "author": by,
            "title": title,
            "body": body,
            "written_on": entry.written_on,
            "shared_at": timezone.now(),
        },
    )
    return copy, created


@transaction.atomic
def shared_entry_withdraw(*, copy: SharedEntry, by: User) -> None:
    """The author takes their copy back: it is gone for everyone. Safe to call twice."""
    deleted = SharedEntry.objects.filter(pk=copy.pk)
    if copy.author_id is None or copy.author_id != by.pk:
        raise PermissionDenied
    deleted.delete()
