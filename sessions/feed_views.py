"""The personal calendar subscription: a secret address Outlook can poll without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sessions import calendar, selectors, services
from sessions.models import CalendarFeed


def feed_settings(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_get(user=request.user)
    url = request.build_absolute_uri(reverse("training_sessions:feed", args=[feed.token]))
    return render(
        request,
        "training_sessions/feed_settings.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_regenerate(user=request.user)
    messages.success(request, _("You have a new calendar address. The old one no longer works."))
    return redirect("training_sessions:feed-settings")


@login_not_required
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself. The token is the only key, so an unknown one is simply not found.

    HEAD is answered as GET without the body: calendar clients ask it before subscribing
    and before each poll."""
    found = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    body = calendar.feed_ics(
        selectors.feed_sessions(found.user),
        other_events=calendar.feed_other_events(found.user),
        name=_("Leadership training – %(name)s") % {"name": found.user.full_name},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ledarskap.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
