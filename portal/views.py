"""Where each person lands, the accessibility statement and the error pages. The start page
of each role is in `portal.start`."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from accounts import permissions, security_log


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the start page of their role."""
    user = request.user
    if permissions.is_admin(user):
        return redirect("start-admin")
    if permissions.is_coach(user):
        return redirect("start-coach")
    if permissions.is_hr(user):
        return redirect("start-hr")
    if permissions.is_manager(user):
        return redirect("start-manager")
    return render(request, "start/no_role.html")


@login_not_required
def admin_sign_in(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin's sign-in page: the portal's own, coming back to the admin afterwards."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


# Error handlers. They render without the request's context processors failing on a
# broken database: the 500 page only needs the static template.
@requires_csrf_token
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    security_log.record(
        "authorization",
        request=request,
        user_id=getattr(user, "pk", None),
        outcome="refused",
        path=request.path,
    )
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def error_500(request: HttpRequest) -> HttpResponse:
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({}), status=500)


@requires_csrf_token
def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def bench_floor(request: HttpRequest, size: int) -> HttpResponse:
    """The benchmark's floor (only with BENCH_FLOOR): `size` bytes of HTML and nothing else,
    through the same middleware as every page, the signed-in person's session included."""
    return HttpResponse(b"<!DOCTYPE html>" + b"x" * max(size - 15, 0), content_type="text/html")
