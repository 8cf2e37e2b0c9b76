"""Changes to benefit surveys: opening, editing and closing one (HR, a coach), and a
manager's answer."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import AnyUser
from evaluations import survey_selectors as selectors
from evaluations.models import Survey, SurveyRating, SurveyResponse, SurveyStatement, SurveyText
from evaluations.selectors import SCALE
from programme.models import Programme


def _clean_statements(statements: list[str]) -> list[str]:
    cleaned = [s.strip() for s in statements if s.strip()]
    if not cleaned:
        raise ValidationError(_("Write at least one statement to rate."))
    if len(cleaned) > selectors.MAX_STATEMENTS:
        raise ValidationError(
            _("A survey has at most %(count)d statements.") % {"count": selectors.MAX_STATEMENTS}
        )
    if any(len(s) > 300 for s in cleaned):
        raise ValidationError(_("A statement can be at most 300 characters."))
    return cleaned


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise ValidationError(_("The survey cannot close before it opens."))
    if closes_on < timezone.localdate():
        raise ValidationError(_("The closing date has already passed."))


@transaction.atomic
def survey_create(
    *,
    by: AnyUser,
    title: str,
    programme: Programme | None,
    opens_on: date,
    closes_on: date,
    statements: list[str],
    open_question: str = "",
) -> Survey:
    """Open a survey for a programme (or, without one, for every manager)."""
    if programme is not None and not selectors.programmes_for(by).filter(pk=programme.pk).exists():
        raise ValidationError(_("You can only open a survey for a programme you coach."))
    _check_dates(opens_on, closes_on)
    cleaned = _clean_statements(statements)
    survey = Survey.objects.create(
        title=title.strip(),
        programme=programme,
        opens_on=opens_on,
        closes_on=closes_on,
        open_question=open_question.strip(),
        created_by=by,
    )
    SurveyStatement.objects.bulk_create(
        SurveyStatement(survey=survey, text=text, order=number)
        for number, text in enumerate(cleaned, start=1)
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    title: str,
    opens_on: date,
    closes_on: date,
    statements: list[str],
    open_question: str = "",
) -> Survey:
    """Change a survey that has not closed. Its questions are fixed from the first answer, so
    that every answer answers the same questions."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.has_closed():
        raise ValidationError(_("The survey has closed and can no longer be changed."))
    _check_dates(opens_on, closes_on)
    cleaned = _clean_statements(statements)
    answered = SurveyResponse.objects.filter(survey=survey).exists()
    current = [s.text for s in survey.statements.all()]
    if answered and (cleaned != current or open_question.strip() != survey.open_question):
        raise ValidationError(
            _("The questions cannot be changed once someone has answered the survey.")
        )
    survey.title = title.strip()
    survey.opens_on, survey.closes_on = opens_on, closes_on
    survey.open_question = open_question.strip()
    survey.save(update_fields=["title", "opens_on", "closes_on", "open_question"])
    if not answered and cleaned != current:
        survey.statements.all().delete()
        SurveyStatement.objects.bulk_create(
            SurveyStatement(survey=survey, text=text, order=number)
            for number, text in enumerate(cleaned, start=1)
        )
    return survey


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    """Close an open survey now (the results can then be read). Safe to call twice."""
    Survey.objects.filter(pk=survey.pk, closed_early_at__isnull=True).update(
        closed_early_at=timezone.now()
    )
    survey.refresh_from_db(fields=["closed_early_at"])
    return survey


@transaction.atomic
def response_save(
    *, user: AnyUser, survey: Survey, ratings: dict[int, int], text: str = ""
) -> SurveyResponse:
    """Give or change one's answer while the survey is open: a rating for every statement,
    and perhaps a text for the open question."""
    if not selectors.is_invited(user, survey):
        raise ValidationError(_("This survey is not for you."))
    today = timezone.localdate()
    if today < survey.opens_on:
        raise ValidationError(
            _("The survey opens on %(date)s.") % {"date": date_format(survey.opens_on, "j F Y")}
        )
    if not survey.is_open(today):
        raise ValidationError(
            _("The survey has closed; answers can no longer be given or changed.")
        )
    statements = selectors.statements(survey)
    if {s.pk for s in statements} != set(ratings) or any(v not in SCALE for v in ratings.values()):
        raise ValidationError(_("Rate every statement from 1 to 5."))
    now = timezone.now()
    response, created = SurveyResponse.objects.select_for_update().get_or_create(
        survey=survey,
        respondent=user,
        defaults={"department": user.department, "created_at": now, "updated_at": now},
    )
    if not created:
        response.department = user.department
        response.updated_at = now
        response.save(update_fields=["department", "updated_at"])
    SurveyRating.objects.filter(response=response).delete()
    SurveyRating.objects.bulk_create(
        SurveyRating(response=response, statement_id=pk, value=value)
        for pk, value in ratings.items()
    )
    text = text.strip() if survey.open_question else ""
    if text:
        SurveyText.objects.update_or_create(
            response=response, defaults={"text": text, "written_at": now}
        )
    else:
        SurveyText.objects.filter(response=response).delete()
    return response
