"""Session evaluations: what a manager says a session gave them. Confidential: the coach sees
figures and unnamed texts for a session only once at least `MIN_ANSWERS` have answered, and
no page of the portal, the administration site included, shows who answered what.

An answer is tied to its respondent only so that they can change it while the evaluation is
open, see it again and have it in their own export; the free texts live in their own row
(`AnswerText`) so that gallring can delete them after their period while the ratings stay as
figures, and erasing a person deletes their texts and unties their ratings.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    """The coach's own question in a session's evaluation (optional, one per session)."""

    session = models.OneToOneField(
        "training_sessions.TrainingSession",
        on_delete=models.CASCADE,
        related_name="evaluation_question",
    )
    text = models.CharField(_("question"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """One manager's rating of one session they attended."""

    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
    )
    # Empty once the person is erased: the rating stays as a figure.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    usefulness = models.PositiveSmallIntegerField(
        _("how useful the session was"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "respondent"], name="evaluation_answer_once_per_person"
            ),
            models.CheckConstraint(
                name="evaluation_usefulness_1_to_5",
                condition=Q(usefulness__gte=1) & Q(usefulness__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.usefulness}"


class AnswerText(models.Model):
    """The free texts of an answer: what the manager will try, and their answer to the coach's
    question (with the question as it was asked)."""

    answer = models.OneToOneField(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="text"
    )
    will_try = models.TextField(_("what I will try"), max_length=2000, blank=True)
    question = models.CharField(_("question"), max_length=300, blank=True)
    question_answer = models.TextField(
        _("answer to the coach's question"), max_length=2000, blank=True
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation text")
        verbose_name_plural = _("evaluation texts")

    def __str__(self) -> str:
        return str(self.answer_id)
