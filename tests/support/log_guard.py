"""Across the whole test run: no password, session key, journal text or secret address part
(a query string, a calendar-feed or reset token: the tests' sentinels hold HEMLIG) reaches a
log.

Every log record of the run (INFO and up) is kept; every session key the run makes is noted;
at the end each record is searched for them, for the test passwords and for the journal
sentinels the tests write. A hit fails the run, naming the logger.
"""

import logging

SECRETS = [
    "Rätt-lösenord-för-test-42",  # tests.factories.PASSWORD
    "Kungsor-demo-2027!",  # the demo password
    "Ett-helt-nytt-lösenord-7",
    "HEMLIG",  # the journal sentinels: HEMLIG-REFLEKTION-…, HEMLIG-JOURNALTEXT-…
    "A-SKREV-DETTA-PRIVAT",
]


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string is not this guard's business
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += " " + repr(record.exc_info[1])
        # Django's request logger passes the request along; the JSON formatter writes it out.
        if getattr(record, "request", None) is not None:
            text += " " + str(record.request)
        self.records.append((record.name, text))


KEEP = _Keep()
SESSION_KEYS: set[str] = set()


def install() -> None:
    root = logging.getLogger()
    root.addHandler(KEEP)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    from django.contrib.sessions.backends.base import SessionBase

    original = SessionBase._set_session_key

    def noting(self, value):
        if value:
            SESSION_KEYS.add(value)
        return original(self, value)

    SessionBase._session_key = property(SessionBase._get_session_key, noting)


def leaks(records=None) -> list[str]:
    found = []
    secrets = SECRETS + sorted(SESSION_KEYS)
    for name, text in KEEP.records if records is None else records:
        for secret in secrets:
            if secret in text:
                found.append(f"{name}: a secret ({secret[:6]}…) in “{text[:120]}”")
    return found
