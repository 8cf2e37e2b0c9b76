import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
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
    """Signed-in pages: never stored by the browser or a proxy (`no-store`), and a session
    ends 12 hours after sign-in whatever happens (the 30-minute idle limit is the cookie's)."""

    KEY = "_signed_in_at"  # set at sign-in by accounts.security_log

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                security_log.info("event=session_expired user_id=%s outcome=signed_out", user.pk)
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
