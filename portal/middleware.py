import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

security_log = logging.getLogger("kungsor_ledarskap.security")


class ChosenLanguageMiddleware:
    """Swedish for everyone, unless the person picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    municipal computers run an English browser; the portal is Swedish first.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class SessionLimitsMiddleware:
    """Signed-in pages: never stored by the browser or a proxy (`no-store`); a session ends
    after SESSION_COOKIE_AGE (30 minutes) without a request, and 12 hours after sign-in
    whatever happens.

    Django's database sessions expire SESSION_COOKIE_AGE after they were last saved. Saving
    on every request (SESSION_SAVE_EVERY_REQUEST) would write the session row on every page;
    here a request marks the session as seen, which saves it, only when the last mark is
    SESSION_REFRESH_SECONDS old or more. A person who is active is still signed out 30 idle
    minutes after their last request, give or take that margin (at most a minute earlier),
    and the row is written at most once a minute.
    """

    KEY = "_signed_in_at"  # set at sign-in by accounts.security_log
    SEEN = "_seen_at"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                security_log.info("event=session_expired user_id=%s outcome=signed_out", user.pk)
                return redirect_to_login(request.get_full_path())
            if now - session.get(self.SEEN, started) >= settings.SESSION_REFRESH_SECONDS:
                session[self.SEEN] = now  # saved, with 30 new minutes, by SessionMiddleware
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SecondStepMiddleware:
    """Coaches, HR and administrators who signed in with a password reach nothing but the
    two-step pages (and signing out) until they have given a code, or set up an app if they
    have none (accounts/mfa.py). After django_otp's OTPMiddleware."""

    OPEN = frozenset(
        {
            "accounts:mfa-verify",
            "accounts:mfa-setup",
            "accounts:mfa-recovery-codes",
            "accounts:logout",
            "set-language",
            "healthz",
            "accessibility",
        }
    )

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from accounts import mfa

        if request.resolver_match.view_name in self.OPEN or not mfa.needs_second_step(request):
            return None
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(mfa.step_url(request, next_url))
