"""Signing out after a single sign-on also ends the session at the identity provider
(OpenID Connect RP-initiated logout), against the tests' real provider on loopback."""

import html
import json
import os
import re
import subprocess
import sys
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from tests.factories import PASSWORD, CoachFactory, ManagerFactory
from tests.support import oidc

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
CALLBACK = SITE + "/konto/sso/klar/"
SIGNED_OUT = SITE + "/konto/logga-in/"


@pytest.fixture(scope="module")
def provider():
    yield from oidc.oidc_provider_fixture(CALLBACK, post_logout_redirect_uris=[SIGNED_OUT])


@pytest.fixture
def sso(provider, settings):
    for name, value in provider.mozilla_django_oidc_settings().items():
        setattr(settings, name, value)
    settings.OIDC_OP_LOGOUT_ENDPOINT = provider.end_session_endpoint
    settings.OIDC_STORE_ID_TOKEN = True
    settings.SITE_URL = SITE
    return provider


def _browser() -> requests.Session:
    browser = requests.Session()
    browser.trust_env = False
    return browser


def _sign_in(client, browser, provider, login: str) -> None:
    """The portal's button, the provider's sign-in page as `login`, back to the portal."""
    answer = client.get(reverse("accounts:sso-start"))
    page = browser.get(answer["Location"], timeout=10)
    if f'name="{oidc.LOGIN_FIELD}"' in page.text:
        response = browser.post(
            page.url,
            data={oidc.LOGIN_FIELD: login, oidc.PASSWORD_FIELD: ""},
            allow_redirects=False,
            timeout=10,
        )
    else:
        response = page.history[0] if page.history else page
    location = oidc.follow_to(CALLBACK, browser, response)
    client.get(location.removeprefix(SITE))


def _provider_asks_for_sign_in(client, browser) -> bool:
    """Whether the provider shows its sign-in form to this browser (no session there)."""
    answer = client.get(reverse("accounts:sso-start"))
    page = browser.get(answer["Location"], allow_redirects=False, timeout=10)
    for _ in range(5):
        if page.status_code not in (302, 303):
            break
        location = urljoin(page.url, page.headers["Location"])
        if location.startswith(CALLBACK):
            return False  # straight back to the portal, signed in
        page = browser.get(location, allow_redirects=False, timeout=10)
    return f'name="{oidc.LOGIN_FIELD}"' in page.text


def test_signing_out_goes_on_to_the_provider_and_ends_its_session(client, sso):
    CoachFactory(email="karin.tranare@kungsor.se")
    browser = _browser()
    _sign_in(client, browser, sso, "karin.tranare@kungsor.se")
    assert client.get(reverse("home")).status_code == 302  # signed in: sent to a start page
    # Before signing out, the provider would sign this browser straight back in.
    assert not _provider_asks_for_sign_in(client, browser)

    signed_out = client.post(reverse("accounts:logout"))

    assert signed_out.status_code == 302
    target = urlsplit(signed_out["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == sso.end_session_endpoint
    query = parse_qs(target.query)
    assert query["client_id"] == [sso.client_id]
    assert query["post_logout_redirect_uri"] == [SIGNED_OUT]
    assert query["id_token_hint"][0].count(".") == 2  # the ID token (a JWT) of the sign-in
    # Signed out of the portal already.
    assert client.get(reverse("start-coach"))["Location"].startswith("/konto/logga-in/")

    # The provider asks to confirm, then sends the browser back to the sign-in page.
    page = browser.get(signed_out["Location"], timeout=10)
    assert f">{oidc.SIGN_OUT_BUTTON}</button>" in page.text
    action = html.unescape(
        re.search(r'<form id="op.logoutForm"[^>]* action="([^"]+)"', page.text)[1]
    )
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)[1]
    confirmed = browser.post(
        urljoin(page.url, action),
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert confirmed.headers["Location"].startswith(SIGNED_OUT)

    # The next person at this computer is asked to sign in at the provider.
    assert _provider_asks_for_sign_in(client, browser)


def test_with_a_logout_endpoint_the_sign_out_form_may_go_on_to_the_provider():
    """Browsers follow a form's redirect only to origins its page's CSP names in form-action:
    the settings add the provider's, read as production reads them (from the environment)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))"
    )
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="kungsor_ledarskap.settings",
        OIDC_OP_LOGOUT_ENDPOINT="https://login.example.org/tenant/oauth2/v2.0/logout",
    )
    with_endpoint = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, check=True
    )
    del environment["OIDC_OP_LOGOUT_ENDPOINT"]
    without = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, check=True
    )

    assert json.loads(with_endpoint.stdout) == ["'self'", "https://login.example.org"]
    assert json.loads(without.stdout) == ["'self'"]


def test_after_a_password_sign_in_signing_out_stays_in_the_portal(client, sso):
    client.force_login(ManagerFactory(email="anna@kungsor.se", password=PASSWORD))

    signed_out = client.post(reverse("accounts:logout"))

    assert signed_out["Location"] == reverse("accounts:login")


def test_without_a_logout_endpoint_signing_out_stays_in_the_portal(client, sso, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    CoachFactory(email="karin.tranare@kungsor.se")
    _sign_in(client, _browser(), sso, "karin.tranare@kungsor.se")

    signed_out = client.post(reverse("accounts:logout"))

    assert signed_out["Location"] == reverse("accounts:login")
    assert client.get(reverse("start-coach"))["Location"].startswith("/konto/logga-in/")
