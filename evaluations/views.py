"""Session evaluations: the manager's form, the coach's results and own question."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from evaluations import forms, selectors, services
from evaluations.models import Question
from sessions import permissions as session_permissions
from sessions import selectors as session_selectors

SESSIONS_PER_PAGE = 20


def _session_or_404(request: HttpRequest, pk: int):
    session = session_selectors.session_get_visible_to(request.user, pk)
    if session is None:
        raise Http404
    return session


def _coached_session(request: HttpRequest, pk: int):
    """A session of this coach's (administrators and HR see no evaluation: figures are the
    coach's tool, and nobody else's)."""
    if not permissions.is_coach(request.user):
        raise PermissionDenied
    session = _session_or_404(request, pk)
    if not session_permissions.can_edit_session(request.user, session):
        raise Http404
    return session


def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.is_manager(request.user):
        raise PermissionDenied
    session = _session_or_404(request, pk)
    answer = selectors.own_answer(request.user, session)
    question = selectors.question_of(session)
    now = timezone.now()
    can_answer = selectors.attended(request.user, session) and selectors.is_open(session, now)
    status = 200
    if request.method == "POST" and can_answer:
        form = forms.AnswerForm(request.POST, question=question)
        if form.is_valid():
            try:
                services.answer_save(user=request.user, session=session, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Thank you! Your evaluation is saved. You can change it until it closes."),
                )
                return redirect("evaluations:evaluate", pk=session.pk)
        status = 400
    elif request.method == "POST":
        status = 400
        form = None
    else:
        initial = {}
        if answer is not None:
            text = getattr(answer, "text", None)
            initial = {
                "usefulness": answer.usefulness,
                "will_try": text.will_try if text else "",
                "question_answer": text.question_answer if text else "",
            }
        form = forms.AnswerForm(initial=initial, question=question) if can_answer else None
    return render(
        request,
        "evaluations/evaluate.html",
        {
            "session": session,
            "form": form,
            "answer": answer,
            "attended": selectors.attended(request.user, session),
            "has_ended": session.ends_at <= now,
            "closes_at": selectors.closes_at(session),
            "is_closed": now >= selectors.closes_at(session),
            "min_answers": selectors.MIN_ANSWERS,
        },
        status=status,
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    session = _coached_session(request, pk)
    asked = selectors.question_of(session)
    question = asked if isinstance(asked, Question) else None
    return render(
        request,
        "evaluations/results.html",
        {
            "session": session,
            "results": selectors.session_results(session),
            "question": question,
            "theme_question": None if question else asked,
            "question_form": forms.QuestionForm(
                initial={"text": question.text if question else ""}
            ),
            "question_locked": session.evaluation_answers.exists(),
            "closes_at": selectors.closes_at(session),
            "min_answers": selectors.MIN_ANSWERS,
        },
    )


@require_POST
def question(request: HttpRequest, pk: int) -> HttpResponse:
    session = _coached_session(request, pk)
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("evaluations:results", pk=session.pk)
    try:
        saved = services.question_set(
            session=session, by=request.user, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your question is saved.")
            if saved
            else _("The evaluation has no question of yours."),
        )
    return redirect("evaluations:results", pk=session.pk)


def overview(request: HttpRequest) -> HttpResponse:
    if not permissions.is_coach(request.user):
        raise PermissionDenied
    page = Paginator(selectors.coached_sessions(request.user), SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/overview.html",
        {
            "page": page,
            "sessions": page.object_list,
            "themes": selectors.theme_results(request.user),
            "min_answers": selectors.MIN_ANSWERS,
        },
    )
