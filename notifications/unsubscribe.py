"""One-click unsubscribe (RFC 8058): a signed token in every reminder's link and headers."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

_SALT = "notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    """A short signed token naming the person. It does not expire: links in old emails
    must still work. A new SECRET_KEY (or SECRET_KEY_FALLBACKS running out) voids them."""
    return signing.Signer(salt=_SALT).sign(str(user.pk))


def user_for_token(token: str):
    """The person a token was made for, or None for a forged or unknown token."""
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return get_user_model().objects.filter(pk=int(value)).first()


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}
    )


def unsubscribe_headers(user, *, url: str | None = None) -> dict[str, str]:
    """The headers mail programs use for their own "Unsubscribe" button; `url` is the
    person's unsubscribe_url, when the caller has it already."""
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
