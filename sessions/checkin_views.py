"""Self check-in: a code or a QR code shown by the coach during the session."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions import forms, services
from sessions.views import _editable_session


def _done(request: HttpRequest, session) -> HttpResponse:
    messages.success(
        request, _("You are checked in to “%(session)s”. Welcome!") % {"session": session}
    )
    return redirect("training_sessions:session-detail", pk=session.pk)


def checkin_by_code(request: HttpRequest) -> HttpResponse:
    """The manager types the code."""
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_check_in(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _done(request, session)
    return render(
        request,
        "training_sessions/checkin.html",
        {"form": form, "session": None},
        status=400 if form.errors else 200,
    )


def checkin_by_link(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The address in the QR code: a confirmation page, and the check-in on POST."""
    form = forms.CheckInForm(request.POST or None, initial={"code": code})
    if request.method == "POST":
        try:
            session = services.session_check_in(user=request.user, code=code, session_id=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return _done(request, session)
    return render(
        request,
        "training_sessions/checkin.html",
        {"form": form, "link_code": code, "link_pk": pk},
    )


def checkin_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code for the session's check-in address (coaches only)."""
    session = _editable_session(request, pk)
    url = request.build_absolute_uri(
        reverse("training_sessions:checkin-link", args=[session.pk, session.checkin_code])
    )
    # A file of its own, not svg_inline(): an image needs the SVG namespace (and a white
    # background, so that it scans on a dark screen too).
    response = HttpResponse(content_type="image/svg+xml; charset=utf-8")
    segno.make(url, error="m").save(
        response, kind="svg", scale=8, light="#fff", title=_("QR code for check-in")
    )
    response["Cache-Control"] = "private, no-store"
    return response
