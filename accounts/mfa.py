"""Two-step sign-in (tvåstegsverifiering) for the accounts that can see other people's data.

Coaches, HR, staff and administrators who sign in with a password must also give a code
from an authenticator app (TOTP, django-otp) before they reach any page; a first sign-in
without an app set up leads to setting one up. Ten single-use recovery codes stand in for a
lost phone. People who signed in through the municipality's identity provider (SSO) have
already passed its multi-factor checks and are not asked again.

Managers are not asked: their own journal is all they can reach.
"""

import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.permissions import is_coach, is_hr

# How the person signed in this session: "sso" (the identity provider's MFA counts) or absent.
SIGNED_IN_WITH = "_signed_in_with"
SSO = "sso"
RECOVERY_CODE_COUNT = 10
# The codes just made, shown once on the next page and then forgotten.
NEW_CODES_SESSION_KEY = "_mfa_new_recovery_codes"
APP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Återställningskoder"


def required_for(user) -> bool:
    """Whether this person's password sign-in needs a second step."""
    if not getattr(settings, "MFA_REQUIRED", True) or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or is_coach(user) or is_hr(user))


def signed_in_with_sso(request) -> bool:
    return request.session.get(SIGNED_IN_WITH) == SSO


def needs_second_step(request) -> bool:
    """A signed-in person who must still give a code before reaching any page."""
    user = request.user
    if not required_for(user) or signed_in_with_sso(request):
        return False
    # OTPMiddleware gives request.user is_verified(); a user just signed in has none yet.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


def step_url(request, next_url: str) -> str:
    """Where a person who still owes the second step goes: the code, or setting up an app."""
    from django.urls import reverse
    from django.utils.http import urlencode

    step = "accounts:mfa-verify" if has_app(request.user) else "accounts:mfa-setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def device_being_set_up(user) -> TOTPDevice:
    """The unconfirmed app device the setup page shows, made on first visit: reloading the
    page keeps the same secret, so a code from an app already scanned still works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Secret:
    qr_svg: str
    grouped: str  # the key in base32, in groups of four, for typing into an app by hand


def secret_of(device: TOTPDevice) -> Secret:
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=False)
    return Secret(qr_svg=svg, grouped=" ".join(key[i : i + 4] for i in range(0, len(key), 4)))


def clean_code(code: str) -> str:
    """What a person typed, as the devices compare it: no spaces or dashes, lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


class Throttled(Exception):
    """Too many wrong codes in a row: the devices wait (longer each time) before the next."""


def confirm_app(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app that produced `code`, replacing any earlier app, and sign the session
    in with it. Returns new recovery codes, or None if the code is wrong; raises Throttled
    while wrong codes just before make the device wait."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_is_allowed()[0]:
            raise Throttled
        if not device.verify_token(clean_code(code)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes; the earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, code: str):
    """Check a code from the app or a recovery code (used up by this) for the signed-in
    person; on success the session counts as verified. Returns the device, or None; raises
    Throttled, without checking the code, while the wrong codes before it make them wait."""
    code = clean_code(code)
    if not code:
        return None
    # Six digits are an app code; anything else can only be a recovery code. Trying only the
    # matching kind keeps a typo in one from counting against the other's throttle.
    model = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=request.user, confirmed=True))
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            raise Throttled
        for device in devices:
            if device.verify_token(code):
                otp_login(request, device)
                return device
    return None


def reset(*, user) -> bool:
    """Remove the person's authenticator app and recovery codes (a lost phone): at their next
    password sign-in they set up an app again and get new codes. Whether they had any."""
    with transaction.atomic():
        apps, _ = TOTPDevice.objects.filter(user=user).delete()
        codes, _ = StaticDevice.objects.filter(user=user).delete()
    return bool(apps or codes)
