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


class ThemeQuestion(models.Model):
    """The coach's question for every session of a theme in a programme: a session's
    evaluation asks the session's own question if it has one, else this."""

    programme = models.ForeignKey(
        "programme.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    theme = models.ForeignKey(
        "programme.Theme", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="+"
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
        verbose_name = _("theme evaluation question")
        verbose_name_plural = _("theme evaluation questions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "theme"], name="evaluation_theme_question_once"
            )
        ]

    def __str__(self) -> str:
        return self.text


# The yearly benefit ("nytta") survey -------------------------------------------------------


class Survey(models.Model):
    """A benefit survey for one programme's members, or for every manager (no programme).

    Open from `opens_on` to `closes_on` inclusive, or until closed early. Figures are shown
    only once it has closed: while answers can still come in or change, two looks at the
    figures would differ by one person's answer."""

    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        "programme.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    closed_early_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    open_question = models.CharField(_("open question"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("benefit survey")
        verbose_name_plural = _("benefit surveys")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="survey_closes_after_opening",
                condition=Q(closes_on__gte=models.F("opens_on")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.opens_on.year

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_early_at is None and self.opens_on <= today <= self.closes_on

    def has_closed(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_early_at is not None or today > self.closes_on

    @property
    def last_day(self):
        """The last day answers could be given: the day it was closed early, or `closes_on`."""
        if self.closed_early_at:
            return timezone.localtime(self.closed_early_at).date()
        return self.closes_on


class SurveyStatement(models.Model):
    """One statement rated 1–5 ("Jag känner mig tryggare som ledare")."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("benefit survey"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    text = models.CharField(_("statement"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey statement")
        verbose_name_plural = _("survey statements")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One manager's answer to a survey. Tied to them only so that they can change it while
    the survey is open and have it in their export; `department` is where they worked when
    they answered, for figures per förvaltning and unit."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("benefit survey"), on_delete=models.CASCADE, related_name="responses"
    )
    # Empty once the person is erased: the ratings stay as figures.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="survey_response_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return str(self.pk)


class SurveyRating(models.Model):
    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("survey response"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    statement = models.ForeignKey(
        SurveyStatement,
        verbose_name=_("survey statement"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    value = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("survey rating")
        verbose_name_plural = _("survey ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="survey_rating_once_per_statement"
            ),
            models.CheckConstraint(
                name="survey_rating_1_to_5", condition=Q(value__gte=1) & Q(value__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.value}"


class SurveyText(models.Model):
    """The answer to the survey's open question, in its own row so that gallring and erasure
    delete it while the ratings stay as figures."""

    response = models.OneToOneField(
        SurveyResponse,
        verbose_name=_("survey response"),
        on_delete=models.CASCADE,
        related_name="text",
    )
    text = models.TextField(_("answer to the open question"), max_length=2000)
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("survey text")
        verbose_name_plural = _("survey texts")

    def __str__(self) -> str:
        return str(self.response_id)
