"""Single sign-on with the municipality's identity provider (OpenID Connect, e.g. Microsoft
Entra ID), through mozilla-django-oidc.

Nobody is created here: a person signs in only if HR's staff import already made an active
account with the email address the provider vouches for. Anyone else is refused with a
Swedish explanation on the sign-in page. The provider's own multi-factor checks stand in
for the portal's two-step verification (accounts/mfa.py).

On when OIDC_RP_CLIENT_ID is set; see the README's sign-in section for the variables.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import mfa, security_log

log = logging.getLogger(__name__)

BACKEND = "accounts.sso.MunicipalSignInBackend"

# Why the provider's answer did not sign anyone in, for the message on the sign-in page.
UNKNOWN, INACTIVE, UNVERIFIED, NO_EMAIL = "unknown", "inactive", "unverified", "no_email"


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def password_sign_in_enabled() -> bool:
    return getattr(settings, "PASSWORD_SIGN_IN", True) or not enabled()


def not_a_password_attempt(request, credentials) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): the lockout counts wrong passwords only.
    A refused single sign-on carries no username, and counting those by IP address would
    lock a whole office behind one address out of signing in."""
    return not (credentials or {}).get("username")


class MunicipalSignInBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified email address to an account HR imported."""

    def __init__(self, *args, **kwargs):
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.enabled or "nonce" not in kwargs:
            return None  # a password sign-in, or SSO turned off
        return super().authenticate(request, **kwargs)

    def _refuse(self, reason: str) -> None:
        if self.request is not None:
            self.request.sso_refusal = reason

    def verify_claims(self, claims) -> bool:
        email = claims.get(settings.OIDC_EMAIL_CLAIM)
        if not email or "@" not in str(email):
            self._refuse(NO_EMAIL)
            return False
        if claims.get("email_verified") is False:
            self._refuse(UNVERIFIED)
            return False
        return True

    def filter_users_by_claims(self, claims):
        email = str(claims.get(settings.OIDC_EMAIL_CLAIM, "")).strip()
        users = self.UserModel.objects.filter(email__iexact=email)
        found = list(users)
        if not found:
            self._refuse(UNKNOWN)
        elif not any(user.is_active for user in found):
            self._refuse(INACTIVE)
        return users.filter(is_active=True)

    def create_user(self, claims):
        raise AssertionError("OIDC_CREATE_USER is off: accounts come from HR's staff import")

    def update_user(self, user, claims):
        # HR's staff import is the source of names and departments, not the provider.
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


REFUSALS = {
    UNKNOWN: lambda: _(
        "Ledarskapsportalen has no account for the address your municipal account gave. "
        "Accounts are made from HR's staff list: contact HR if you should take part in the "
        "leadership programme."
    ),
    INACTIVE: lambda: _(
        "Your account in Ledarskapsportalen is not active. Contact HR if you think it should be."
    ),
    UNVERIFIED: lambda: _(
        "Your municipal account has no confirmed email address, so Ledarskapsportalen cannot "
        "tell who you are. Contact the IT support."
    ),
    NO_EMAIL: lambda: _(
        "Your municipal account gave no email address, so Ledarskapsportalen cannot tell who "
        "you are. Contact the IT support."
    ),
}


def provider_sign_out_url(request) -> str | None:
    """Where the browser goes after signing out of the portal, to end the session at the
    identity provider too (OpenID Connect RP-initiated logout), or None: single sign-on or
    OIDC_OP_LOGOUT_ENDPOINT is off, or this session began with a password. Read before the
    portal's session is flushed: the ID token for `id_token_hint` is kept in it."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if not (enabled() and endpoint and request.session.get(mfa.SIGNED_IN_WITH) == mfa.SSO):
        return None
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": settings.SITE_URL + reverse(settings.LOGIN_URL),
    }
    if id_token := request.session.get("oidc_id_token"):
        query["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


@login_not_required
def start(request):
    """The button on the sign-in page: off to the identity provider."""
    if not enabled():
        return redirect("accounts:login")
    return OIDCAuthenticationRequestView.as_view()(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code, or with an error."""

    @property
    def failure_url(self):
        return settings.LOGIN_URL

    def login_success(self):
        response = super().login_success()
        # The provider's MFA counts: no second step in the portal for this session.
        self.request.session[mfa.SIGNED_IN_WITH] = mfa.SSO
        return response

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", None)
        security_log.record(
            "sign_in", request=self.request, outcome="failure", via="sso", reason=reason or "error"
        )
        text = REFUSALS[reason]() if reason in REFUSALS else None
        if text is None:
            text = _(
                "Signing in with your municipal account did not work. Try again; if it keeps "
                "failing, contact the IT support."
            )
        messages.error(self.request, text)
        return redirect(settings.LOGIN_URL)


@login_not_required
def callback(request):
    if not enabled():
        return redirect("accounts:login")
    return CallbackView.as_view()(request)
