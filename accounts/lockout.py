"""What django-axes counts failed sign-ins against (settings.AXES_USERNAME_CALLABLE)."""


def username_for_lockout(request, credentials) -> str | None:
    """The address as one identity whatever its letter case: `Chef5@…` and `chef5@…` share
    the same five tries, as they are the same account (accounts.models.User)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if not username:
        return username
    return str(username).strip().lower()
