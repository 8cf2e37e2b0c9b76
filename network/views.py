"""The network group's questions and answers: short views over selectors and services.
Whoever may not see a question gets 404, as if it did not exist."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_coach
from network import forms, selectors, services
from network.models import Answer, Question
from reflections import permissions as journal_permissions
from reflections import selectors as journal_selectors

PER_PAGE = 20


def member_group_or_404(request: HttpRequest, pk: int):
    """The network group `pk` if the person is a current member of it; else 404 (whoever is
    not does not learn that it exists). The meetings' views use it too."""
    group = selectors.group_get_for_member(request.user, pk)
    if group is None:
        raise Http404
    return group


def _question_or_404(request: HttpRequest, pk: int) -> Question:
    question = selectors.question_get_visible_to(request.user, pk)
    if question is None:
        raise Http404
    return question


def _own_question_or_404(request: HttpRequest, pk: int) -> Question:
    question = _question_or_404(request, pk)
    if question.author_id != request.user.pk:
        # Members see it and know it exists; only its asker may change it.
        raise PermissionDenied
    return question


def _own_answer_or_404(request: HttpRequest, pk: int) -> Answer:
    answer = selectors.answer_get_by_author(request.user, pk)
    if answer is None:
        raise Http404
    return answer


def _form_errors(form, error: ValidationError, field: str) -> None:
    for message in error.messages:
        form.add_error(field, message)


def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = member_group_or_404(request, pk)
    page = Paginator(selectors.question_list(group, request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "network/question_list.html",
        {
            "group": group,
            "page": page,
            "questions": page.object_list,
            "members": selectors.group_members(group).select_related("department__parent"),
        },
    )


def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_for_member(request.user, pk)
    if group is None:
        if selectors.has_left_group(request.user, pk):
            messages.error(
                request,
                _("You are no longer a member of this network group, so nothing was posted."),
            )
            return redirect("programme:my-group")
        raise Http404
    status = 200
    if request.method == "POST":
        form = forms.QuestionForm(request.POST)
        if form.is_valid():
            try:
                question = services.question_create(
                    group=group, author=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error, None)
            else:
                messages.success(request, _("Your question is posted. The group sees it now."))
                return redirect("network:question-detail", pk=question.pk)
        status = 400
    else:
        form = forms.QuestionForm()
    return render(
        request, "network/question_form.html", {"group": group, "form": form}, status=status
    )


def _detail_context(request: HttpRequest, question: Question, answer_form=None) -> dict:
    can_answer = selectors.can_answer(request.user, question)
    return {
        "question": question,
        "group": question.group,
        "answers": selectors.answer_list(question),
        "is_author": question.author_id == request.user.pk,
        "can_answer": can_answer,
        "is_member": selectors.is_member(request.user, question.group),
        "answer_form": answer_form or (forms.AnswerForm() if can_answer else None),
    }


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(request, pk)
    context = _detail_context(request, question)
    # The answers are read above, before the read marker moves: the page marks what is new.
    read = question.reads.filter(user=request.user).first()
    context["read_at"] = read.read_at if read else None
    context["answers"] = list(context["answers"])
    services.question_mark_read(question=question, user=request.user)
    return render(request, "network/question_detail.html", context)


@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_visible_to(request.user, pk)
    if question is None:
        if selectors.question_deleted_for(request.user, pk):
            messages.error(
                request, _("The question has been deleted, so your answer was not saved.")
            )
            groups = selectors.member_groups(request.user)
            group = groups.filter(questions__pk=pk).first()
            if group is not None:
                return redirect("network:question-list", pk=group.pk)
            return redirect("programme:my-group")
        raise Http404
    if not selectors.can_answer(request.user, question):
        # The asker, after leaving the group: they still read their thread.
        messages.error(
            request, _("You are no longer a member of this network group, so nothing was posted.")
        )
        return redirect("network:question-detail", pk=question.pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_create(question=question, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error, "body")
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect("network:question-detail", pk=question.pk)
    context = _detail_context(request, question, answer_form=form)
    context["read_at"] = None
    return render(request, "network/question_detail.html", context, status=400)


def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _own_question_or_404(request, pk)
    status = 200
    label = _("Save the question")
    if request.method == "POST":
        form = forms.QuestionForm(request.POST, submit_label=label)
        if form.is_valid():
            try:
                services.question_update(question=question, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error, None)
            else:
                messages.success(request, _("Your question is saved."))
                return redirect("network:question-detail", pk=question.pk)
        status = 400
    else:
        form = forms.QuestionForm(
            initial={
                "title": question.title,
                "body": question.body,
                "includes_coach": question.includes_coach,
            },
            submit_label=label,
        )
    return render(
        request,
        "network/question_form.html",
        {"group": question.group, "form": form, "question": question},
        status=status,
    )


@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _own_question_or_404(request, pk)
    group = question.group
    services.question_delete(question=question, by=request.user)
    messages.success(request, _("Your question and its answers are deleted."))
    if selectors.is_member(request.user, group):
        return redirect("network:question-list", pk=group.pk)
    return redirect("programme:my-group")


@require_POST
def question_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    question = _own_question_or_404(request, pk)
    resolved = request.POST.get("resolved") != "0"
    services.question_set_resolved(question=question, by=request.user, resolved=resolved)
    if resolved:
        messages.success(request, _("The question is marked as resolved. Thank you for sharing!"))
    else:
        messages.success(request, _("The question is open again."))
    return redirect("network:question-detail", pk=question.pk)


def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _own_answer_or_404(request, pk)
    status = 200
    label = _("Save the answer")
    if request.method == "POST":
        form = forms.AnswerForm(request.POST, submit_label=label)
        if form.is_valid():
            services.answer_update(answer=answer, by=request.user, **form.cleaned_data)
            messages.success(request, _("Your answer is saved."))
            return redirect("network:question-detail", pk=answer.question_id)
        status = 400
    else:
        form = forms.AnswerForm(initial={"body": answer.body}, submit_label=label)
    return render(
        request,
        "network/answer_form.html",
        {"answer": answer, "question": answer.question, "form": form},
        status=status,
    )


@require_POST
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _own_answer_or_404(request, pk)
    question_pk = answer.question_id
    services.answer_delete(answer=answer, by=request.user)
    messages.success(request, _("Your answer is deleted."))
    return redirect("network:question-detail", pk=question_pk)


def coach_questions(request: HttpRequest) -> HttpResponse:
    """The questions in the coach's network groups that their askers let the coach see."""
    if not is_coach(request.user):
        raise PermissionDenied
    page = Paginator(selectors.questions_for_coach(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "network/coach_questions.html", {"page": page, "questions": page.object_list}
    )


# Journal entries shared with the network group: a copy at the moment of sharing.


def _own_entry_or_404(request: HttpRequest, pk: int):
    """The author's own journal entry (not in the trash); for anyone else it does not exist."""
    if not journal_permissions.can_keep_journal(request.user):
        raise Http404
    entry = journal_selectors.entry_get_own(request.user, pk)
    if entry is None:
        raise Http404
    return entry


def entry_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a copy of one's journal entry with a network group, share it again (the copy is
    replaced by the entry as it is now), or see where copies are and take them back."""
    entry = _own_entry_or_404(request, pk)
    groups = list(selectors.member_groups(request.user).select_related("round"))
    status = 200
    if request.method == "POST":
        group = selectors.group_get_for_member(request.user, _int(request.POST.get("group")))
        if group is None:
            messages.error(
                request,
                _("You are no longer a member of this network group, so nothing was shared.")
                if selectors.has_left_group(request.user, _int(request.POST.get("group")))
                else _("Choose one of your network groups."),
            )
            status = 400
        else:
            try:
                _copy, created = services.entry_share_with_group(
                    entry=entry, group=group, by=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                status = 400
            else:
                messages.success(
                    request,
                    _("A copy of the entry is shared with your network group.")
                    if created
                    else _("The group's copy is replaced by the entry as it is now."),
                )
                return redirect("network:entry-share", pk=entry.pk)
    copies = list(selectors.entry_copies(entry))
    shared_with = {copy.group_id: copy for copy in copies}
    return render(
        request,
        "network/entry_share.html",
        {
            "entry": entry,
            "copies": copies,
            "choices": [(group, shared_with.get(group.pk)) for group in groups],
            "member_of": {group.pk for group in groups},
        },
        status=status,
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
def shared_entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The author takes a copy back, from the group's page or the entry's sharing page."""
    copy = selectors.shared_entry_get_own(request.user, pk)
    if copy is None:
        raise Http404
    entry_pk, group_pk = copy.entry_id, copy.group_id
    services.shared_entry_withdraw(copy=copy, by=request.user)
    messages.success(request, _("The copy is taken back. The group no longer sees it."))
    if request.POST.get("next") == "group" and selectors.group_get_for_member(
        request.user, group_pk
    ):
        return redirect("network:shared-entries", pk=group_pk)
    if entry_pk and journal_selectors.entry_get_own(request.user, entry_pk):
        return redirect("network:entry-share", pk=entry_pk)
    return redirect("programme:my-group")


def shared_entries(request: HttpRequest, pk: int) -> HttpResponse:
    """The journal entries the group's members have shared with it."""
    group = member_group_or_404(request, pk)
    page = Paginator(selectors.shared_entries(group), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/shared_entries.html",
        {"group": group, "page": page, "copies": page.object_list},
    )
