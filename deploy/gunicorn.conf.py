"""gunicorn's configuration for Ledarskapsportalen in production.

    gunicorn -c deploy/gunicorn.conf.py kungsor_ledarskap.wsgi

Everything that differs between machines comes from the environment (the same file as the
portal's settings, deploy/ledarskap.env.example): GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS, LOG_FORMAT, LOG_LEVEL. Logs, access log included, go
to standard output as one JSON object per line (LOG_FORMAT=json, the default when DEBUG is
off), for journald or any log collector. docs/deploy.md explains the choices.
"""

import logging
import os
from pathlib import Path

from gunicorn.glogging import Logger


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


# The checkout: deploy/ sits in it, and the portal runs from it (it is not a package).
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "kungsor_ledarskap.wsgi"

# Loopback by default: the TLS proxy in front connects here. On a web machine behind a proxy
# on another machine, bind the internal address (GUNICORN_BIND=10.0.0.11:8000).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000")).split(",")

# Synchronous workers: every page is short and database-bound, and the proxy buffers slow
# clients. 2 x cores + 1 is gunicorn's advice; each worker holds one database connection
# (CONN_MAX_AGE), so web machines x workers + worker processes must stay under PostgreSQL's
# max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"
# A request taking longer than this is a bug or a stuck query: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (systemctl stop/restart) requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Workers are replaced after this many requests (with jitter, so not all at once): a slow
# leak in any library never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Each worker imports the app itself, so `systemctl reload` (SIGHUP) starts workers on new
# code without dropping a request.
preload_app = False
# The workers' heartbeat files in memory, never on a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108
# Requests larger than this are refused before Django sees them (uploads are at most 20 MB
# and arrive as the body, which this does not limit).
limit_request_line = 8190
limit_request_fields = 100

# The TLS proxy: only these addresses may tell gunicorn the original scheme
# (X-Forwarded-Proto). Django trusts the header itself only with BEHIND_TLS_PROXY=true; the
# proxy must set it, overwriting whatever the client sent (docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Logs: the access log and gunicorn's own, on standard output.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", os.environ.get("LOG_LEVEL", "info")).lower()
capture_output = False
proc_name = "ledarskap-web"

_DEBUG = _flag("DEBUG", False)
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if _DEBUG else "json")


def redacted_path(path: str) -> str:
    # The query string is never logged (journal search words, single sign-on codes), nor the
    # secret part of calendar-feed, unsubscribe, password-reset and check-in addresses: the
    # same rules as the portal's own logs. Imported here: the workers run in the checkout.
    from portal.log_redaction import redacted_path

    return redacted_path(path)


def _client_address(environ) -> str | None:
    # Imported here: the workers load the portal (and its settings) before any request.
    from django.conf import settings

    from accounts.client_address import address_from

    return address_from(environ, settings.TRUSTED_PROXIES)


class PortalLogger(Logger):
    """gunicorn's logger, with each request logged as fields of its own (a JSON object per
    line with LOG_FORMAT=json), without query strings or secret path parts."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": redacted_path(environ.get("PATH_INFO", "")),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            # The connection's address (the proxy's, behind it) and the client's, read as
            # sign-in lockouts and the security log read it (accounts/client_address.py):
            # X-Forwarded-For only from TRUSTED_PROXIES, so a forged header never shows here.
            "remote_addr": environ.get("REMOTE_ADDR"),
            "client_addr": _client_address(environ),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            if LOG_FORMAT == "json":
                self.access_log.info("request", extra=fields)
            else:
                self.access_log.info(
                    "%(method)s %(path)s %(status)s %(bytes)s %(duration_ms)sms", fields
                )
        except Exception:
            self.exception("Could not write the access log")


logger_class = PortalLogger

_FORMATTERS = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "timestamp": False,
    },
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
}

# The same shape as the portal's settings.LOGGING: everything on standard output.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"portal": _FORMATTERS["json" if LOG_FORMAT == "json" else "plain"]},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "portal",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": loglevel.upper(), "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}

logging.captureWarnings(True)
