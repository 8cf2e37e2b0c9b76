"""Benefit surveys: HR's and the coaches' list, form, results and early close; a manager's
answer. No view shows who answered what."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from evaluations import forms, selectors, services, survey_services
from evaluations import survey_selectors as surveys
from programme.models import Programme, Theme

SURVEYS_PER_PAGE = 20


def _managed_survey(request: HttpRequest, pk: int):
    """A survey HR or a coach may follow (another programme's: 404)."""
    if not surveys.can_manage_surveys(request.user):
        raise PermissionDenied
    survey = surveys.survey_get_visible_to(request.user, pk)
    if survey is None:
        raise Http404
    return survey


def _errors(form) -> str:
    return " ".join(m for errors in form.errors.values() for m in errors)


def survey_list(request: HttpRequest) -> HttpResponse:
    if not surveys.can_manage_surveys(request.user):
        raise PermissionDenied
    page = Paginator(surveys.survey_list_with_rates(request.user), SURVEYS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    invited = surveys.invited_counts(rows)
    today = timezone.localdate()
    return render(
        request,
        "evaluations/survey_list.html",
        {
            "page": page,
            "rows": [
                {
                    "survey": s,
                    "invited": invited[s.pk],
                    "is_open": s.is_open(today),
                    "has_closed": s.has_closed(today),
                }
                for s in rows
            ],
            "min_answers": selectors.MIN_ANSWERS,
        },
    )


def survey_create(request: HttpRequest) -> HttpResponse:
    if not surveys.can_manage_surveys(request.user):
        raise PermissionDenied
    programmes = surveys.programmes_for(request.user)
    status = 200
    if request.method == "POST":
        form = forms.SurveyForm(request.POST, programmes=programmes)
        if form.is_valid():
            try:
                survey = survey_services.survey_create(
                    by=request.user,
                    title=form.cleaned_data["title"],
                    programme=form.cleaned_data["programme"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    statements=form.statement_list(),
                    open_question=form.cleaned_data["open_question"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The survey is saved. Invitations go out with the day's reminder email."),
                )
                return redirect("evaluations:survey-detail", pk=survey.pk)
        status = 400
    else:
        today = timezone.localdate()
        form = forms.SurveyForm(
            programmes=programmes,
            initial={
                "title": _("Benefit survey %(year)d") % {"year": today.year},
                "programme": programmes.first() if permissions.is_coach(request.user) else None,
                "opens_on": today,
                "closes_on": today + timezone.timedelta(days=21),
                "statements": "\n".join(surveys.DEFAULT_STATEMENTS),
                "open_question": surveys.DEFAULT_OPEN_QUESTION,
            },
        )
    return render(
        request, "evaluations/survey_form.html", {"form": form, "survey": None}, status=status
    )


def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    if survey.has_closed():
        messages.error(request, _("The survey has closed and can no longer be changed."))
        return redirect("evaluations:survey-detail", pk=survey.pk)
    status = 200
    if request.method == "POST":
        form = forms.SurveyForm(request.POST, editing=True)
        if form.is_valid():
            try:
                survey_services.survey_update(
                    survey=survey,
                    title=form.cleaned_data["title"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    statements=form.statement_list(),
                    open_question=form.cleaned_data["open_question"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The survey is saved."))
                return redirect("evaluations:survey-detail", pk=survey.pk)
        status = 400
    else:
        form = forms.SurveyForm(
            editing=True,
            initial={
                "title": survey.title,
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
                "statements": "\n".join(s.text for s in surveys.statements(survey)),
                "open_question": survey.open_question,
            },
        )
    return render(
        request,
        "evaluations/survey_form.html",
        {"form": form, "survey": survey, "answered": survey.responses.exists()},
        status=status,
    )


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "evaluations/survey_detail.html",
        {
            "survey": survey,
            "results": surveys.survey_results(survey, today=today),
            "statements": surveys.statements(survey),
            "is_open": survey.is_open(today),
            "has_closed": survey.has_closed(today),
            "min_answers": selectors.MIN_ANSWERS,
        },
    )


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    if survey.has_closed():
        messages.info(request, _("The survey has already closed."))
    else:
        survey_services.survey_close(survey=survey)
        messages.success(request, _("The survey is closed. No more answers can be given."))
    return redirect("evaluations:survey-detail", pk=survey.pk)


def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.is_manager(request.user):
        raise PermissionDenied
    survey = surveys.survey_get_for_respondent(request.user, pk)
    if survey is None:
        raise Http404
    today = timezone.localdate()
    statements = surveys.statements(survey)
    response = surveys.own_response(request.user, survey)
    can_answer = survey.is_open(today)
    status = 200
    form = None
    if request.method == "POST" and can_answer:
        form = forms.SurveyAnswerForm(
            request.POST, statements=statements, open_question=survey.open_question
        )
        if form.is_valid():
            try:
                survey_services.response_save(
                    user=request.user,
                    survey=survey,
                    ratings=form.ratings(),
                    text=form.cleaned_data.get("text", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you! Your answer is saved. You can change it until it closes."),
                )
                return redirect("evaluations:survey-answer", pk=survey.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    elif can_answer:
        initial = {}
        if response is not None:
            initial = {f"statement_{r.statement_id}": r.value for r in response.ratings.all()}
            text = getattr(response, "text", None)
            initial["text"] = text.text if text else ""
        form = forms.SurveyAnswerForm(
            initial=initial, statements=statements, open_question=survey.open_question
        )
    given = {}
    if response is not None:
        given = {r.statement_id: r.value for r in response.ratings.all()}
    return render(
        request,
        "evaluations/survey_answer.html",
        {
            "survey": survey,
            "form": form,
            "response": response,
            "given": [(s.text, given.get(s.pk)) for s in statements],
            "not_yet_open": today < survey.opens_on,
            "min_answers": selectors.MIN_ANSWERS,
        },
        status=status,
    )


def theme_questions(request: HttpRequest) -> HttpResponse:
    """The coach's question per theme in each of their programmes."""
    if not permissions.is_coach(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.ThemeQuestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return redirect("evaluations:theme-questions")
        programme = Programme.objects.filter(
            pk=form.cleaned_data["programme"], coaches=request.user
        ).first()
        theme = Theme.objects.filter(pk=form.cleaned_data["theme"]).first()
        if programme is None or theme is None:
            raise Http404
        try:
            saved = services.theme_question_set(
                programme=programme, theme=theme, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The question for %(theme)s is saved.") % {"theme": theme.name}
                if saved
                else _("%(theme)s has no question of yours.") % {"theme": theme.name},
            )
        return redirect("evaluations:theme-questions")
    return render(
        request,
        "evaluations/theme_questions.html",
        {"programmes": selectors.theme_questions_for(request.user)},
    )
