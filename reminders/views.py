"""The manager's reminder settings, and the coach's view of a session's repetition steps."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_manager
from notifications.models import Pause, ReminderKind
from reminders import forms, selectors, services
from sessions.models import TrainingSession
from sessions.permissions import can_edit_session


def _manager(request: HttpRequest) -> None:
    if not is_manager(request.user):
        raise PermissionDenied


def _page(request, *, preference_form=None, pause_form=None, status=200) -> HttpResponse:
    preference = selectors.preference_of(request.user)
    if preference_form is None:
        wanted = [k for k in ReminderKind.values if k not in preference.disabled_kinds]
        preference_form = forms.PreferenceForm(
            initial={"kinds": wanted, "language": request.user.language}
        )
    today = timezone.localdate()
    return render(
        request,
        "reminders/settings.html",
        {
            "preference": preference,
            "preference_form": preference_form,
            "pause_form": pause_form or forms.PauseForm(user=request.user),
            "pauses": selectors.pauses(request.user, today=today),
            "upcoming": selectors.upcoming(request.user),
            "today": today,
            "send_time": settings.REMINDERS_SEND_TIME,
        },
        status=status,
    )


def reminder_settings(request: HttpRequest) -> HttpResponse:
    _manager(request)
    if request.method == "POST":
        form = forms.PreferenceForm(request.POST)
        if not form.is_valid():
            return _page(request, preference_form=form, status=400)
        services.preferences_save(
            user=request.user,
            wanted_kinds=form.cleaned_data["kinds"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:settings")
    return _page(request)


@require_POST
def pause_add(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = forms.PauseForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, pause_form=form, status=400)
    pause = services.pause_add(user=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Reminders are paused from %(start)s until %(end)s. Repetition steps move later.")
        % {
            "start": formats.date_format(pause.starts_on, "j F Y"),
            "end": formats.date_format(pause.ends_on, "j F Y"),
        },
    )
    return redirect("reminders:settings")


@require_POST
def pause_end(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    pause = get_object_or_404(Pause, pk=pk, user=request.user)
    services.pause_end(pause=pause)
    messages.success(request, _("The pause is over: your reminders continue."))
    return redirect("reminders:settings")


@require_POST
def resubscribe(request: HttpRequest) -> HttpResponse:
    _manager(request)
    services.resubscribe(user=request.user)
    messages.success(request, _("Your reminders are on again."))
    return redirect("reminders:settings")


def session_steps(request: HttpRequest, session_pk: int) -> HttpResponse:
    """For the session's coaches: which repetition steps went out, and how many answered."""
    session = TrainingSession.objects.filter(pk=session_pk).select_related("programme").first()
    if session is None:
        raise Http404
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    return render(
        request,
        "reminders/session_steps.html",
        {"session": session, "steps": selectors.session_steps(session)},
    )
