from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
