"""A real SMTP server for the tests (aiosmtpd), keeping every message it receives."""

import email
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

# Mail to addresses starting with this is refused with a temporary error (4xx).
TEMPORARY_FAILURE_PREFIX = "tempfail"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SMTPSink") -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:
        if any(rcpt.startswith(TEMPORARY_FAILURE_PREFIX) for rcpt in envelope.rcpt_tos):
            return "451 4.3.0 Mailbox temporarily unavailable"
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in [a.addr_spec for a in m["To"].addresses]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 30) -> list[EmailMessage]:
        """Wait until `count` messages to `address` arrived; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        got = len(self.to(address))
        raise AssertionError(f"expected {count} message(s) to {address} in {timeout}s, got {got}")
