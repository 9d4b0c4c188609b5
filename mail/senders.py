"""How a message leaves the process: over SMTP (aiosmtplib) or, without PORTAL_SMTP_URL, to the
console and an ``.eml`` file under ``PORTAL_MAIL_DIR``.

A sender is used by one worker loop at a time (SMTP is a conversation: one message after the
other on a connection), so each loop builds its own from ``sender_factory(settings)``.

Failures are sorted by whose fault they are, because the worker treats them differently:

* ``RelayUnavailable`` — we could not reach or talk to the relay before it saw this message
  (connection refused, TLS failure, bad credentials, no greeting). An outage: the message is not to
  blame, so it is put back without spending one of its attempts and the loop pauses.
* ``MessageDeferred`` — the relay answered about this message with a temporary failure (4xx), or
  the conversation broke off mid-message. Retried with backoff; counts as an attempt.
* ``DeliveryUnknown`` — the whole message went out (the final ``.`` of DATA) but the relay's
  answer did not come back in time, or the connection broke before it did. The relay may well
  have taken it (RFC 1047: a reply lost after the end of DATA is how mail gets duplicated), so
  the worker does not resend it within ``PORTAL_OUTBOX_UNKNOWN_RETRY_SECONDS``.
* ``MessageRejected`` — the relay refused the recipient permanently (5xx at RCPT). Retrying cannot
  succeed, and hammering a non-existent mailbox hurts the sender's reputation: dead at once. Other
  5xx answers (sender refused, content refused) usually mean our relay configuration is wrong, which
  an operator can fix, so they are retried like 4xx and dead-lettered after the last attempt.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import ssl
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import aiosmtplib

from kit.smtp_url import SmtpUrl
from settings import Settings

logger = logging.getLogger("portal.mail")


class SendError(Exception):
    """The message was not delivered (as far as we can tell)."""


class RelayUnavailable(SendError):
    def __init__(self, message: str, *, authentication: bool = False) -> None:
        super().__init__(message)
        self.authentication = authentication


class MessageDeferred(SendError):
    pass


class MessageRejected(SendError):
    pass


class DeliveryUnknown(SendError):
    """The relay had the whole message and never said what it did with it."""


# What aiosmtplib writes after ``354``: the dot-stuffed message and the terminating line. No
# command ends this way, so a write that does marks the end of DATA.
_END_OF_DATA = b"\r\n.\r\n"


class Sender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise a ``SendError``."""

    async def idle(self) -> None:
        """Nothing to send right now: a chance to let go of idle connections."""

    async def close(self) -> None: ...


def _describe(exc: BaseException) -> str:
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


class SmtpSender:
    """Delivers over one SMTP connection, kept open between messages of a burst."""

    # Close a connection nobody used for this long (relays drop idle clients anyway).
    KEEPALIVE_SECONDS = 10.0

    def __init__(
        self,
        config: SmtpUrl,
        *,
        timeout: float,
        local_hostname: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self._config = config
        self._timeout = timeout
        # The whole delivery (connect, TLS, AUTH, MAIL, RCPT, DATA) gets twice the per-command
        # timeout: a relay that trickles answers must not hold a message beyond its lease.
        self._budget = 2 * timeout
        self._local_hostname = local_hostname
        self._tls_context = tls_context
        self._client: aiosmtplib.SMTP | None = None
        self._last_used = 0.0
        # Whether the current message's end of DATA has been written to the relay.
        self._data_ended = False

    async def send(self, message: EmailMessage) -> None:
        connecting = False
        self._data_ended = False
        try:
            async with asyncio.timeout(self._budget):
                reused = self._client is not None and self._client.is_connected
                if not reused:
                    connecting = True
                    self._client = await self._connect()
                    connecting = False
                assert self._client is not None
                try:
                    await self._transmit(self._client, message)
                except aiosmtplib.SMTPServerDisconnected as exc:
                    self._discard()
                    if self._data_ended:
                        raise DeliveryUnknown(_describe(exc)) from exc
                    if not reused:
                        raise MessageDeferred(_describe(exc)) from exc
                    # The relay closed the connection while it sat idle (before MAIL FROM): one
                    # fresh connection, as any mail client does.
                    connecting = True
                    self._client = await self._connect()
                    connecting = False
                    try:
                        await self._transmit(self._client, message)
                    except aiosmtplib.SMTPServerDisconnected as again:
                        self._discard()
                        if self._data_ended:
                            raise DeliveryUnknown(_describe(again)) from again
                        raise MessageDeferred(_describe(again)) from again
        except TimeoutError as exc:
            self._discard()
            if connecting:
                raise RelayUnavailable(f"no answer within {self._budget:g}s") from exc
            if self._data_ended:
                raise DeliveryUnknown(
                    f"no answer to the end of DATA within the {self._budget:g}s budget"
                ) from exc
            raise MessageDeferred(f"delivery took longer than {self._budget:g}s") from exc
        finally:
            self._last_used = time.monotonic()

    async def _connect(self) -> aiosmtplib.SMTP:
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.implicit_tls,
            # Explicit either way: never an opportunistic upgrade (see mail/smtp_url.py).
            start_tls=config.starttls,
            tls_context=self._tls_context,
            timeout=self._timeout,
            local_hostname=self._local_hostname,
        )
        try:
            await client.connect()
            self._watch_end_of_data(client)
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise RelayUnavailable(
                f"authentication failed: {_describe(exc)}", authentication=True
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # OSError covers refused connections and ssl.SSLError (certificate not trusted).
            raise RelayUnavailable(_describe(exc)) from exc
        return client

    def _watch_end_of_data(self, client: aiosmtplib.SMTP) -> None:
        """Note when the end of DATA is written. aiosmtplib sends the message and waits for the
        final reply in one call and raises the same timeout either side of it; only this tells
        "never sent" (retry) from "sent, reply lost" (maybe delivered: do not resend soon)."""
        protocol = client.protocol
        assert protocol is not None
        write = protocol.write

        def watched(data: bytes) -> None:
            write(data)
            if data.endswith(_END_OF_DATA):
                self._data_ended = True

        protocol.write = watched  # type: ignore[method-assign]

    async def _transmit(self, client: aiosmtplib.SMTP, message: EmailMessage) -> None:
        try:
            await client.send_message(message)
        except aiosmtplib.SMTPServerDisconnected:
            raise
        except aiosmtplib.SMTPRecipientsRefused as exc:
            reason = "; ".join(_describe(r) for r in exc.recipients) or "recipient refused"
            if exc.recipients and all(r.code >= 500 for r in exc.recipients):
                raise MessageRejected(reason) from exc
            raise MessageDeferred(reason) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code == 421:  # the relay is closing this connection
                self._discard()
            raise MessageDeferred(_describe(exc)) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # A timeout or a broken conversation: the connection's state is unknown.
            self._discard()
            if self._data_ended:
                raise DeliveryUnknown(_describe(exc)) from exc
            raise MessageDeferred(_describe(exc)) from exc

    def _discard(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def idle(self) -> None:
        if self._client is not None and time.monotonic() - self._last_used > self.KEEPALIVE_SECONDS:
            await self.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        protocol = client.protocol
        try:
            async with asyncio.timeout(self._timeout):
                await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            client.close()
        # A TLS connection finishes closing (close_notify) a moment after quit() returns; let it,
        # so that a process shutting down right after does not cut it off mid-way. aiosmtplib
        # offers nothing to await for that (its protocol drops the transport when it is closed).
        deadline = time.monotonic() + 1.0
        while getattr(protocol, "transport", None) is not None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class ConsoleSender:
    """Development without a relay: the text part goes to the log, the whole message to
    ``<mail_dir>/<message id>.eml`` (open it with any mail client)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, message: EmailMessage) -> Path:
        message_id = str(message["Message-ID"] or "").strip("<>").split("@", 1)[0]
        # Named after the stable Message-ID: a retry rewrites the same file, never a second one.
        name = _UNSAFE_FILE_CHARACTERS.sub("_", message_id) or "message"
        return self.directory / f"{name}.eml"

    async def send(self, message: EmailMessage) -> None:
        path = self.path_for(message)
        try:
            await asyncio.to_thread(self._write, path, message.as_bytes())
        except OSError as exc:
            raise RelayUnavailable(f"cannot write {path}: {exc}") from exc
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        announcement = (
            f"mail to {message['To']}: {message['Subject']} (saved as {path})\n"
            f"{'-' * 72}\n{text.rstrip()}\n{'-' * 72}"
        )
        if logger.hasHandlers():
            logger.info("%s", announcement)
        else:
            # A process whose logging nobody configured (e.g. a uvicorn worker process) must
            # still show development mail somewhere.
            print(announcement, file=sys.stderr, flush=True)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers never see half a message

    async def idle(self) -> None:
        return None

    async def close(self) -> None:
        return None


def ehlo_name(public_url: str) -> str:
    """Our name in EHLO: the public host, or an address literal (RFC 5321 §4.1.3)."""
    host = urlsplit(public_url).hostname or "localhost"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    return f"[IPv6:{address}]" if address.version == 6 else f"[{address}]"


def tls_context_for(config: SmtpUrl) -> ssl.SSLContext | None:
    """Verification always on; ``ca_file`` replaces the system's trust store with that bundle."""
    if not config.uses_tls:
        return None
    return ssl.create_default_context(cafile=config.ca_file) if config.ca_file else None


def sender_factory(settings: Settings) -> Callable[[], Sender]:
    """A constructor of senders for the configured transport (one sender per worker loop)."""
    smtp = settings.smtp
    if smtp is None:
        directory = Path(settings.mail_dir)
        return lambda: ConsoleSender(directory)
    local_hostname = ehlo_name(settings.public_url)
    tls_context = tls_context_for(smtp)
    timeout = settings.smtp_timeout_seconds
    return lambda: SmtpSender(
        smtp, timeout=timeout, local_hostname=local_hostname, tls_context=tls_context
    )
