"""The guard that searches every log record of the run for secrets finds them."""

import logging

import pytest

from tests.support import log_guard


def test_the_guard_finds_a_password_a_session_key_and_journal_text():
    keep = log_guard._Keep()
    logger = logging.getLogger("tests.log_guard_self_test")
    log_guard.SESSION_KEYS.add("abcdefghijklmnopqrstuvwxyz012345")
    try:
        for text in (
            "login with Rätt-lösenord-för-test-42",
            "session abcdefghijklmnopqrstuvwxyz012345",
            "entry body HEMLIG-xyz",
            "an ordinary line",
        ):
            keep.emit(logger.makeRecord(logger.name, logging.INFO, __file__, 1, text, (), None))
        assert len(log_guard.leaks(records=keep.records)) == 3
    finally:
        log_guard.SESSION_KEYS.discard("abcdefghijklmnopqrstuvwxyz012345")


@pytest.mark.django_db
def test_refused_requests_leave_no_query_string_or_token_in_the_logs(client, manager):
    """Django's request logger writes the path of every 4xx (and the whole request as a JSON
    field): through the portal's logging, a token in the path and the query string are gone."""
    keep = log_guard._Keep()
    root = logging.getLogger()
    root.addHandler(keep)  # after the console handler, so it sees what would be written
    try:
        assert client.get("/kalender/HEMLIG-FLODE.ics?q=HEMLIG-SOKORD").status_code == 404
        client.force_login(manager)
        assert client.get("/finns-inte/?q=HEMLIG-SOKORD").status_code == 404
        assert client.post("/avregistrera/HEMLIG-AVREG/?t=HEMLIG").status_code == 404
    finally:
        root.removeHandler(keep)
    lines = [text for name, text in keep.records if name == "django.request"]
    assert lines == [
        "Not Found: /kalender/….ics GET /kalender/….ics",
        "Not Found: /finns-inte/ GET /finns-inte/",
        "Not Found: /avregistrera/…/ POST /avregistrera/…/",
    ]
    assert log_guard.leaks(records=keep.records) == []


def test_request_lines_and_requests_in_any_record_are_redacted():
    """The filter on the console handler: runserver's request lines, and any record that
    carries a request (django.security's, too), lose query strings and tokens."""
    from django.test import RequestFactory

    from portal.log_redaction import RedactRequests

    logger = logging.getLogger("django.server")
    line = logger.makeRecord(
        logger.name,
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /konto/aterstall/MQ/HEMLIG-token/?next=/sok/?q=HEMLIG HTTP/1.1", "200", "9"),
        None,
    )
    assert RedactRequests().filter(line)
    assert line.getMessage() == '"GET /konto/aterstall/…/…/ HTTP/1.1" 200 9'

    request = RequestFactory().get("/traffar/7/incheckning/HEMLIG/?kod=HEMLIG")
    logger = logging.getLogger("django.security.DisallowedHost")
    refused = logger.makeRecord(
        logger.name, logging.ERROR, __file__, 1, "Invalid HTTP_HOST header", (), None
    )
    refused.request = request
    assert RedactRequests().filter(refused)
    assert refused.request == "GET /traffar/7/incheckning/…/"
    assert (
        log_guard.leaks(
            records=[(line.name, line.getMessage()), (logger.name, str(refused.request))]
        )
        == []
    )
