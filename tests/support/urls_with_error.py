"""The portal's URLs plus one view that fails, to see the 500 page as a user would."""

from django.urls import path

from kungsor_ledarskap.urls import *  # noqa: F403
from kungsor_ledarskap.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("secret-internal-detail from the database layer")


urlpatterns = [*portal_urlpatterns, path("trasig/", broken_view)]
