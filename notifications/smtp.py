"""SMTP delivery with a commit point, so a worker killed mid-send neither loses nor repeats.

An SMTP server takes responsibility for a message only when it receives the final
end-of-data dot. This backend sends the whole message, then calls `commit()` (which marks
the outbox row as sent in the database), and only then sends the dot. If the worker dies
before the commit, the server never gets the dot and drops the message, and the row is
retried. If it dies after the commit, the dot is already written or is the very next
write: the message is delivered once. What is left is the time between the database
commit and one `send()` on the socket, microseconds instead of the whole SMTP round trip.
"""

import re
import smtplib
import socket
from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import EmailMessage, sanitize_address

_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class ClaimLost(Exception):
    """The commit step said no: someone else owns the message now. Nothing was delivered."""


def _dot_stuffed(data: bytes) -> bytes:
    """The message as DATA wants it: CRLF line endings, leading dots doubled (RFC 5321)."""
    data = _LEADING_DOT.sub(b"..", _LINE_ENDINGS.sub(b"\r\n", data))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class EmailBackend(DjangoSMTPBackend):
    """Django's SMTP backend (TLS, authentication, timeouts) plus `send_with_commit_point`."""

    def open(self) -> bool | None:
        opened = super().open()
        if opened and self.connection is not None and self.connection.sock is not None:
            # The end-of-data dot is a small write right after the message: with Nagle's
            # algorithm it waits for the server's delayed ACK of the message (40 ms on
            # Linux), every message. Sent at once, it also keeps the commit window short.
            self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return opened

    def send_with_commit_point(self, message: EmailMessage, commit: Callable[[], bool]) -> None:
        if not message.recipients():
            return
        new_connection = self.open()
        try:
            self._send_with_commit_point(message, commit)
        finally:
            if new_connection:
                self.close()

    def _send_with_commit_point(self, message: EmailMessage, commit: Callable[[], bool]) -> None:
        encoding = message.encoding or "utf-8"
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        data = _dot_stuffed(message.message().as_bytes(linesep="\r\n"))
        smtp = self.connection
        smtp.ehlo_or_helo_if_needed()
        options = []
        if smtp.does_esmtp and smtp.has_extn("size"):
            options.append(f"size={len(data)}")
        code, reply = smtp.mail(sender, options)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, reply)
        smtp.send(data)
        if not commit():
            # Drop the connection without the dot (and without QUIT, which would be read
            # as message text): the server discards what it got.
            smtp.close()
            self.connection = None
            raise ClaimLost
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
