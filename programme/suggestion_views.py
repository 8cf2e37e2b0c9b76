"""Managers' voice on the framework: a manager sends the coaches of their programme a signed
suggestion on a theme, focus area or ledord; a coach answers and may publish the answer for
everyone in the programme. Whoever may not see a suggestion gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_coach, is_manager
from programme import forms
from programme import suggestion_selectors as selectors
from programme import suggestion_services as services

PER_PAGE = 25


def suggestion_create(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = selectors.framework_item(kind, slug)
    if item is None:
        raise Http404
    if not is_manager(request.user):
        raise PermissionDenied
    programmes = selectors.programmes_of_manager(request.user)
    if not programmes.exists():
        messages.error(
            request,
            _(
                "You can send suggestions to the coaches when you take part in a programme. "
                "The leadership coach places you in a training group."
            ),
        )
        return redirect("programme:overview")
    status = 200
    if request.method == "POST":
        form = forms.SuggestionForm(request.POST, programmes=programmes)
        if form.is_valid():
            try:
                services.suggestion_send(
                    author=request.user,
                    programme=form.cleaned_data["programme"],
                    item=item,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Thank you! The coaches have your suggestion. Their answer shows here."),
                )
                return redirect("programme:suggestion-mine")
        status = 400
    else:
        form = forms.SuggestionForm(programmes=programmes)
    return render(
        request,
        "programme/suggestion_form.html",
        {"form": form, "item": item, "kind": kind, "programmes": list(programmes)},
        status=status,
    )


def suggestion_mine(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied
    return render(
        request,
        "programme/suggestion_mine.html",
        {"suggestions": selectors.own_suggestions(request.user)[:200]},
    )


@require_POST
def suggestion_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.own_suggestion_get(request.user, pk)
    if suggestion is None:
        raise Http404
    services.suggestion_withdraw(suggestion=suggestion, by=request.user)
    messages.success(request, _("Your suggestion is withdrawn. The coaches no longer see it."))
    return redirect("programme:suggestion-mine")


def suggestion_list(request: HttpRequest) -> HttpResponse:
    """The coach's suggestions: waiting for an answer first, then those answered."""
    if not is_coach(request.user):
        raise PermissionDenied
    answered = Paginator(
        selectors.suggestions_for_coach(request.user)
        .filter(answered_at__isnull=False)
        .order_by("-answered_at", "-pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/suggestion_list.html",
        {
            "waiting": list(selectors.waiting_for_coach(request.user)[:200]),
            "page": answered,
            "answered": answered.object_list,
        },
    )


def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_coach(request.user, pk)
    if suggestion is None:
        if request.method == "POST" and selectors.suggestion_withdrawn_for_coach(request.user, pk):
            messages.error(
                request,
                _("The suggestion has been withdrawn by its author, so your answer was not saved."),
            )
            return redirect("programme:suggestion-list")
        raise Http404
    status = 200
    if request.method == "POST":
        form = forms.SuggestionAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.suggestion_answer(
                    suggestion=suggestion, coach=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Your answer is saved and published on the programme page.")
                    if form.cleaned_data["publish"]
                    else _("Your answer is saved. The manager sees it."),
                )
                return redirect("programme:suggestion-list")
        status = 400
    else:
        form = forms.SuggestionAnswerForm(
            initial={"answer": suggestion.answer, "publish": suggestion.is_published}
        )
    return render(
        request,
        "programme/suggestion_answer.html",
        {"suggestion": suggestion, "form": form},
        status=status,
    )
