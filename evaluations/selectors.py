"""Reads of session evaluations. Figures and texts for a session or a theme are given only
when at least MIN_ANSWERS people answered; texts never with a name or in the order written."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.permissions import AnyUser
from evaluations.models import Answer, AnswerText, Question, ThemeQuestion
from programme.models import Programme, Theme
from sessions.models import Invitation, TrainingSession

MIN_ANSWERS = 5
SCALE = (1, 2, 3, 4, 5)


def closes_at(session: TrainingSession) -> datetime:
    """When answers can no longer be given or changed."""
    return session.ends_at + timedelta(days=settings.EVALUATION_OPEN_DAYS)


def is_open(session: TrainingSession, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return not session.is_cancelled and session.ends_at <= at < closes_at(session)


def attended(user: AnyUser, session: TrainingSession) -> bool:
    return Invitation.objects.filter(
        session=session, user=user, attendance=Invitation.Attendance.PRESENT
    ).exists()


def own_answer(user: AnyUser, session: TrainingSession) -> Answer | None:
    return (
        Answer.objects.filter(session=session, respondent=user).select_related("text").first()
        if user.is_authenticated
        else None
    )


def question_of(session: TrainingSession) -> Question | ThemeQuestion | None:
    """The coach's question the session's evaluation asks: the session's own, else the one
    set for its theme in its programme."""
    own = Question.objects.filter(session=session).first()
    if own is not None or session.theme_id is None:
        return own
    return ThemeQuestion.objects.filter(
        programme_id=session.programme_id, theme_id=session.theme_id
    ).first()


def theme_questions_for(coach: AnyUser) -> list[tuple[Programme, list[tuple[Theme, str]]]]:
    """Per programme the coach runs (newest first): each theme with its question ("" if none)."""
    programmes = list(Programme.objects.filter(coaches=coach).order_by("-starts_on", "name"))
    themes = list(Theme.objects.order_by("order", "name"))
    asked = {
        (q.programme_id, q.theme_id): q.text
        for q in ThemeQuestion.objects.filter(programme__in=programmes)
    }
    return [
        (programme, [(theme, asked.get((programme.pk, theme.pk), "")) for theme in themes])
        for programme in programmes
    ]


def waiting_for(user: AnyUser, *, at: datetime | None = None) -> QuerySet[TrainingSession]:
    """Sessions the person attended whose evaluation is open and not yet answered, the most
    recent first (for the start page and the day's email)."""
    at = at or timezone.now()
    return (
        TrainingSession.objects.filter(
            invitations__user=user,
            invitations__attendance=Invitation.Attendance.PRESENT,
            ends_at__lte=at,
            ends_at__gt=at - timedelta(days=settings.EVALUATION_OPEN_DAYS),
        )
        .exclude(status=TrainingSession.Status.CANCELLED)
        .exclude(Exists(Answer.objects.filter(session=OuterRef("pk"), respondent=user)))
        .order_by("-ends_at")
    )


@dataclass
class Results:
    """What the coach may see of one session's or one theme's evaluations."""

    attended: int
    answered: int
    shown: bool  # enough answers for figures and texts
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, people)
    average: float | None = None
    will_try: list[str] = field(default_factory=list)
    questions: list[tuple[str, list[str]]] = field(default_factory=list)  # (question, answers)

    @property
    def missing(self) -> int:
        """How many more answers before anything is shown."""
        return max(MIN_ANSWERS - self.answered, 0)

    @property
    def rate(self) -> float | None:
        return self.answered / self.attended if self.attended else None


def _results(sessions: QuerySet[TrainingSession]) -> Results:
    attended_count = Invitation.objects.filter(
        session__in=sessions, attendance=Invitation.Attendance.PRESENT
    ).count()
    answers = Answer.objects.filter(session__in=sessions)
    figures = answers.aggregate(
        answered=Count("pk"),
        average=Avg("usefulness"),
        **{f"r{rating}": Count("pk", filter=Q(usefulness=rating)) for rating in SCALE},
    )
    results = Results(
        attended=attended_count,
        answered=figures["answered"],
        shown=figures["answered"] >= MIN_ANSWERS,
    )
    if not results.shown:
        return results
    results.distribution = [(rating, figures[f"r{rating}"]) for rating in SCALE]
    results.average = figures["average"]
    texts = AnswerText.objects.filter(answer__in=answers)
    # Sorted by their words, not by when or by whom they were written.
    results.will_try = sorted(
        texts.exclude(will_try="").values_list("will_try", flat=True), key=str.casefold
    )
    by_question: dict[str, list[str]] = {}
    for question, text in texts.exclude(question_answer="").values_list(
        "question", "question_answer"
    ):
        by_question.setdefault(question, []).append(text)
    results.questions = [
        (question, sorted(answers_to, key=str.casefold))
        for question, answers_to in sorted(by_question.items())
    ]
    return results


def session_results(session: TrainingSession) -> Results:
    return _results(TrainingSession.objects.filter(pk=session.pk))


def _held_by(coach: AnyUser, at: datetime | None) -> QuerySet:
    """The ids of the coach's held sessions (of the session, its group or its programme)."""
    at = at or timezone.now()
    coached = Q(coaches=coach) | Q(cohort__coaches=coach) | Q(programme__coaches=coach)
    return (
        TrainingSession.objects.filter(coached, ends_at__lte=at)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .values("pk")
    )


def coached_sessions(coach: AnyUser, *, at: datetime | None = None) -> QuerySet:
    """The coach's held sessions, the latest first, with how many attended and answered."""
    return (
        TrainingSession.objects.filter(pk__in=_held_by(coach, at))
        .select_related("cohort", "theme")
        .annotate(
            attended_count=Count(
                "invitations",
                filter=Q(invitations__attendance=Invitation.Attendance.PRESENT),
                distinct=True,
            ),
            answered_count=Count("evaluation_answers", distinct=True),
        )
        .order_by("-starts_at")
    )


def theme_results(coach: AnyUser, *, at: datetime | None = None) -> list[tuple[object, Results]]:
    """Per theme (in the framework's order), over the coach's held sessions with that theme
    that have at least MIN_ANSWERS answers each. A session with fewer is left out: with it in,
    the theme's figures minus the sessions' own would give away its few answers."""
    shown = (
        TrainingSession.objects.filter(pk__in=_held_by(coach, at))
        .exclude(theme=None)
        .annotate(answers=Count("evaluation_answers"))
        .filter(answers__gte=MIN_ANSWERS)
        .values("pk")
    )
    held = TrainingSession.objects.filter(pk__in=shown)
    themes = Theme.objects.filter(pk__in=held.values("theme")).order_by("order", "name")
    return [(theme, _results(held.filter(theme=theme))) for theme in themes]
