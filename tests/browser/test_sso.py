"""Single sign-on in Chromium against a real OpenID Connect provider on loopback."""

import copy
import re

import pytest
from playwright.sync_api import expect

from tests.factories import CoachFactory
from tests.support import oidc

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def provider(live_server, settings):
    for op in oidc.oidc_provider_fixture(live_server.url + "/konto/sso/klar/"):
        for name, value in op.mozilla_django_oidc_settings().items():
            setattr(settings, name, value)
        yield op


def _sign_in_at_the_provider(page, email: str) -> None:
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    # The provider's own page (the test provider's is in English).
    page.get_by_label(oidc.LOGIN_LABEL).fill(email)
    page.get_by_role("button", name=oidc.SIGN_IN_BUTTON).click()


def test_a_coach_signs_in_with_the_municipal_account(
    page, live_server, provider, assert_accessible, request_log
):
    CoachFactory(email="karin.tranare@kungsor.se", full_name="Karin Tränare")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Logga in med kommunens konto")).to_be_visible()
    assert_accessible(page)

    _sign_in_at_the_provider(page, "karin.tranare@kungsor.se")

    # Straight to the coach's start page: the provider's MFA stands in for the portal's.
    expect(page).to_have_url(live_server.url + "/start/ledartranare/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen, Karin")
    assert_accessible(page)
    # The only other host the browser visited is the identity provider.
    assert {url.split("/")[2] for url in request_log.foreign()} <= {provider.issuer.split("/")[2]}


def test_an_unknown_person_is_told_why_in_swedish(page, live_server, provider, assert_accessible):
    page.goto(live_server.url + "/konto/logga-in/")

    _sign_in_at_the_provider(page, "okand.person@kungsor.se")

    expect(page).to_have_url(live_server.url + "/konto/logga-in/")
    expect(page.get_by_role("status")).to_contain_text(
        "Ledarskapsportalen har inget konto för den e-postadress som ditt kommunkonto uppgav"
    )
    assert_accessible(page)
    page.goto(live_server.url + "/start/ledartranare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


@pytest.fixture
def provider_with_sign_out(live_server, settings):
    """The provider, with the portal's sign-in page registered for coming back after signing
    out there, and the portal set to sign out at the provider too (OIDC_OP_LOGOUT_ENDPOINT)."""
    signed_out = live_server.url + "/konto/logga-in/"
    for op in oidc.oidc_provider_fixture(
        live_server.url + "/konto/sso/klar/", post_logout_redirect_uris=[signed_out]
    ):
        for name, value in op.mozilla_django_oidc_settings().items():
            setattr(settings, name, value)
        settings.OIDC_OP_LOGOUT_ENDPOINT = op.end_session_endpoint
        settings.OIDC_STORE_ID_TOKEN = True
        settings.SITE_URL = live_server.url
        # As the settings make it from OIDC_OP_LOGOUT_ENDPOINT (tests/accounts/test_sso_sign_out).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], op.issuer]
        settings.CONTENT_SECURITY_POLICY = policy
        yield op


def test_signing_out_ends_the_session_at_the_provider_too(
    page, live_server, provider_with_sign_out, assert_accessible
):
    CoachFactory(email="karin.tranare@kungsor.se", full_name="Karin Tränare")
    page.goto(live_server.url + "/")
    _sign_in_at_the_provider(page, "karin.tranare@kungsor.se")
    expect(page).to_have_url(live_server.url + "/start/ledartranare/")

    page.get_by_role("banner").get_by_role("button", name=re.compile("^Logga ut")).click()

    # The provider's own page asks to confirm, then sends the browser back to the portal.
    page.get_by_role("button", name=oidc.SIGN_OUT_BUTTON).click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/konto/logga-in/")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(page)

    # Whoever uses this browser next must sign in at the provider again.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.get_by_label(oidc.LOGIN_LABEL)).to_be_visible()
