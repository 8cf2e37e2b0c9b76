"""Who may open a start page."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require(predicate, request: HttpRequest) -> None:
    """Refuse (403) unless `predicate(request.user)` holds."""
    if not predicate(request.user):
        raise PermissionDenied
