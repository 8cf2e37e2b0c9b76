"""Two-step verification: coaches, HR and administrators who sign in with a password give a
code from an authenticator app (or a single-use recovery code) before any page."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from tests.factories import PASSWORD
from tests.support.mfa import code_for, confirmed_app

pytestmark = pytest.mark.django_db

NEEDS_STEP = ["coach", "hr_user", "admin_user"]
START = {"coach": "start-coach", "hr_user": "start-hr", "admin_user": "start-admin"}


def _password(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def _a_few_seconds_later(user):
    """A person takes longer to type the next code than the wait after one wrong code."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.throttle_reset()


def _code(client, code: str, follow=True):
    return client.post(reverse("accounts:mfa-verify"), {"otp_token": code}, follow=follow)


@pytest.mark.parametrize("actor", NEEDS_STEP)
def test_without_an_app_the_password_leads_only_to_setting_one_up(client, request, actor):
    user = request.getfixturevalue(actor)

    response = _password(client, user)

    setup = reverse("accounts:mfa-setup")
    assert response["Location"].startswith(setup)
    # Every page of the role, and the admin, leads back to setting up the app.
    for url in (reverse(START[actor]), reverse("programme:cohort-list"), "/admin/"):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(setup + "?next="), url
    page = client.get(setup).content.decode()
    assert "Aktivera tvåstegsverifiering" in page
    assert "<svg" in page  # the QR code
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_setting_up_the_app_needs_its_right_code_and_then_shows_recovery_codes(client, coach):
    _password(client, coach)
    page = client.get(reverse("accounts:mfa-setup")).content.decode()
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    assert key.replace(" ", "") in device.config_url  # the key typed by hand is the QR code's

    wrong = client.post(reverse("accounts:mfa-setup"), {"otp_token": "000000"})
    assert wrong.status_code == 200
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get(reverse("start-coach")).status_code == 302
    _a_few_seconds_later(coach)

    done = client.post(
        reverse("accounts:mfa-setup") + "?next=/start/ledartranare/",
        {"otp_token": code_for(device), "next": "/start/ledartranare/"},
        follow=True,
    )

    text = done.content.decode()
    assert "Tvåstegsverifiering är på." in text
    shown = re.findall(r'<li class="col">([a-z2-7]{8})</li>', text)
    assert len(shown) == 10
    assert sorted(shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert client.get(reverse("start-coach")).status_code == 200
    # Shown once: the page does not show them again.
    again = client.get(reverse("accounts:mfa-recovery-codes"), follow=True).content.decode()
    assert not any(code in again for code in shown)
    assert "Återställningskoder kvar" in again


@pytest.mark.parametrize("actor", NEEDS_STEP)
def test_with_an_app_the_password_asks_for_its_code(client, request, actor):
    user = request.getfixturevalue(actor)
    device = confirmed_app(user)

    response = _password(client, user)

    assert response["Location"].startswith(reverse("accounts:mfa-verify"))
    assert client.get(reverse(START[actor])).status_code == 302
    wrong = _code(client, "123456")
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get(reverse(START[actor])).status_code == 302
    _a_few_seconds_later(user)

    right = client.post(
        reverse("accounts:mfa-verify"),
        {"otp_token": code_for(device), "next": reverse(START[actor])},
    )

    assert right["Location"] == reverse(START[actor])
    assert client.get(reverse(START[actor])).status_code == 200


def test_an_app_code_works_once(client, coach):
    device = confirmed_app(coach)
    code = code_for(device)
    _password(client, coach)
    assert _code(client, code).redirect_chain
    client.logout()

    _password(client, coach)
    again = _code(client, code)

    assert "Koden stämmer inte" in again.content.decode()
    assert client.get(reverse("start-coach")).status_code == 302


def test_recovery_codes_work_once_each(client, coach):
    confirmed_app(coach)
    first, second, *_ = mfa.new_recovery_codes(coach)

    _password(client, coach)
    used = _code(client, first.upper()[:4] + "-" + first[4:])  # as printed or typed, any case
    assert client.get(reverse("start-coach")).status_code == 200
    assert "Du har 9 kvar" in used.content.decode()
    client.logout()

    _password(client, coach)
    refused = _code(client, first)
    assert "Koden stämmer inte" in refused.content.decode()
    assert client.get(reverse("start-coach")).status_code == 302
    _a_few_seconds_later(coach)

    _code(client, second)
    assert client.get(reverse("start-coach")).status_code == 200
    assert mfa.recovery_codes_left(coach) == 8


def test_new_recovery_codes_replace_the_old(client, coach):
    old = mfa.new_recovery_codes(coach)
    client.force_login(coach)

    page = client.post(reverse("accounts:mfa-new-recovery-codes"), follow=True).content.decode()

    new = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_too_many_wrong_codes_make_the_person_wait(client, coach):
    device = confirmed_app(coach)
    _password(client, coach)
    first = _code(client, "000000")
    at_once = _code(client, "000001")

    assert "Koden stämmer inte" in first.content.decode()
    assert "För många felaktiga koder i rad" in at_once.content.decode()
    # While throttled even the right code is refused.
    _code(client, code_for(device))
    assert client.get(reverse("start-coach")).status_code == 302


def test_a_stolen_password_cannot_swap_the_app(client, coach):
    original = confirmed_app(coach)
    _password(client, coach)

    response = client.get(reverse("accounts:mfa-setup"))
    posted = client.post(reverse("accounts:mfa-setup"), {"otp_token": "123456"})

    assert response["Location"].startswith(reverse("accounts:mfa-verify"))
    assert posted["Location"].startswith(reverse("accounts:mfa-verify"))
    assert list(TOTPDevice.objects.filter(user=coach)) == [original]


def test_a_verified_person_can_change_to_a_new_phone(client, coach):
    old = confirmed_app(coach)
    client.force_login(coach)
    client.get(reverse("accounts:mfa-setup"))
    new = TOTPDevice.objects.get(user=coach, confirmed=False)

    client.post(reverse("accounts:mfa-setup"), {"otp_token": code_for(new)})

    assert list(TOTPDevice.objects.filter(user=coach)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_managers_are_not_asked_and_cannot_open_the_pages(client, manager):
    response = _password(client, manager)

    assert response["Location"] == reverse("home")
    assert client.get(reverse("start-manager")).status_code == 200
    for name in ("accounts:mfa-verify", "accounts:mfa-setup", "accounts:mfa-overview"):
        assert client.get(reverse(name)).status_code == 403, name


@override_settings(MFA_REQUIRED=False)
def test_can_be_turned_off(client, coach):
    _password(client, coach)

    assert client.get(reverse("start-coach")).status_code == 200


@pytest.mark.without_second_step
def test_a_session_without_the_second_step_is_sent_to_give_it(client, coach):
    confirmed_app(coach)
    client.force_login(coach)

    response = client.get(reverse("start-coach"))

    assert response["Location"] == (
        reverse("accounts:mfa-verify") + "?next=" + "%2Fstart%2Fledartranare%2F"
    )


def test_signing_out_and_the_language_switch_stay_open_before_the_code(client, coach):
    confirmed_app(coach)
    _password(client, coach)

    assert client.post(reverse("set-language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("start-coach"))["Location"].startswith(reverse("accounts:login"))


def test_the_overview_counts_what_is_left(client, coach):
    mfa.new_recovery_codes(coach)
    client.force_login(coach)

    page = client.get(reverse("accounts:mfa-overview")).content.decode()

    assert "Återställningskoder kvar" in page
    assert ">10<" in page
