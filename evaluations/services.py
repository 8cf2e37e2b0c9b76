"""Changes to session evaluations: a manager's answer, the coach's own question."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import AnyUser
from evaluations import selectors
from evaluations.models import Answer, AnswerText, Question, ThemeQuestion
from programme.models import Programme, Theme
from sessions.models import TrainingSession


def _check_can_answer(user: AnyUser, session: TrainingSession) -> None:
    if session.is_cancelled:
        raise ValidationError(_("The session was cancelled, so there is nothing to evaluate."))
    if not selectors.attended(user, session):
        raise ValidationError(_("Only those who attended the session can evaluate it."))
    now = timezone.now()
    if now < session.ends_at:
        raise ValidationError(_("The evaluation opens when the session has ended."))
    if not selectors.is_open(session, now):
        raise ValidationError(
            _("The evaluation closed on %(date)s; answers can no longer be given or changed.")
            % {"date": date_format(timezone.localdate(selectors.closes_at(session)), "j F Y")}
        )


@transaction.atomic
def answer_save(
    *,
    user: AnyUser,
    session: TrainingSession,
    usefulness: int,
    will_try: str = "",
    question_answer: str = "",
) -> Answer:
    """Give or change one's answer while the evaluation is open."""
    _check_can_answer(user, session)
    if usefulness not in selectors.SCALE:
        raise ValidationError(_("Choose how useful the session was, from 1 to 5."))
    now = timezone.now()
    answer, created = Answer.objects.select_for_update().get_or_create(
        session=session,
        respondent=user,
        defaults={"usefulness": usefulness, "created_at": now, "updated_at": now},
    )
    if not created:
        answer.usefulness = usefulness
        answer.updated_at = now
        answer.save(update_fields=["usefulness", "updated_at"])
    will_try, question_answer = will_try.strip(), question_answer.strip()
    # The session's own question, else its theme's; stored with the answer as it was asked.
    question = selectors.question_of(session)
    if not question:
        question_answer = ""
    if will_try or question_answer:
        AnswerText.objects.update_or_create(
            answer=answer,
            defaults={
                "will_try": will_try,
                "question": question.text if question and question_answer else "",
                "question_answer": question_answer,
                "written_at": now,
            },
        )
    else:
        AnswerText.objects.filter(answer=answer).delete()
    return answer


@transaction.atomic
def question_set(*, session: TrainingSession, by: AnyUser, text: str) -> Question | None:
    """The coach's own question for the session's evaluation; empty text removes it. It can
    change only until the first answer, so that every answer answers the same question."""
    text = text.strip()
    if session.is_cancelled:
        raise ValidationError(_("The session was cancelled, so it has no evaluation."))
    if Answer.objects.filter(session=session).exists():
        raise ValidationError(
            _("The question cannot be changed once someone has answered the evaluation.")
        )
    if not text:
        Question.objects.filter(session=session).delete()
        return None
    question, _created = Question.objects.update_or_create(
        session=session, defaults={"text": text, "created_by": by, "created_at": timezone.now()}
    )
    return question


@transaction.atomic
def theme_question_set(
    *, programme: Programme, theme: Theme, by: AnyUser, text: str
) -> ThemeQuestion | None:
    """The coach's question for every session of a theme in their programme; empty text
    removes it. A changed question applies to answers given from now on (each answer keeps
    the question it answered)."""
    if not programme.coaches.filter(pk=by.pk).exists():
        raise ValidationError(_("You can only set questions for a programme you coach."))
    text = text.strip()
    if len(text) > 300:
        raise ValidationError(_("A question can be at most 300 characters."))
    if not text:
        ThemeQuestion.objects.filter(programme=programme, theme=theme).delete()
        return None
    question, _created = ThemeQuestion.objects.update_or_create(
        programme=programme,
        theme=theme,
        defaults={"text": text, "created_by": by, "created_at": timezone.now()},
    )
    return question
