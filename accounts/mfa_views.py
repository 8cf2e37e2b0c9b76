"""Two-step verification pages: the code after the password, setting up the app, recovery
codes, and the person's own overview. accounts/mfa.py holds the rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import mfa, security_log
from accounts.forms import AppSetupForm, SecondStepForm


def _too_many():
    return _(
        "Too many wrong codes in a row. Wait a moment and try again; the wait grows with each "
        "wrong code."
    )


def _wrong_code():
    return _(
        "The code is not right. Check that you typed the code the app shows now, or a "
        "recovery code you have not used before."
    )


def _wrong_setup_code():
    return _(
        "The code is not right. Check that the app shows Ledarskapsportalen and that the "
        "phone's clock is right, then type the code it shows now."
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _to(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _for_required_only(request) -> None:
    if not mfa.required_for(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: a code from the app, or a recovery code."""
    _for_required_only(request)
    if not mfa.needs_second_step(request):
        return redirect(_next_url(request))
    if not mfa.has_app(request.user):
        return redirect(_to("accounts:mfa-setup", request))
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.verify(request, form.cleaned_data["otp_token"])
        except mfa.Throttled:
            device, throttled = None, True
        else:
            throttled = False
        if device is not None:
            kind = "recovery_code" if isinstance(device, StaticDevice) else "app"
            security_log.record(
                "second_step", request=request, user_id=request.user.pk, outcome="success", via=kind
            )
            if kind == "recovery_code":
                left = mfa.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; it cannot be used again. You have %(count)d "
                        "left. Make new ones under Two-step verification if you are running out.",
                        "You used a recovery code; it cannot be used again. You have %(count)d "
                        "left. Make new ones under Two-step verification if you are running out.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        security_log.record(
            "second_step",
            request=request,
            user_id=request.user.pk,
            outcome="throttled" if throttled else "failure",
        )
        form.add_error("otp_token", _too_many() if throttled else _wrong_code())
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then give its code.

    Someone who already has an app must have given a code this session first, so a stolen
    password alone can never swap the app for the thief's."""
    _for_required_only(request)
    if mfa.has_app(request.user) and mfa.needs_second_step(request):
        return redirect(_to("accounts:mfa-verify", request))
    device = mfa.device_being_set_up(request.user)
    form = AppSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.confirm_app(request, device, form.cleaned_data["otp_token"])
        except mfa.Throttled:
            codes, throttled = None, True
        else:
            throttled = False
        if codes is not None:
            security_log.record(
                "second_step_setup", request=request, user_id=request.user.pk, outcome="success"
            )
            request.session[mfa.NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step verification is on."))
            return redirect(_to("accounts:mfa-recovery-codes", request))
        security_log.record(
            "second_step_setup", request=request, user_id=request.user.pk, outcome="failure"
        )
        form.add_error("otp_token", _too_many() if throttled else _wrong_setup_code())
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "secret": mfa.secret_of(device),
            "replacing": mfa.has_app(request.user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET"])
def recovery_codes(request):
    """The recovery codes just made, shown this once; the session forgets them."""
    _for_required_only(request)
    codes = request.session.pop(mfa.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:mfa-overview")
    return render(
        request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@require_POST
def new_recovery_codes(request):
    _for_required_only(request)
    if not mfa.has_app(request.user):
        return redirect("accounts:mfa-setup")
    request.session[mfa.NEW_CODES_SESSION_KEY] = mfa.new_recovery_codes(request.user)
    security_log.record(
        "recovery_codes_renewed", request=request, user_id=request.user.pk, outcome="success"
    )
    return redirect("accounts:mfa-recovery-codes")


@require_http_methods(["GET"])
def overview(request):
    """The person's own two-step verification: the app, and how many recovery codes are left."""
    _for_required_only(request)
    return render(
        request,
        "accounts/mfa_overview.html",
        {
            "app": mfa.app_device(request.user),
            "codes_left": mfa.recovery_codes_left(request.user),
            "via_sso": mfa.signed_in_with_sso(request),
        },
    )
