from django.conf import settings
from django.http import HttpRequest

from accounts import permissions


def navigation(request: HttpRequest) -> dict:
    """What the navigation may show to this user, as booleans."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "contact": settings.MUNICIPALITY_CONTACT,
        "nav": {
            "signed_in": signed_in,
            "manager": signed_in and permissions.is_manager(user),
            "coach": signed_in and permissions.is_coach(user),
            "hr": signed_in and permissions.is_hr(user),
            "admin": signed_in and permissions.is_admin(user),
            "importer": signed_in and permissions.can_import_staff(user),
        },
    }
