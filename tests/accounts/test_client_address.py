"""The client's address behind the TLS proxy: X-Forwarded-For counts only from TRUSTED_PROXIES,
for sign-in lockouts and the security log alike (tests/deploy/test_client_address_e2e.py does
the same through real gunicorn and nginx)."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.client_address import address_from
from tests.factories import PASSWORD

SECURITY_LOG = "kungsor_ledarskap.security"
PROXY = "127.0.0.1"


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "trusted", "client"),
    [
        # No proxy configured: the header is never read.
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1", [], "127.0.0.1"),
        # Straight to gunicorn from an untrusted address: a forged header is ignored.
        ("203.0.113.9", "198.51.100.1", ["127.0.0.1"], "203.0.113.9"),
        # Through the trusted proxy: the address it set.
        ("127.0.0.1", "198.51.100.1", ["127.0.0.1", "::1"], "198.51.100.1"),
        ("::1", "2001:db8::7", ["127.0.0.1", "::1"], "2001:db8::7"),
        # The proxy appended to what the client sent: only the proxy's own entry counts.
        ("127.0.0.1", "10.0.0.66, 198.51.100.1", ["127.0.0.1"], "198.51.100.1"),
        # Two trusted proxies (a load balancer, then nginx): the first untrusted from the right.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.3", ["10.0.0.0/24"], "198.51.100.1"),
        # An IPv4 client on an IPv6 socket.
        ("::ffff:127.0.0.1", "198.51.100.1", ["127.0.0.1"], "198.51.100.1"),
        # The proxy without a header, or with garbage in it: the proxy itself.
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_address_from_believes_the_header_only_from_a_trusted_proxy(
    remote_addr, forwarded_for, trusted, client
):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert address_from(meta, trusted) == client


def _sign_in(client, email, password, forwarded_for, remote_addr=PROXY):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_one_client_cannot_lock_a_person_out_for_everyone(client, manager, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    for _ in range(5):
        _sign_in(client, manager.email, "fel-lösenord-123", "203.0.113.66")
    assert _sign_in(client, manager.email, PASSWORD, "203.0.113.66").status_code == 429
    # The manager at her own computer, through the same proxy, still gets in.
    assert _sign_in(client, manager.email, PASSWORD, "198.51.100.7").status_code == 302

    lines = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    assert f"event=sign_in user_id={manager.pk} ip=203.0.113.66 outcome=failure" in lines
    assert f"event=lockout user_id={manager.pk} ip=203.0.113.66 outcome=locked" in lines
    assert f"event=sign_in user_id={manager.pk} ip=198.51.100.7 outcome=success" in lines
    assert not [line for line in lines if "ip=127.0.0.1" in line]


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_forged_header_straight_to_the_portal_is_ignored(client, manager, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    # The attacker, not through the proxy, names the victim's address in the header...
    for _ in range(5):
        _sign_in(client, manager.email, "fel-lösenord-123", "198.51.100.7", remote_addr="10.9.9.9")
    # ...and is logged and locked out under their own.
    lines = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    assert f"event=lockout user_id={manager.pk} ip=10.9.9.9 outcome=locked" in lines
    assert not [line for line in lines if "198.51.100.7" in line]
    assert _sign_in(client, manager.email, PASSWORD, "198.51.100.7").status_code == 302
