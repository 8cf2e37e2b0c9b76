"""The journal: the manager's own entries, and the entries shared with a coach."""

import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reflections import charts, forms, permissions, selectors, services

# Entries listed to a page of the journal (search results too).
ENTRIES_PER_PAGE = 25


def _journal_keeper(request: HttpRequest) -> None:
    if not permissions.can_keep_journal(request.user):
        raise PermissionDenied


def _own_or_404(request: HttpRequest, pk: int, *, include_trash: bool = False):
    """The author's own entry; for anyone else, whatever their role, it does not exist."""
    if not permissions.can_keep_journal(request.user):
        raise Http404
    entry = selectors.entry_get_own(request.user, pk, include_trash=include_trash)
    if entry is None:
        raise Http404
    return entry


def journal_list(request: HttpRequest) -> HttpResponse:
    _journal_keeper(request)
    search = forms.JournalSearchForm(request.GET or None, user=request.user)
    entries = selectors.own_entries(request.user)
    if search.is_valid():
        data = search.cleaned_data
        entries = selectors.search(
            entries,
            words=data["q"],
            theme_id=data["theme"].pk if data["theme"] else None,
            keyword_id=data["keyword"].pk if data["keyword"] else None,
            session_id=data["session"].pk if data["session"] else None,
            since=data["since"],
            until=data["until"],
        )
    else:
        entries = selectors.search(entries)
    # The list shows no text; newest first, the id breaking ties so no entry is on two pages.
    entries = entries.defer("body").order_by("-written_on", "-created_at", "-pk")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reflections/journal_list.html",
        {
            "entries": page.object_list,
            "page": page,
            "search": search,
            "searching": bool(request.GET.keys() - {"page"}),
            "trash_count": selectors.own_trash(request.user).count(),
            "prompts": selectors.prompts_for_manager(request.user)[:10],
        },
    )


def _rate_with(form, entry) -> None:
    """A rating given in the entry form is the entry's rating, on the ledord rated."""
    services.entry_rate(entry=entry, values=form.rating())


# The browser keeps a copy of unsaved text under a key per person and entry
# (static/js/journal.js). A save by the form names its key here, and the page after the
# redirect tells the script to drop that copy: it is saved.
DRAFT_KEY = re.compile(r"ledarskap:(\d+):journal:(\d+|new:[A-Za-z0-9_-]{8,64})")
SAVED_DRAFTS = "journal_saved_drafts"


def _draft_saved(request: HttpRequest) -> None:
    key = request.POST.get("draft", "")
    match = DRAFT_KEY.fullmatch(key)
    if match and int(match[1]) == request.user.pk:
        request.session[SAVED_DRAFTS] = [*request.session.get(SAVED_DRAFTS, [])[-9:], key]


def _editor_context(request: HttpRequest, entry) -> dict:
    """What the editor's script needs to keep its copy of the text a safety net only."""
    person = request.user.pk
    key = (
        f"ledarskap:{person}:journal:{entry.pk}"
        if entry
        else f"ledarskap:{person}:journal:new:{secrets.token_urlsafe(12)}"
    )
    return {
        "draft_key": key,
        "draft_prefix": f"ledarskap:{person}:journal:",
        "saved_drafts": request.session.pop(SAVED_DRAFTS, []),
        "server_now_ms": int(timezone.now().timestamp() * 1000),
        "updated_at_ms": int(entry.updated_at.timestamp() * 1000) if entry else "",
    }


def _saved_message(entry) -> str:
    when = formats.time_format(timezone.localtime(entry.updated_at), "H:i")
    return _("Saved at %(time)s.") % {"time": when}


def _conflict_message() -> str:
    return _(
        "The entry was changed in another window after you opened it. Nothing is lost: "
        "your text is kept as a new entry beside it."
    )


def entry_create(request: HttpRequest) -> HttpResponse:
    _journal_keeper(request)
    prompt = None
    prompt_id = request.GET.get("fraga") or request.POST.get("prompt")
    if prompt_id and str(prompt_id).isdigit():
        prompt = selectors.prompts_for_manager(request.user).filter(pk=prompt_id).first()
    initial = {}
    session_id = request.GET.get("traff")
    if session_id and session_id.isdigit():
        # From a repetition reminder: the reflection is about that session.
        initial["session"] = int(session_id)
    if prompt:
        initial |= {"theme": prompt.theme_id, "prompt": prompt.pk}
        initial["session"] = prompt.session_id or initial.get("session")
    form = forms.EntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                author=request.user, data=form.entry_data(), prompt=prompt
            )
        except ValidationError as error:
            form.add_error("session", error)
        else:
            _rate_with(form, entry)
            _draft_saved(request)
            messages.success(request, _saved_message(entry))
            return redirect("reflections:entry-edit", pk=entry.pk)
    return render(
        request,
        "reflections/entry_form.html",
        {"form": form, "entry": None, "prompt": prompt, **_editor_context(request, None)},
    )


def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_or_404(request, pk)
    rating = selectors.entry_rating(entry)
    form = forms.EntryForm(
        request.POST or None,
        user=request.user,
        initial=forms.EntryForm.initial_for(entry, rating=rating),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.entry_save(
                entry=entry,
                data=form.entry_data(),
                based_on_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _rate_with(form, result.conflict_copy or result.entry)
            _draft_saved(request)
            if result.conflict_copy:
                messages.warning(request, _conflict_message())
                return redirect("reflections:entry-edit", pk=result.conflict_copy.pk)
            messages.success(request, _saved_message(result.entry))
            return redirect("reflections:entry-edit", pk=entry.pk)
    services.feedback_mark_seen(entry=entry, reader=request.user)  # no longer new to them
    return render(
        request,
        "reflections/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "feedback": entry.feedback.select_related("coach"),
            "readers": selectors.entry_readers(entry),
            "coaches_now": [] if entry.is_shared else selectors.coaches_of(request.user),
            "rating": rating,
            **_editor_context(request, entry),
        },
    )


@require_POST
def entry_autosave(request: HttpRequest, pk: int | None = None) -> JsonResponse:
    """The editor's script saves while the manager types; answers in JSON."""
    entry = _own_or_404(request, pk) if pk else None
    if pk is None:
        _journal_keeper(request)
    form = forms.EntryForm(request.POST, user=request.user)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": _("Not saved: check the form.")}, status=400)
    try:
        if entry is None:
            entry = services.entry_create(author=request.user, data=form.entry_data())
            result = services.SaveResult(entry=entry)
        else:
            result = services.entry_save(
                entry=entry,
                data=form.entry_data(),
                based_on_version=form.cleaned_data["version"] or 0,
            )
        # Autosave keeps the rating too: whatever the manager rated, even one ledord.
        _rate_with(form, result.conflict_copy or result.entry)
    except ValidationError as error:
        return JsonResponse({"ok": False, "message": " ".join(error.messages)}, status=400)
    body = {
        "ok": True,
        "id": result.entry.pk,
        "version": result.entry.version,
        "edit_url": reverse("reflections:entry-edit", args=[result.entry.pk]),
        "autosave_url": reverse("reflections:entry-autosave", args=[result.entry.pk]),
        "message": _saved_message(result.entry),
    }
    if result.conflict_copy:
        # From now on this window writes in the copy that holds its text.
        copy = result.conflict_copy
        body.update(
            conflict=True,
            message=_conflict_message(),
            id=copy.pk,
            version=copy.version,
            edit_url=reverse("reflections:entry-edit", args=[copy.pk]),
            autosave_url=reverse("reflections:entry-autosave", args=[copy.pk]),
        )
    return JsonResponse(body)


def entry_read(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry to read: the author's own, or one shared with this coach."""
    entry = selectors.entry_get_readable(request.user, pk)
    if entry is None:
        raise Http404
    is_author = entry.author_id == request.user.pk
    services.feedback_mark_seen(entry=entry, reader=request.user)
    return render(
        request,
        "reflections/entry_read.html",
        {
            "entry": entry,
            "is_author": is_author,
            "feedback": entry.feedback.select_related("coach"),
            "feedback_form": None if is_author else forms.FeedbackForm(),
            # The self-rating is the author's own, like everything else in the journal.
            "rating": selectors.entry_rating(entry) if is_author else None,
        },
    )


@require_POST
def entry_share(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_or_404(request, pk)
    services.entry_share(entry=entry)
    messages.success(request, _("The entry is shared with your coaches."))
    return redirect("reflections:entry-edit", pk=entry.pk)


@require_POST
def entry_unshare(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_or_404(request, pk)
    services.entry_unshare(entry=entry)
    messages.success(request, _("The entry is private again. Your coaches no longer see it."))
    return redirect("reflections:entry-edit", pk=entry.pk)


@require_POST
def entry_trash(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_or_404(request, pk)
    services.entry_trash(entry=entry)
    messages.success(request, _("The entry is in the trash. You can restore it there for 30 days."))
    return redirect("reflections:journal")


@require_POST
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_or_404(request, pk, include_trash=True)
    services.entry_restore(entry=entry)
    messages.success(request, _("The entry is restored."))
    return redirect("reflections:entry-edit", pk=entry.pk)


def trash(request: HttpRequest) -> HttpResponse:
    _journal_keeper(request)
    return render(
        request,
        "reflections/trash.html",
        {"entries": selectors.own_trash(request.user), "days": services.TRASH_DAYS},
    )


def shared_list(request: HttpRequest) -> HttpResponse:
    """What managers have shared with this coach."""
    if not permissions.can_read_shared(request.user):
        raise PermissionDenied
    entries = (
        selectors.shared_with(request.user)
        .select_related("author", "theme")
        .order_by("-shared_at")[:200]
    )
    return render(request, "reflections/shared_list.html", {"entries": entries})


@require_POST
def feedback_give(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_read_shared(request.user):
        raise PermissionDenied
    entry = selectors.shared_with(request.user).filter(pk=pk).select_related("author").first()
    if entry is None:
        raise Http404
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(
            entry=entry,
            coach=request.user,
            text=form.cleaned_data["text"],
            entry_url=request.build_absolute_uri(
                reverse("reflections:entry-edit", args=[entry.pk])
            ),
        )
        messages.success(request, _("Your feedback is sent. The manager gets an email."))
    else:
        messages.error(request, _("Write some feedback first."))
    return redirect("reflections:entry-read", pk=entry.pk)


def commitment_list(request: HttpRequest) -> HttpResponse:
    _journal_keeper(request)
    form = forms.CommitmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = form.cleaned_data["session"]
        services.commitment_create(
            author=request.user,
            text=form.cleaned_data["text"],
            due_on=form.cleaned_data["due_on"],
            entry=form.cleaned_data["entry"],
            session_id=session.pk if session else None,
        )
        messages.success(request, _("Saved. Come back on the day to follow it up."))
        return redirect("reflections:commitments")
    commitments = selectors.own_commitments(request.user)
    return render(
        request,
        "reflections/commitment_list.html",
        {
            "form": form,
            "open": [c for c in commitments if c.is_open],
            "done": [c for c in commitments if not c.is_open],
            "today": timezone.localdate(),
        },
    )


def commitment_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    _journal_keeper(request)
    commitment = selectors.own_commitments(request.user).filter(pk=pk).first()
    if commitment is None:
        raise Http404
    form = forms.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.commitment_follow_up(
            commitment=commitment,
            outcome=form.cleaned_data["outcome"],
            reflection=form.cleaned_data["reflection"],
        )
        messages.success(request, _("The follow-up is saved."))
        return redirect("reflections:commitments")
    return render(
        request, "reflections/commitment_follow_up.html", {"form": form, "commitment": commitment}
    )


def ratings(request: HttpRequest) -> HttpResponse:
    """Private ledord self-ratings: a form, a chart, and the same figures as a table."""
    _journal_keeper(request)
    form = forms.RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.rating_add(author=request.user, **form.cleaned_data)
        messages.success(request, _("Your rating is saved."))
        return redirect("reflections:ratings")
    rows = list(selectors.own_ratings(request.user))
    return render(
        request,
        "reflections/ratings.html",
        {
            "form": form,
            "rows": rows,
            "lines": charts.rating_lines(rows),
            "grid": charts.grid_lines(),
            "chart": {"width": charts.WIDTH, "height": charts.HEIGHT, "pad": charts.PAD},
        },
    )


def export(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """The whole own journal: entries (trash included), commitments, ratings and feedback."""
    _journal_keeper(request)
    data = selectors.journal_export(request.user)
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="min-reflektionsjournal.json"'
        return response
    return render(request, "reflections/export.html", {"data": data})


def digest(request: HttpRequest, session_pk: int) -> HttpResponse:
    """Before a session: what the cohort shared since its previous session (never private)."""
    if not permissions.can_read_shared(request.user):
        raise PermissionDenied
    result = selectors.coach_digest(request.user, session_pk)
    if result is None:
        raise Http404
    return render(request, "reflections/digest.html", result)


def prompts(request: HttpRequest) -> HttpResponse:
    """The coach's reflection questions (provtänka), per theme or per session."""
    if not permissions.can_read_shared(request.user):
        raise PermissionDenied
    from sessions.selectors import session_list_visible_to

    sessions = session_list_visible_to(request.user).filter(
        starts_at__gte=timezone.now() - timedelta(days=60)
    )
    form = forms.PromptForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        services.prompt_create(
            coach=request.user,
            question=form.cleaned_data["question"],
            theme_id=form.cleaned_data["theme"].pk if form.cleaned_data["theme"] else None,
            session=form.cleaned_data["session"],
        )
        messages.success(request, _("The question is saved. Managers see it in their journal."))
        return redirect("reflections:prompts")
    return render(
        request,
        "reflections/prompts.html",
        {"form": form, "prompts": selectors.prompts_by_coach(request.user)},
    )


def repeat(request: HttpRequest, session_pk: int) -> HttpResponse:
    """Repetera: the session's key points again, a question, and "I have repeated"."""
    _journal_keeper(request)
    session = selectors.repeatable_session(request.user, session_pk)
    if session is None:
        raise Http404
    if request.method == "POST":
        services.repetition_record(author=request.user, session=session)
        messages.success(request, _("Well done! Your repetition is noted."))
        return redirect("reflections:repeat", session_pk=session.pk)
    repetitions = session.repetitions.filter(author=request.user)
    return render(
        request,
        "reflections/repeat.html",
        {
            "session": session,
            "prompts": selectors.prompts_for_manager(request.user).filter(session=session),
            "repetition_count": repetitions.count(),
            "last_repetition": repetitions.first(),
        },
    )
