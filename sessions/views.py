"""Session pages: the coach's schedule, a session, attendance, förhinder, Mina träffar."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import is_coach
from programme import selectors as programme_selectors
from sessions import forms, permissions, selectors, series, services
from sessions.grids import month_grid, week_grid
from sessions.models import Invitation, TrainingSession


def _session_or_404(request: HttpRequest, pk: int):
    session = selectors.session_get_visible_to(request.user, pk)
    if session is None:
        raise Http404
    return session


def _editable_session(request: HttpRequest, pk: int):
    session = _session_or_404(request, pk)
    if not permissions.can_edit_session(request.user, session):
        raise PermissionDenied
    return session


# The schedule's lists: sessions to a page, and the latest held ones shown under them.
SESSIONS_PER_PAGE = 25
RECENT_ON_LIST = 10
# "Mina träffar": the past sessions, latest first, page by page under the upcoming ones.
PAST_PER_PAGE = 10
# People to a page of a session's attendance form and of a training group's attendance.
ATTENDANCE_PER_PAGE = 50


def schedule(request: HttpRequest) -> HttpResponse:
    """The coach's (and HR's) sessions as a list (upcoming, page by page, with the latest
    held under them), the earlier sessions page by page, a week or a month."""
    if not permissions.can_see_schedule(request.user):
        raise PermissionDenied
    view = request.GET.get("vy", "lista")
    if view not in ("lista", "tidigare", "vecka", "manad"):
        view = "lista"
    try:
        day = date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        day = timezone.localdate()
    if not 2000 <= day.year <= 2100:  # the grids step a month or a week past the edge
        day = timezone.localdate()
    context = {"view": view, "day": day, "can_schedule": permissions.can_schedule(request.user)}
    now = timezone.now()
    if view == "lista":
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        upcoming = selectors.schedule(request.user, start=now, end=today + timedelta(days=400))
        page = Paginator(upcoming, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
        recent = selectors.schedule(request.user, start=today - timedelta(days=30), end=now)
        context["page"] = page
        context["upcoming"] = page.object_list
        context["recent"] = recent.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[
            :RECENT_ON_LIST
        ]
    elif view == "tidigare":
        earlier = selectors.schedule_earlier(request.user, before=now)
        page = Paginator(earlier, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["earlier"] = page.object_list
    else:
        grid = month_grid(day) if view == "manad" else week_grid(day)
        sessions = selectors.schedule(request.user, start=grid.start, end=grid.end)
        context["grid"] = grid.fill(sessions)
    return render(request, "training_sessions/schedule.html", context)


def _form_page(request, form, *, session=None, conflicts=(), status=200):
    return render(
        request,
        "training_sessions/session_form.html",
        {"form": form, "session": session, "conflicts": conflicts},
        status=status,
    )


def session_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_schedule(request.user):
        raise PermissionDenied
    show_override = "override" in request.POST or "submit" in request.POST
    form = forms.SessionForm(
        request.POST or None,
        user=request.user,
        show_override=show_override,
        initial={"coaches": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                data=form.session_data(),
                created_by=request.user,
                override=form.cleaned_data.get("override", False),
            )
        except services.ConflictsFound as error:
            return _form_page(request, form, conflicts=error.conflicts, status=409)
        messages.success(
            request,
            _("The session is scheduled and %(count)d invitations are on their way.")
            % {"count": session.invitations.count()},
        )
        return redirect("training_sessions:session-detail", pk=session.pk)
    return _form_page(request, form)


def session_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable_session(request, pk)
    form = forms.SessionForm(
        request.POST or None,
        user=request.user,
        show_override=request.method == "POST",
        in_series=session.series_id is not None,
        initial=forms.SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        update = (
            services.session_update_following
            if form.cleaned_data.get("scope") == "following"
            else services.session_update
        )
        try:
            update(
                session=session,
                data=form.session_data(),
                override=form.cleaned_data.get("override", False),
            )
        except services.ConflictsFound as error:
            return _form_page(request, form, session=session, conflicts=error.conflicts, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is changed and everyone invited is told."))
            return redirect("training_sessions:session-detail", pk=session.pk)
    return _form_page(request, form, session=session)


def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm first: which session, who will be told, an optional message; the emails then
    wait a few minutes, while the coach can undo (session_cancel_undo)."""
    session = _editable_session(request, pk)
    if session.is_cancelled:
        messages.info(request, _("The session is already cancelled."))
        return redirect("training_sessions:session-detail", pk=session.pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.session_cancel(
            session=session, cancelled_by=request.user, message=form.cleaned_data["message"]
        )
        count = session.invitations.count()
        if session.cancel_undo_until:
            text = ngettext(
                "The session is cancelled. The email to the %(count)d person invited leaves "
                "at %(time)s; until then you can undo the cancellation.",
                "The session is cancelled. The emails to the %(count)d people invited leave "
                "at %(time)s; until then you can undo the cancellation.",
                count,
            ) % {"count": count, "time": date_format(localtime(session.cancel_undo_until), "H:i")}
        else:
            text = _("The session is cancelled and everyone invited is told.")
        messages.success(request, text)
        return redirect("training_sessions:session-detail", pk=session.pk)
    page = Paginator(selectors.session_invitations(session), ATTENDANCE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training_sessions/session_cancel.html",
        {
            "session": session,
            "form": form,
            "page": page,
            "undo_minutes": int(services.CANCEL_UNDO_WINDOW.total_seconds() // 60),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def session_cancel_undo(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable_session(request, pk)
    try:
        services.session_cancel_undo(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The cancellation is undone: the session is on, and nobody was told it was off."),
        )
    return redirect("training_sessions:session-detail", pk=session.pk)


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    can_edit = permissions.can_edit_session(request.user, session)
    invitation = session.invitations.filter(user=request.user).first()
    context = {
        "session": session,
        "can_edit": can_edit,
        "can_undo_cancel": can_edit and session.cancel_can_be_undone(),
        "invitation": invitation,
        "has_ended": session.ends_at <= timezone.now(),
        # The evaluation's figures are the coach's tool (evaluations.views.results).
        "can_see_evaluation": can_edit and is_coach(request.user),
        "can_excuse": bool(
            invitation and not session.is_cancelled and timezone.now() < session.starts_at
        ),
        "excuse_form": forms.ExcuseForm(),
    }
    if can_edit or permissions.can_see_schedule(request.user):
        # A page of the invited at a time: the form saves the marks of the page it shows
        # and leaves the other pages' marks as they are (attendance_save).
        page = Paginator(selectors.session_invitations(session), ATTENDANCE_PER_PAGE).get_page(
            request.GET.get("page")
        )
        invitations = page.object_list
        context["invitations"] = invitations
        context["page"] = page
        if can_edit and not session.is_cancelled:
            context["attendance_form"] = forms.AttendanceForm(invitations=invitations)
    return render(request, "training_sessions/session_detail.html", context)


@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable_session(request, pk)
    if session.is_cancelled:
        raise PermissionDenied
    form = forms.AttendanceForm(request.POST, invitations=selectors.session_invitations(session))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if form.is_valid():
        services.attendance_mark(
            session=session,
            marks=form.marks(all_present="all_present" in request.POST),
            marked_by=request.user,
        )
        message = _("Attendance is saved.")
        if wants_json:
            return JsonResponse({"ok": True, "message": message})
        messages.success(request, message)
    else:
        message = _("Attendance could not be saved. Choose one option per person.")
        if wants_json:
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
    # Back to the page of the form that was saved.
    page = request.GET.get("page", "")
    url = reverse("training_sessions:session-detail", args=[session.pk])
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


def _own_invitation(request: HttpRequest, pk: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("session")
        .filter(session_id=pk, user=request.user)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


@require_POST
def excuse_report(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    form = forms.ExcuseForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_report_excuse(
                invitation=invitation, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your förhinder is reported. The coach can see it."))
    return redirect("training_sessions:session-detail", pk=pk)


@require_POST
def excuse_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk)
    try:
        services.invitation_withdraw_excuse(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your förhinder is withdrawn: welcome!"))
    return redirect("training_sessions:session-detail", pk=pk)


def my_sessions(request: HttpRequest) -> HttpResponse:
    if not permissions.can_have_sessions(request.user):
        raise PermissionDenied
    invitations = selectors.my_invitations(request.user)
    past = Paginator(invitations["past"], PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training_sessions/my_sessions.html",
        {
            "upcoming": invitations["upcoming"],
            "past": past.object_list,
            "past_page": past,
            "offers": selectors.makeup_offers(request.user),
            # What get_attendance_display gives, looked up once rather than per row.
            "attendance_labels": dict(Invitation.Attendance.choices),
        },
    )


def series_create(request: HttpRequest) -> HttpResponse:
    """Preview the dates of a series (holidays skipped, overlaps named), then create it."""
    if not permissions.can_schedule(request.user):
        raise PermissionDenied
    form = forms.SeriesForm(
        request.POST or None,
        user=request.user,
        show_override=request.method == "POST",
        initial={"coaches": [request.user.pk], "interval_weeks": 1},
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        try:
            dates, skipped = series.series_dates(
                first_date=form.cleaned_data["date"],
                weekday=form.cleaned_data["weekday"],
                interval_weeks=form.cleaned_data["interval_weeks"],
                until=form.cleaned_data["until"],
                count=form.cleaned_data["count"],
            )
        except series.TooManyDates:
            form.add_error(
                "until",
                _("A series has at most %(max)d sessions; choose an earlier end date.")
                % {"max": series.MAX_OCCURRENCES},
            )
            dates, skipped = [], []
        plan = (
            services.series_plan(template=form.session_data(), dates=dates, skipped=skipped)
            if dates
            else None
        )
        if plan and "create" in request.POST:
            try:
                created = services.series_create(
                    plan=plan,
                    interval_weeks=form.cleaned_data["interval_weeks"],
                    created_by=request.user,
                    override=form.cleaned_data.get("override", False),
                )
            except services.ConflictsFound:
                pass  # shown with the plan below
            else:
                messages.success(
                    request,
                    _("%(count)d sessions are scheduled and the invitations are on their way.")
                    % {"count": created.sessions.count()},
                )
                return redirect("training_sessions:schedule")
    return render(
        request,
        "training_sessions/series_form.html",
        {"form": form, "plan": plan},
        status=409 if plan and plan.conflicts and "create" in request.POST else 200,
    )


@require_POST
def makeup_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_have_sessions(request.user):
        raise PermissionDenied
    session = TrainingSession.objects.filter(pk=pk, status=TrainingSession.Status.PLANNED).first()
    if session is None:
        raise Http404
    try:
        services.makeup_sign_up(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training_sessions:my-sessions")
    messages.success(
        request,
        _("You have a place at “%(session)s”. The invitation is on its way.")
        % {"session": session},
    )
    return redirect("training_sessions:session-detail", pk=session.pk)


def cohort_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance per member and held session, for the cohort's coaches and HR."""
    if not permissions.can_see_schedule(request.user):
        raise PermissionDenied
    cohort = programme_selectors.cohort_get_visible_to(request.user, pk)
    if cohort is None:
        raise Http404
    page = Paginator(selectors.cohort_active_memberships(cohort), ATTENDANCE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training_sessions/cohort_attendance.html",
        {
            "cohort": cohort,
            "page": page,
            **selectors.cohort_attendance(cohort, memberships=page.object_list),
        },
    )
