"""Single sign-on against a real OpenID Connect provider (panva's oidc-provider on loopback):
the portal's own code from the sign-in button to the signed-in start page, the provider's
pages driven over HTTP as a browser would (the Chromium version is in tests/browser)."""

import re
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

from accounts import mfa
from tests.factories import PASSWORD, CoachFactory, ManagerFactory
from tests.support import oidc

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver" + "/konto/sso/klar/"


@pytest.fixture(scope="module")
def provider():
    yield from oidc.oidc_provider_fixture(CALLBACK)


@pytest.fixture
def sso(provider, settings):
    for name, value in provider.mozilla_django_oidc_settings().items():
        setattr(settings, name, value)
    return provider


def _through_the_provider(client, provider, login: str, start: str | None = None):
    """Press the portal's button, sign in at the provider as `login`, come back."""
    answer = client.get(start or reverse("accounts:sso-start"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(provider.authorization_endpoint)
    browser = requests.Session()
    browser.trust_env = False
    page = browser.get(answer["Location"], timeout=10)
    assert page.status_code == 200, page.text[:300]
    response = browser.post(
        page.url,
        data={oidc.LOGIN_FIELD: login, oidc.PASSWORD_FIELD: ""},
        allow_redirects=False,
        timeout=10,
    )
    location = oidc.follow_to(CALLBACK, browser, response)
    return client.get(location.removeprefix("http://testserver"), follow=True)


def _text(response) -> str:
    return response.content.decode()


def test_a_known_person_is_signed_in_and_not_asked_for_a_second_step(client, sso):
    coach = CoachFactory(email="karin.tranare@kungsor.se")

    response = _through_the_provider(client, sso, "Karin.Tranare@Kungsor.se")

    assert response.redirect_chain[-1][0] == reverse("start-coach")
    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == coach.pk
    assert client.session[mfa.SIGNED_IN_WITH] == mfa.SSO
    # The provider's MFA counts: coach pages open without the portal's code.
    assert client.get(reverse("programme:cohort-list")).status_code == 200


def test_the_page_asked_for_before_signing_in_is_where_the_person_lands(client, sso):
    ManagerFactory(email="maja.chef@kungsor.se")
    wanted = reverse("reflections:journal")

    response = _through_the_provider(
        client, sso, "maja.chef@kungsor.se", start=reverse("accounts:sso-start") + "?next=" + wanted
    )

    assert response.redirect_chain[-1][0] == wanted


def test_an_unknown_person_is_refused_in_swedish_and_nothing_is_created(client, sso):
    from accounts.models import User

    before = User.objects.count()

    response = _through_the_provider(client, sso, "okand.person@kungsor.se")

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Ledarskapsportalen har inget konto för den e-postadress" in _text(response)
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before
    assert client.get(reverse("home")).status_code == 302


def test_a_deactivated_person_is_refused(client, sso):
    ManagerFactory(email="slutat@kungsor.se", is_active=False)

    response = _through_the_provider(client, sso, "slutat@kungsor.se")

    assert "Ditt konto i Ledarskapsportalen är inte aktivt" in _text(response)
    assert "_auth_user_id" not in client.session


def test_refused_sign_ins_do_not_lock_anyone_out(client, sso):
    """The lockout counts wrong passwords; refused SSO attempts from one office address must
    not lock the next person out."""
    for _ in range(6):
        _through_the_provider(client, sso, "okand.person@kungsor.se")
    coach = CoachFactory(email="karin.tranare@kungsor.se")

    response = _through_the_provider(client, sso, coach.email)

    assert response.redirect_chain[-1][0] == reverse("start-coach")


def test_cancelling_at_the_provider_is_explained(client, sso):
    answer = client.get(reverse("accounts:sso-start"))
    browser = requests.Session()
    browser.trust_env = False
    page = browser.get(answer["Location"], timeout=10)
    cancel = re.search(r'<a href="([^"]+)" id="cancel"', page.text)[1]
    response = browser.get(urljoin(page.url, cancel), allow_redirects=False, timeout=10)
    location = oidc.follow_to(CALLBACK, browser, response)

    back = client.get(location.removeprefix("http://testserver"), follow=True)

    assert "error=access_denied" in location
    assert "Inloggningen med ditt kommunkonto fungerade inte" in _text(back)
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_offers_the_municipal_account_first(client, sso, settings):
    settings.OIDC_PROVIDER_NAME = "Kungsörs kommunkonto"

    page = _text(client.get(reverse("accounts:login")))

    assert "Logga in med Kungsörs kommunkonto" in page
    assert page.index("Logga in med Kungsörs kommunkonto") < page.index('name="password"')


def test_without_sso_there_is_no_button_and_the_start_goes_to_the_sign_in_page(client):
    page = _text(client.get(reverse("accounts:login")))

    assert reverse("accounts:sso-start") not in page
    assert client.get(reverse("accounts:sso-start"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:sso-callback"))["Location"] == reverse("accounts:login")


def test_passwords_can_be_turned_off(client, sso, settings):
    settings.PASSWORD_SIGN_IN = False
    manager = ManagerFactory()

    page = _text(client.get(reverse("accounts:login")))
    posted = client.post(
        reverse("accounts:login"),
        {"username": manager.email, "password": PASSWORD},
        follow=True,
    )

    assert 'name="password"' not in page
    assert "Logga in med kommunens konto" in page
    assert "Inloggning med lösenord är avstängd" in _text(posted)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:password-reset")).status_code == 404
    assert client.get("/admin/login/")["Location"].startswith(reverse("accounts:login"))
    # Single sign-on still works.
    assert _through_the_provider(client, sso, manager.email).status_code == 200
    assert int(client.session["_auth_user_id"]) == manager.pk


def test_the_admin_sign_in_page_is_the_portals(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"
