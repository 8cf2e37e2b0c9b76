"""deploy/nginx/ledarskap.conf: what it logs, whom it lets reach /healthz, how it slows
sign-in, and, with real nginx in front of real gunicorn, whose address the portal sees."""

import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password

from scripts.loopback import stop_process_group
from tests.factories import PASSWORD, ManagerFactory
from tests.support import nginx

SITE_TEXT = nginx.SITE.read_text()
needs_nginx = pytest.mark.skipif(
    not nginx.NGINX, reason="needs nginx (apt-get install nginx-light)"
)

# Addresses on loopback (Linux answers all of 127/8): nginx connects to gunicorn from
# 127.0.0.1, the portal's trusted proxy; people and attackers come from the others.
ATTACKER = "127.0.0.3"
OTHER_CLIENT = "127.0.0.5"
VICTIM = "127.0.0.6"
RESETTER = "127.0.0.7"


def _directives(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)


def _log_map() -> list[tuple[str, str]]:
    block = re.search(r"map \$uri \$ledarskap_log_path \{(.*?)\n\}", SITE_TEXT, flags=re.S)
    return re.findall(r'"~([^"]+)"\s+("[^"]*"|\$\w+);', block.group(1))


def _logged_path(uri: str) -> str:
    """What the site's map makes of $uri: the first regular expression that matches."""
    for pattern, value in _log_map():
        match = re.search(pattern.replace("(?<", "(?P<"), uri)
        if match:
            value = value.strip('"')
            if value == "$uri":
                return uri
            return re.sub(r"\$(\w+)", lambda m, found=match: found.group(m.group(1)), value)
    return uri


def test_the_access_log_never_holds_the_request_line_query_string_or_referer():
    (log_format,) = re.findall(r"log_format ledarskap (.*?);", SITE_TEXT, flags=re.S)
    for variable in ("$request", "$request_uri", "$args", "$query_string", "$arg_"):
        assert not re.search(re.escape(variable) + r"\b", log_format), variable
    assert "$http_referer" not in log_format
    assert "$ledarskap_log_path" in log_format
    access_logs = _directives(SITE_TEXT, "access_log")
    assert access_logs and all(line.endswith(" ledarskap") for line in access_logs)


@pytest.mark.parametrize(
    ("uri", "logged"),
    [
        ("/kalender/Zx9-hemlig_token.ics", "/kalender/….ics"),
        ("/avregistrera/eyJ1IjoxfQ:1tX:abc/", "/avregistrera/…/"),
        ("/konto/aterstall/MQ/c4x-0123abcd/", "/konto/aterstall/…/…/"),
        ("/konto/aterstall/MQ/set-password/", "/konto/aterstall/…/…/"),
        ("/traffar/12/incheckning/K3J9QX/", "/traffar/12/incheckning/…/"),
        # Pages that hold no secret are logged as they are.
        ("/konto/aterstall/skickat/", "/konto/aterstall/skickat/"),
        ("/konto/aterstall/", "/konto/aterstall/"),
        ("/mina-traffar/", "/mina-traffar/"),
    ],
)
def test_token_paths_are_masked_in_the_access_log(uri, logged):
    assert _logged_path(uri) == logged


def test_healthz_is_for_the_load_balancer_and_sign_in_is_rate_limited():
    for server in re.split(r"\n(?=server \{)", SITE_TEXT)[1:]:
        healthz = re.search(r"location = /healthz \{(.*?)\}", server, flags=re.S).group(1)
        assert _directives(healthz, "allow") and _directives(healthz, "deny") == ["all"]
    (zone,) = _directives(SITE_TEXT, "limit_req_zone")
    assert "zone=ledarskap_signin:" in zone and "rate=" in zone
    for path in ("= /konto/logga-in/", "^~ /konto/aterstall/"):
        location = re.search(rf"location {re.escape(path)} \{{(.*?)\}}", SITE_TEXT, flags=re.S)
        assert location, path
        assert any(
            line.startswith("zone=ledarskap_signin")
            for line in _directives(location.group(1), "limit_req")
        ), path
    # The client's address is set by the proxy, never passed on from the client.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in SITE_TEXT
    assert "$proxy_add_x_forwarded_for" not in SITE_TEXT


@needs_nginx
def test_nginx_accepts_the_configuration(tmp_path):
    site = nginx.site_here(tmp_path, tls_port=18443, http_port=18080, upstream_port=18000)
    main = nginx.main_config(tmp_path, site)
    result = subprocess.run(
        nginx.command(tmp_path, main, "-t"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


# Real nginx in front of real gunicorn ------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text(errors="replace")[-3000:])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}:\n{log.read_text(errors='replace')[-3000:]}")


def _start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "wb") as output:
        return subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


class Client:
    """One person's connections: from `source` (an address on loopback) to a port, through
    TLS (nginx) or plain HTTP (straight to gunicorn), keeping the CSRF cookie by hand."""

    def __init__(self, source: str, port: int, *, tls: bool) -> None:
        self.source, self.port, self.tls = source, port, tls
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None):
        if self.tls:
            # The test's own self-signed certificate: no verification.
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # nosec B501
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=context, source_address=(self.source, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, source_address=(self.source, 0)
            )
        host = "127.0.0.1" if self.tls else f"127.0.0.1:{self.port}"
        headers = {
            "Origin": f"{'https' if self.tls else 'http'}://{host}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content

    def sign_in(self, email: str, password: str, forwarded_for: str) -> int:
        from urllib.parse import urlencode

        if not self.token:
            status, page = self.request("GET", "/konto/logga-in/")
            assert status == 200, status
            self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST",
            "/konto/logga-in/",
            urlencode({"csrfmiddlewaretoken": self.token, "username": email, "password": password}),
            {"X-Forwarded-For": forwarded_for},
        )
        return status


@needs_nginx
# serialized_rollback: the roles' groups (a data migration) survive earlier transactional tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_behind_nginx_the_portal_sees_each_client_and_ignores_a_forged_header(tmp_path):
    victim = ManagerFactory(email="chef.offer@kungsor.test")
    # gunicorn runs with the production settings, which know nothing of the tests' fast hasher.
    victim.password = make_password(PASSWORD, hasher="argon2")
    victim.save(update_fields=["password"])
    database = settings.DATABASES["default"]
    web_port, tls_port, http_port = _free_port(), _free_port(), _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")} | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "1",
        # As docs/deploy.md configures it: nginx on this machine, TRUSTED_PROXIES' default.
        "BEHIND_TLS_PROXY": "true",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    environment.pop("TRUSTED_PROXIES", None)
    gunicorn_log, nginx_log = tmp_path / "gunicorn.log", tmp_path / "access.log"
    main = nginx.main_config(
        tmp_path,
        nginx.site_here(tmp_path, tls_port=tls_port, http_port=http_port, upstream_port=web_port),
    )
    gunicorn = _start(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        gunicorn_log,
        environment,
    )
    proxy = _start(nginx.command(tmp_path, main), tmp_path / "nginx.out")
    try:
        _wait_for(web_port, gunicorn, gunicorn_log)
        _wait_for(tls_port, proxy, tmp_path / "nginx.out")

        # Straight to gunicorn, naming the victim's address: five wrong passwords.
        straight = Client(ATTACKER, web_port, tls=False)
        for _ in range(5):
            last = straight.sign_in(victim.email, "fel-lösenord-123", VICTIM)
        assert last == 429
        # Through nginx from another address, again naming the victim's (nginx overwrites it).
        through = Client(OTHER_CLIENT, tls_port, tls=True)
        for _ in range(5):
            last = through.sign_in(victim.email, "fel-lösenord-123", VICTIM)
        assert last == 429
        assert through.sign_in(victim.email, PASSWORD, VICTIM) == 429
        # The victim at her own computer, through nginx, is not locked out.
        assert Client(VICTIM, tls_port, tls=True).sign_in(victim.email, PASSWORD, "") == 302

        # Tokens and query strings, for the logs below.
        for path in (
            "/kalender/HEMLIG-FLODE.ics?q=HEMLIG-SOKORD",
            "/konto/aterstall/MQ/HEMLIG-aterstallning/?n=HEMLIG",
        ):
            through.request("GET", path)
        # /healthz: the load balancer (here: this machine) only, over HTTPS and plain HTTP.
        assert through.request("GET", "/healthz")[0] == 403
        assert Client(OTHER_CLIENT, http_port, tls=False).request("GET", "/healthz")[0] == 403
        assert Client("127.0.0.1", tls_port, tls=True).request("GET", "/healthz")[0] in (200, 503)
        assert Client("127.0.0.1", http_port, tls=False).request("GET", "/healthz")[0] in (
            200,
            503,
        )
        # Password reset: 1 + 10 (the burst) posts pass, then nginx answers 429 (one more
        # passes every 6 seconds, so on a slow machine a few later ones may too).
        resetter = Client(RESETTER, tls_port, tls=True)
        statuses = [resetter.request("POST", "/konto/aterstall/", "email=x")[0] for _ in range(20)]
        assert 429 not in statuses[:11] and statuses.count(429) >= 5, statuses
    finally:
        stop_process_group(proxy)
        stop_process_group(gunicorn)

    records = [
        json.loads(line) for line in gunicorn_log.read_text().splitlines() if line.startswith("{")
    ]
    security = [r["message"] for r in records if r["logger"] == "kungsor_ledarskap.security"]
    uid = victim.pk
    assert security.count(f"event=sign_in user_id={uid} ip={ATTACKER} outcome=failure") == 5
    # Five wrong passwords, then the right one refused during the lockout.
    assert security.count(f"event=sign_in user_id={uid} ip={OTHER_CLIENT} outcome=failure") == 6
    assert f"event=lockout user_id={uid} ip={ATTACKER} outcome=locked" in security
    assert f"event=lockout user_id={uid} ip={OTHER_CLIENT} outcome=locked" in security
    assert f"event=sign_in user_id={uid} ip={VICTIM} outcome=success" in security
    assert not [line for line in security if "ip=127.0.0.1 " in line]
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert {r["client_addr"] for r in access if r["remote_addr"] == ATTACKER} == {ATTACKER}
    assert {r["client_addr"] for r in access if r["remote_addr"] == "127.0.0.1"} >= {
        OTHER_CLIENT,
        VICTIM,
    }
    lines = [json.loads(line) for line in nginx_log.read_text().splitlines()]
    assert {"/kalender/….ics", "/konto/aterstall/…/…/", "/healthz"} <= {r["path"] for r in lines}
    assert {r["remote_addr"] for r in lines} >= {OTHER_CLIENT, VICTIM, RESETTER}
    for log in (nginx_log, gunicorn_log):
        assert "HEMLIG" not in log.read_text()
