"""One-click unsubscribe (RFC 8058): a signed token in every reminder's link and headers."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

_SALT = "notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    """A token that names the person; it does not expire, as links in old emails must work."""
    return signing.dumps({"u": user.pk}, salt=_SALT, compress=True)


def user_for_token(token: str):
    """The active person a token was made for, or None for a forged or unknown token."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return get_user_model().objects.filter(pk=data["u"]).first()


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}
    )


def unsubscribe_headers(user) -> dict[str, str]:
    """The headers mail programs use for their own "Unsubscribe" button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
