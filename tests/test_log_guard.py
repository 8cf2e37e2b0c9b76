"""The guard that searches every log record of the run for secrets finds them."""

import logging

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
