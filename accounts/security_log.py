"""The security log: sign-ins, failures, lockouts, sign-outs, password changes and refused
requests, each with time (the log line's), user id, IP address and outcome.

Never a password, a session key or anything a person wrote: only ids and outcomes. A failed
sign-in for an unknown address is logged without the address.
"""

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.client_address import client_ip

log = logging.getLogger("kungsor_ledarskap.security")

SIGNED_IN_AT = "_signed_in_at"


def record(event: str, *, request=None, user_id=None, outcome: str, **details) -> None:
    fields = {
        "event": event,
        "user_id": user_id,
        "ip": client_ip(request) or "-",
        "outcome": outcome,
    }
    fields.update(details)
    log.info(
        " ".join(f"{key}={value}" for key, value in fields.items()),
        extra={"security": fields},
    )


def _user_id_for(username: str | None):
    if not username:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=username.strip())
        .values_list("pk", flat=True)
        .first()
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        # The 12-hour limit counts from here (see SessionLimitsMiddleware).
        request.session[SIGNED_IN_AT] = int(time.time())
    record("sign_in", request=request, user_id=user.pk, outcome="success")


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    user_id = _user_id_for(credentials.get("username"))
    record("sign_in", request=request, user_id=user_id, outcome="failure")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    record("sign_out", request=request, user_id=getattr(user, "pk", None), outcome="success")


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record("lockout", request=request, user_id=_user_id_for(username), outcome="locked")
