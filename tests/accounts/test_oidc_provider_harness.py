"""The test OpenID Connect provider harness (tests/support/oidc.py), without Django's SSO code.

A full authorization-code flow with PKCE and nonce, as a relying party does it, over plain
HTTP with `requests`: no browser, no database.
"""

import html
import re
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests

from tests.support import oidc

REDIRECT_URI = "http://127.0.0.1:9/oidc/callback/"  # nothing listens: only its Location is read
POST_LOGOUT_REDIRECT_URI = "http://127.0.0.1:9/"
LOGIN = "anna.andersson@kungsor.se"


@pytest.fixture(scope="module")
def provider():
    yield from oidc.oidc_provider_fixture(
        REDIRECT_URI, post_logout_redirect_uris=[POST_LOGOUT_REDIRECT_URI]
    )


@dataclass
class Authorization:
    code: str
    state: str
    nonce: str
    code_verifier: str
    callback: dict[str, str]
    sign_in_page: str


def browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only, never through a proxy
    return session


def follow_to_redirect_uri(session: requests.Session, response: requests.Response) -> str:
    return oidc.follow_to(REDIRECT_URI, session, response)


def open_sign_in_page(provider: oidc.OIDCProvider, session: requests.Session, **params):
    """The authorization request for the client, with `params` added (state, nonce, PKCE)."""
    return session.get(
        provider.authorization_endpoint,
        params={
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": oidc.SCOPES,
            **params,
        },
        timeout=10,
    )


def authorize(
    provider: oidc.OIDCProvider, session: requests.Session, login: str = LOGIN
) -> Authorization:
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    code_verifier, code_challenge = oidc.pkce_pair()
    page = open_sign_in_page(
        provider,
        session,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method="S256",
    )
    assert page.status_code == 200, page.text[:500]
    assert urlsplit(page.url).path.startswith("/interaction/")
    signed_in = session.post(
        page.url,
        data={oidc.LOGIN_FIELD: login, oidc.PASSWORD_FIELD: "any password"},
        allow_redirects=False,
        timeout=10,
    )
    location = follow_to_redirect_uri(session, signed_in)
    callback = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    return Authorization(
        code=callback.get("code", ""),
        state=state,
        nonce=nonce,
        code_verifier=code_verifier,
        callback=callback,
        sign_in_page=page.text,
    )


def exchange(provider: oidc.OIDCProvider, authorization: Authorization, **overrides):
    data = {
        "grant_type": "authorization_code",
        "code": authorization.code,
        "redirect_uri": REDIRECT_URI,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "code_verifier": authorization.code_verifier,
    }
    data.update(overrides)
    return browser().post(
        provider.token_endpoint, data={k: v for k, v in data.items() if v is not None}, timeout=10
    )


def verified_id_token(provider: oidc.OIDCProvider, id_token: str) -> dict:
    header = jwt.get_unverified_header(id_token)
    assert header["alg"] == "RS256"
    keys = browser().get(provider.jwks_uri, timeout=10).json()["keys"]
    (jwk,) = [key for key in keys if key["kid"] == header["kid"]]
    assert "d" not in jwk  # only the public key is published
    return jwt.decode(
        id_token,
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience=provider.client_id,
        issuer=provider.issuer,
    )


def test_discovery_names_the_endpoints_and_features_the_client_uses(provider):
    assert provider.issuer.startswith("http://127.0.0.1:")
    for url in (
        provider.authorization_endpoint,
        provider.token_endpoint,
        provider.userinfo_endpoint,
        provider.jwks_uri,
        provider.end_session_endpoint,
    ):
        assert url.startswith(provider.issuer + "/")
    discovery = provider.discovery
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert {"client_secret_post", "client_secret_basic"} <= set(
        discovery["token_endpoint_auth_methods_supported"]
    )
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    assert {"email", "email_verified", "name"} <= set(discovery["claims_supported"])
    settings = provider.mozilla_django_oidc_settings()
    assert settings["OIDC_OP_TOKEN_ENDPOINT"] == provider.token_endpoint
    assert settings["OIDC_RP_CLIENT_SECRET"] == provider.client_secret


def test_authorization_code_flow_with_pkce_and_nonce(provider):
    authorization = authorize(provider, browser())

    page = authorization.sign_in_page
    assert f'name="{oidc.LOGIN_FIELD}"' in page
    assert f'name="{oidc.PASSWORD_FIELD}"' in page
    assert f'<label for="login">{oidc.LOGIN_LABEL}</label>' in page
    assert f">{oidc.SIGN_IN_BUTTON}</button>" in page
    assert authorization.callback["state"] == authorization.state
    assert authorization.callback["iss"] == provider.issuer
    assert authorization.code

    response = exchange(provider, authorization)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"].lower() == "bearer"

    claims = verified_id_token(provider, tokens["id_token"])
    assert claims["nonce"] == authorization.nonce
    assert claims["sub"] == oidc.subject_for(LOGIN)
    assert claims["email"] == LOGIN
    assert claims["email_verified"] is True
    assert claims["name"] == "Anna Andersson"

    # mozilla-django-oidc reads the claims from the userinfo endpoint.
    userinfo = browser().get(
        provider.userinfo_endpoint,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json() == {
        "sub": oidc.subject_for(LOGIN),
        "email": LOGIN,
        "email_verified": True,
        "name": "Anna Andersson",
    }

    again = exchange(provider, authorization)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"  # a code is used once


def test_wrong_client_secret_is_refused(provider):
    authorization = authorize(provider, browser())

    refused = exchange(provider, authorization, client_secret="not-the-secret")
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"

    # The same code with the right secret is still good (client_secret_basic this time).
    accepted = browser().post(
        provider.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": authorization.code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": authorization.code_verifier,
        },
        auth=(provider.client_id, provider.client_secret),
        timeout=10,
    )
    assert accepted.status_code == 200, accepted.text


def test_wrong_pkce_verifier_is_refused(provider):
    authorization = authorize(provider, browser())
    wrong_verifier, _ = oidc.pkce_pair()

    refused = exchange(provider, authorization, code_verifier=wrong_verifier)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_sub_is_stable_per_login_name(provider):
    first = exchange(provider, authorize(provider, browser())).json()["id_token"]
    second = exchange(provider, authorize(provider, browser())).json()["id_token"]
    other = exchange(provider, authorize(provider, browser(), login="bo.berg@kungsor.se"))
    other_claims = verified_id_token(provider, other.json()["id_token"])

    assert verified_id_token(provider, first)["sub"] == verified_id_token(provider, second)["sub"]
    assert other_claims["sub"] == oidc.subject_for("bo.berg@kungsor.se") != oidc.subject_for(LOGIN)
    assert other_claims["email"] == "bo.berg@kungsor.se"
    assert other_claims["name"] == "Bo Berg"


def test_cancel_on_the_sign_in_page_returns_access_denied(provider):
    session = browser()
    page = open_sign_in_page(provider, session, state="s1")
    cancelled = session.get(page.url + "/abort", allow_redirects=False, timeout=10)
    callback = parse_qs(urlsplit(follow_to_redirect_uri(session, cancelled)).query)

    assert callback["error"] == ["access_denied"]
    assert callback["state"] == ["s1"]


def test_rp_initiated_logout_ends_the_provider_session(provider):
    session = browser()
    tokens = exchange(provider, authorize(provider, session)).json()

    page = session.get(
        provider.end_session_endpoint,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI,
            "state": "bye",
        },
        timeout=10,
    )
    assert page.status_code == 200, page.text[:500]
    assert f">{oidc.SIGN_OUT_BUTTON}</button>" in page.text
    action = html.unescape(
        re.search(r'<form id="op.logoutForm"[^>]* action="([^"]+)"', page.text)[1]
    )
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)[1]
    signed_out = session.post(
        urljoin(page.url, action),
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_out.status_code in (302, 303)
    assert signed_out.headers["Location"] == POST_LOGOUT_REDIRECT_URI + "?state=bye"

    # Signed out at the provider: the next authorization asks for the sign-in again.
    again = open_sign_in_page(provider, session)
    assert f'name="{oidc.LOGIN_FIELD}"' in again.text


def test_provider_stops_when_the_context_ends():
    with oidc.running_oidc_provider(REDIRECT_URI) as op:
        port = urlsplit(op.issuer).port
        assert browser().get(op.discovery_url, timeout=10).status_code == 200
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_missing_node_modules_names_the_install_command(tmp_path):
    with pytest.raises(oidc.OIDCProviderNotInstalled, match=re.escape(oidc.INSTALL_COMMAND)):
        oidc.check_installed(tmp_path)
