"""What a log line may say about a request: its path without the query string (journal search
words, single sign-on codes) and without the parts of a path that are secrets in themselves.

Used by the settings' LOGGING filter (Django's request and server loggers, anything logged with
a request) and by gunicorn's access log (deploy/gunicorn.conf.py); deploy/nginx/ledarskap.conf
masks the same paths in nginx's log.
"""

import logging
import re

# The calendar feed, the unsubscribe link, the password-reset link and the check-in code
# (sessions/urls.py, notifications/urls.py, accounts/urls.py).
SECRET_PATHS = [
    (re.compile(r"^(/kalender/)[^/]+(\.ics)$"), r"\1…\2"),
    (re.compile(r"^(/avregistrera/)[^/]+/"), r"\1…/"),
    (re.compile(r"^(/konto/aterstall/)(?!skickat/|klart/)[^/]+/[^/]+/"), r"\1…/…/"),
    (re.compile(r"^(/traffar/\d+/incheckning/)[^/]+/"), r"\1…/"),
]
# A path in a message or a request line: up to white space or a quote; the query string, if
# any, is dropped.
_PATH = re.compile(r"(?<![\w.])(/[^\s?'\"]*)(\?[^\s'\"]*)?")


def redacted_path(path: str) -> str:
    """`path` without its query string and with every secret part replaced by "…"."""
    path = path.split("?", 1)[0]
    for pattern, replacement in SECRET_PATHS:
        path = pattern.sub(replacement, path)
    return path


def redacted_text(text: str) -> str:
    """`text` with every path in it redacted (a request line, "Not Found: /…")."""
    return _PATH.sub(lambda match: redacted_path(match.group(1)), text)


class RedactRequests(logging.Filter):
    """Redacts the paths in a record about a request (its arguments, and the request itself,
    which the JSON formatter would write out whole), before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None and not record.name.startswith("django.server"):
            return True
        if isinstance(record.args, tuple):
            record.args = tuple(
                redacted_text(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = redacted_text(record.msg)
        if request is not None:
            path = getattr(request, "path", None)
            method = getattr(request, "method", None)
            record.request = (
                f"{method} {redacted_path(path)}" if isinstance(path, str) else "<request>"
            )
        return True
