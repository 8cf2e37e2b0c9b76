"""Sign-in protection, headers, cookies, session limits, CSRF and the security log."""

import logging
import os
from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, ManagerFactory

pytestmark = pytest.mark.django_db

SECURITY_LOG = "kungsor_ledarskap.security"


def sign_in(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_wrong_passwords_lock_that_address_and_ip_for_15_minutes(client, manager, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert sign_in(client, manager.email, "fel-lösenord-123").status_code == 200
        assert sign_in(client, manager.email, "fel-lösenord-123").status_code == 429  # fifth
        locked = sign_in(client, manager.email)  # the right password, too late
        assert locked.status_code == 429
        assert "För många misslyckade inloggningar" in locked.content.decode()
        assert "_auth_user_id" not in client.session
        # Another computer is not locked out.
        assert sign_in(client, manager.email, ip="10.0.0.2").status_code == 302
        client.post(reverse("accounts:logout"))
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign_in(client, manager.email).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert sign_in(client, manager.email).status_code == 302  # lifted by itself
    lockouts = [r for r in caplog.records if "event=lockout" in r.getMessage()]
    assert lockouts
    assert f"user_id={manager.pk} ip=10.0.0.1 outcome=locked" in lockouts[0].getMessage()


def test_five_wrong_passwords_in_mixed_letter_case_lock_every_spelling(client):
    # Pen test #17: each spelling of the address used to get its own five tries.
    person = ManagerFactory(email="chef5@kungsor.test")
    for spelling in ["chef5@kungsor.test", "Chef5@kungsor.test", "CHEF5@KUNGSOR.TEST"] * 2:
        if sign_in(client, spelling, "fel-lösenord-123").status_code == 429:
            break
    for spelling in ["chef5@kungsor.test", "Chef5@Kungsor.test", "CHEF5@KUNGSOR.TEST"]:
        locked = sign_in(client, spelling)  # the right password, in any case
        assert locked.status_code == 429, spelling
        assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The count was one: the fifth failure locked, not the fifteenth.
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert AccessAttempt.objects.get().username == person.email


def test_the_right_password_signs_in_with_the_address_in_any_letter_case(client, manager):
    response = sign_in(client, manager.email.upper())

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == manager.pk


def _production_hashers() -> list[str]:
    """PASSWORD_HASHERS as settings.py has them (the tests put a fast hasher first)."""
    return import_module(os.environ["DJANGO_SETTINGS_MODULE"]).PASSWORD_HASHERS


def test_production_hashes_passwords_with_argon2():
    assert _production_hashers()[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_sign_in_with_the_production_hashers_checks_an_argon2_hash(client, manager, settings):
    settings.PASSWORD_HASHERS = _production_hashers()
    manager.set_password("Ett-långt-nytt-lösenord-9")
    manager.save()
    assert manager.password.startswith("argon2$")

    assert sign_in(client, manager.email, "Ett-långt-nytt-lösenord-9").status_code == 302
    assert int(client.session["_auth_user_id"]) == manager.pk
    assert sign_in(Client(), manager.email, "Fel-långt-lösenord-9").status_code == 200


def test_an_older_hash_becomes_argon2_at_sign_in(client, manager, settings):
    settings.PASSWORD_HASHERS = _production_hashers()
    manager.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    manager.save()

    assert sign_in(client, manager.email).status_code == 302
    manager.refresh_from_db()
    assert manager.password.startswith("argon2$")


def test_short_and_common_passwords_are_refused(client, manager):
    client.force_login(manager)
    for password, message in (
        ("Kort-9-ab", "Det här lösenordet är för kort. Det måste innehålla minst 12 tecken."),
        ("password1234", "Detta lösenord är alldeles för vanligt."),
    ):
        response = client.post(
            reverse("accounts:password-change"),
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
        )
        assert message in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_security_headers_on_every_response(client, manager):
    client.force_login(manager)
    response = client.get(reverse("start-manager"), secure=True)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_pages_for_signed_out_visitors_carry_the_policy_too(client):
    response = client.get(reverse("accounts:login"), secure=True)
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_cookies_are_secure_host_only_http_only_and_same_site(client, manager):
    page = client.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    response = client.post(
        reverse("accounts:login"),
        {
            "username": manager.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
    )
    session = response.cookies["__Host-sessionid"]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"


def test_a_session_ends_after_30_idle_minutes_and_requests_keep_it_alive(client, manager):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, manager.email)
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get(reverse("start-manager")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("start-manager")).status_code == 200  # 25 idle minutes
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        response = client.get(reverse("start-manager"))
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_ends_12_hours_after_sign_in_even_when_busy(client, manager):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, manager.email)
    minutes = 0
    while minutes < 12 * 60:
        minutes += 20
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            response = client.get(reverse("start-manager"))
        if minutes <= 12 * 60:
            assert response.status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=10), tick=False):
        response = client.get(reverse("start-manager"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_deactivating_a_person_ends_their_session(client, manager):
    sign_in(client, manager.email)
    assert client.get(reverse("start-manager")).status_code == 200
    manager.is_active = False
    manager.save()
    response = client.get(reverse("start-manager"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_post_without_csrf_token_is_refused(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(reverse("reminders:pause-add"), {"starts_on": "", "ends_on": ""})
    assert response.status_code == 403


def test_sign_ins_failures_password_changes_and_refusals_are_logged(client, manager, coach, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    sign_in(client, manager.email, "fel-lösenord-123")
    sign_in(client, "okand@kungsor.test", "fel-lösenord-123")
    sign_in(client, manager.email)
    new_password = "Ett-helt-nytt-lösenord-7"
    client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR="10.0.0.1",
    )
    client.get(reverse("start-coach"), REMOTE_ADDR="10.0.0.1")  # a manager on a coach page
    session_key = client.session.session_key
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.0.1")

    lines = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    assert lines == [
        f"event=sign_in user_id={manager.pk} ip=10.0.0.1 outcome=failure",
        "event=sign_in user_id=None ip=10.0.0.1 outcome=failure",
        f"event=sign_in user_id={manager.pk} ip=10.0.0.1 outcome=success",
        f"event=password_change user_id={manager.pk} ip=10.0.0.1 outcome=success",
        f"event=authorization user_id={manager.pk} ip=10.0.0.1 outcome=refused "
        "path=/start/ledartranare/",
        f"event=sign_out user_id={manager.pk} ip=10.0.0.1 outcome=success",
    ]
    everything = caplog.text
    for secret in (PASSWORD, new_password, "fel-lösenord-123", session_key):
        assert secret not in everything


def test_deactivation_is_dated_and_reactivation_clears_it(manager):
    # Gallring erases people a set time after this date; nothing else may move it.
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    manager.refresh_from_db()
    first = manager.deactivated_at
    assert first is not None

    manager.title = "Ny titel"
    manager.save()
    manager.refresh_from_db()
    assert manager.deactivated_at == first

    manager.is_active = True
    manager.save(update_fields=["is_active"])
    manager.refresh_from_db()
    assert manager.deactivated_at is None
