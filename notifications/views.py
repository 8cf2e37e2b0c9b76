"""One-click unsubscribe from reminder emails: works without signing in (RFC 8058)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.unsubscribe import user_for_token


@login_not_required
@never_cache
# Mail programs post `List-Unsubscribe=One-Click` with no CSRF token and no session: the
# signed token in the address is the authorisation, and all it can do is stop emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_token(token)
    if user is None:
        raise Http404
    preference = getattr(user, "notification_preference", None)
    stopped = bool(preference and preference.unsubscribed_at)
    done = False
    if request.method == "POST":
        services.preference_unsubscribe(user=user)
        stopped = done = True
    response = render(
        request,
        "notifications/unsubscribe.html",
        {"email": user.email, "stopped": stopped, "done": done},
    )
    # The address holds the token: never pass it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
