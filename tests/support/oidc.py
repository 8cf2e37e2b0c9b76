"""A real OpenID Connect provider on loopback for the single sign-on tests.

The provider is panva's `oidc-provider` (Node.js, certified OpenID Connect implementation)
run by `tests/oidc_provider/provider.mjs`. Install its node modules first with
INSTALL_COMMAND; this module never installs anything.

No Django imports here, so scripts can use it too::

    with running_oidc_provider("http://127.0.0.1:8000/oidc/callback/") as op:
        print(op.issuer, op.client_secret)

What a browser sees (constants below for Playwright):

1. The authorization endpoint redirects to the "Sign in" page, `/interaction/<uid>`:
   a text field `login` (label "Email address"), a password field `password` (label
   "Password"; any value, also empty, is accepted), the button "Sign in" (id `sign-in`) and
   the link "Cancel" (id `cancel`, which returns `error=access_denied` to the client).
   Any login name signs in: the account's `email` is the login name as typed.
2. No consent screen: the client is first-party, `openid email profile` is granted at once.
   The browser is redirected to the redirect_uri with `code`, `state` and `iss`.
3. Sign-out (end_session_endpoint, with `id_token_hint` or `client_id` and a registered
   `post_logout_redirect_uri`): the "Sign out" page with the button "Yes, sign me out" (id
   `sign-out`), then the post_logout_redirect_uri with `state`. Without a registered
   post_logout_redirect_uri the provider shows its own "Signed out" page.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO_DIR = Path(__file__).resolve().parents[2]
PROVIDER_DIR = REPO_DIR / "tests" / "oidc_provider"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
INSTALL_COMMAND = "npm ci --prefix tests/oidc_provider --no-audit --no-fund"

# Under a full test run it normally answers within a second. One run on record waited the old
# 20 s without READY, so a slow start gets more room, and each output line carries its time.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 5.0

SCOPES = "openid email profile"
SIGN_ALGORITHM = "RS256"

# The sign-in page (names of the form fields, labels and buttons).
LOGIN_FIELD = "login"
LOGIN_LABEL = "Email address"
PASSWORD_FIELD = "password"
PASSWORD_LABEL = "Password"
SIGN_IN_BUTTON = "Sign in"
CANCEL_LINK = "Cancel"
# The sign-out page.
SIGN_OUT_BUTTON = "Yes, sign me out"
STAY_SIGNED_IN_BUTTON = "No, stay signed in"


class OIDCProviderNotInstalled(RuntimeError):
    pass


def subject_for(login: str) -> str:
    """The `sub` the provider gives the account of this login name (stable across runs)."""
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()
    return f"test-{digest[:32]}"


def name_for(login: str) -> str:
    """The `name` claim: 'anna.andersson@kungsor.se' -> 'Anna Andersson'."""
    local = login.strip().split("@")[0]
    parts = [p for p in local.replace("_", ".").replace("-", ".").split(".") if p]
    return " ".join(p[:1].upper() + p[1:] for p in parts)


def pkce_pair() -> tuple[str, str]:
    """A PKCE (code_verifier, S256 code_challenge) pair."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class OIDCProvider:
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    discovery: dict = field(default_factory=dict, repr=False, compare=False)
    # The provider's output so far (stdout and stderr), for failure messages.
    log: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def mozilla_django_oidc_settings(self) -> dict[str, object]:
        """Settings for mozilla-django-oidc against this provider (client_secret_post,
        RS256 ID tokens checked against the JWKS, nonce and PKCE S256)."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": SIGN_ALGORITHM,
            "OIDC_RP_SCOPES": SCOPES,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_uri,
            "OIDC_USE_NONCE": True,
            "OIDC_USE_PKCE": True,
            "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        }


def follow_to(prefix: str, session, response) -> str:
    """Follow the provider's redirects by hand (a requests session, `allow_redirects=False`)
    until one points at an address starting with `prefix`, the client's; returns it."""
    for _ in range(10):
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(prefix):
            return location
        response = session.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def check_installed(provider_dir: Path = PROVIDER_DIR) -> None:
    """Fail with the install command when the provider's node modules are missing."""
    if not (provider_dir / "node_modules" / "oidc-provider" / "package.json").is_file():
        raise OIDCProviderNotInstalled(
            f"The test OpenID Connect provider is not installed ({provider_dir}/node_modules "
            f"is missing). Install it from the repository root with: {INSTALL_COMMAND}"
        )


def _node_binary() -> str:
    node = os.environ.get("NODE") or shutil.which("node")
    if not node:
        raise OIDCProviderNotInstalled(
            "Node.js (`node`) is needed for the test OpenID Connect provider; it is not on PATH."
        )
    return node


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _fetch_discovery(issuer: str, deadline: float) -> dict:
    url = issuer + "/.well-known/openid-configuration"
    # Straight to loopback, whatever proxy the environment names.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while True:
        try:
            with opener.open(url, timeout=2) as response:
                return json.load(response)
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def running_oidc_provider(
    redirect_uri: str,
    *,
    client_id: str = "ledarskapsportalen",
    client_secret: str | None = None,
    post_logout_redirect_uris: Sequence[str] | None = None,
    extra_redirect_uris: Sequence[str] = (),
    timeout: float = START_TIMEOUT,
) -> Iterator[OIDCProvider]:
    """Start the provider on a free loopback port with one confidential client; stop it after.

    post_logout_redirect_uris defaults to the root of redirect_uri's origin.
    """
    check_installed()
    node = _node_binary()
    if client_secret is None:
        client_secret = secrets.token_urlsafe(32)
    if post_logout_redirect_uris is None:
        post_logout_redirect_uris = [_origin(redirect_uri) + "/"]
    redirect_uris = [redirect_uri, *extra_redirect_uris]
    config = {
        "port": 0,  # the provider takes a free port and reports it in its READY line
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": list(post_logout_redirect_uris),
    }
    # OIDC_EXIT_WITH_STDIN: the provider also stops when this process dies (stdin closes).
    env = dict(os.environ, OIDC_PROVIDER_CONFIG=json.dumps(config), OIDC_EXIT_WITH_STDIN="1")
    env.pop("NODE_OPTIONS", None)

    log: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT)],
        cwd=REPO_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, stopped as a whole
    )

    started = time.monotonic()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(f"[{time.monotonic() - started:6.2f} s] " + line.rstrip("\n"))
            if line.startswith("READY ") and "issuer" not in found:
                found["issuer"] = line.split(None, 1)[1].strip()
                ready.set()
        ready.set()  # the process ended: stop waiting

    reader = threading.Thread(target=read_output, name="oidc-provider-output", daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        ready.wait(timeout)
        if "issuer" not in found:
            state = (
                f"exited with {process.returncode}"
                if process.poll() is not None
                else f"not ready in {timeout:g} s"
            )
            raise RuntimeError(
                f"The test OpenID Connect provider {state}. Output:\n" + "\n".join(log)
            )
        issuer = found["issuer"]
        try:
            discovery = _fetch_discovery(issuer, deadline)
        except OSError as error:
            raise RuntimeError(
                f"The test OpenID Connect provider's discovery document at {issuer} did not "
                f"answer: {error}. Output:\n" + "\n".join(log)
            ) from error
        if discovery.get("issuer") != issuer:
            raise RuntimeError(f"Discovery names issuer {discovery.get('issuer')!r}, not {issuer}")
        yield OIDCProvider(
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            authorization_endpoint=discovery["authorization_endpoint"],
            token_endpoint=discovery["token_endpoint"],
            userinfo_endpoint=discovery["userinfo_endpoint"],
            jwks_uri=discovery["jwks_uri"],
            end_session_endpoint=discovery["end_session_endpoint"],
            redirect_uris=tuple(redirect_uris),
            post_logout_redirect_uris=tuple(post_logout_redirect_uris),
            discovery=discovery,
            log=log,
        )
    finally:
        _stop(process)
        reader.join(timeout=STOP_TIMEOUT)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def oidc_provider_fixture(redirect_uri: str, **kwargs) -> Iterator[OIDCProvider]:
    """The body of a pytest fixture (a generator); arguments as for running_oidc_provider::

    @pytest.fixture(scope="session")
    def oidc_provider():
        yield from oidc_provider_fixture("http://testserver/oidc/callback/")

    @pytest.fixture
    def live_oidc_provider(live_server):
        yield from oidc_provider_fixture(live_server.url + "/oidc/callback/")
    """
    with running_oidc_provider(redirect_uri, **kwargs) as provider:
        yield provider
