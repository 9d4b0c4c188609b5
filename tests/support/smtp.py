"""A real SMTP server (aiosmtpd) that keeps what it receives.

Plain by default; ``tls="starttls"`` (STARTTLS required) or ``tls="smtps"`` (implicit TLS) with a
test CA (``tests/support/certs.py``), and ``credentials=(user, password)`` to require AUTH. Tests
can make it misbehave: ``refuse`` answers 451 to every DATA, ``rcpt_replies`` / ``data_replies``
answer a given reply for one recipient, ``data_delay`` slows every DATA (after the body) and
``rcpt_delay`` every RCPT down, and ``stop()`` / ``start()`` close and reopen the port.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import random
import socket
import threading
import time
import warnings
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote, urlencode

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.certs import CertificateFiles

# Below the kernel's ephemeral range: a port bound to 0 comes from that range, and between the
# check and the server's bind any outgoing connection (a database's, a browser's) may take it as
# its local port — a live server then failed to start ("address already in use") and uvicorn's
# exit broke every later test of that worker. Ports below the range are only ever taken on purpose.
_LOWEST_PORT = 10_000


def _ephemeral_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as ports:
            return int(ports.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def free_port() -> int:
    """A loopback port that is free now and outside the ephemeral range when there is room."""
    start = _ephemeral_start()
    for _ in range(200 if start > _LOWEST_PORT else 0):
        port = random.randrange(_LOWEST_PORT, start)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ReceivedMail:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage
    tls: bool = False
    login: str | None = None
    peer: Any = None  # the client's (address, port): one per SMTP connection

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return str(part.get_content())  # type: ignore[attr-defined]
        raise AssertionError(f"no {content_type} part")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.sink.rcpt_delay:
            await asyncio.sleep(self.sink.rcpt_delay)
        reply = self.sink.rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.sink.lock:
            self.sink.data_started += 1
        if self.sink.data_delay:
            await asyncio.sleep(self.sink.data_delay)
        if self.sink.refuse:
            return "451 4.3.0 try again later"
        for recipient in envelope.rcpt_tos:
            reply = self.sink.data_replies.get(recipient.lower())
            if reply is not None:
                return reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        tls = session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None
        login = session.auth_data.login.decode() if session.auth_data else None
        with self.sink.lock:
            self.sink.messages.append(
                ReceivedMail(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    message,  # type: ignore[arg-type]
                    tls=tls,
                    login=login,
                    peer=session.peer,
                )
            )
        return "250 OK"


class _QuietController(Controller):
    def factory(self) -> Any:
        # AUTH without STARTTLS is what the plain-AUTH and implicit-TLS tests want; aiosmtpd warns
        # about it on every connection, and warnings are errors in this suite.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


class SmtpSink:
    def __init__(
        self,
        *,
        tls: str | None = None,
        certificates: CertificateFiles | None = None,
        credentials: tuple[str, str] | None = None,
    ) -> None:
        if tls not in {None, "starttls", "smtps"}:
            raise ValueError(tls)
        if tls and certificates is None:
            raise ValueError("TLS needs certificates")
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.refuse = False
        self.rcpt_replies: dict[str, str] = {}
        self.data_replies: dict[str, str] = {}
        self.data_delay = 0.0
        self.rcpt_delay = 0.0
        self.data_started = 0  # DATA commands begun (delivered or not)
        self.tls = tls
        self.certificates = certificates
        self.credentials = credentials
        self.port = free_port()
        self._controller: Controller | None = None

    def url_for(self, *, user: str | None = None, password: str | None = None) -> str:
        scheme = "smtps" if self.tls == "smtps" else "smtp"
        userinfo = ""
        if user is not None:
            userinfo = quote(user, safe="")
            if password is not None:
                userinfo += ":" + quote(password, safe="")
            userinfo += "@"
        query: dict[str, str] = {}
        if self.tls == "starttls":
            query["starttls"] = "true"
        if self.tls and self.certificates:
            query["ca_file"] = str(self.certificates.ca_file)
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{scheme}://{userinfo}127.0.0.1:{self.port}{suffix}"

    @property
    def url(self) -> str:
        if self.credentials:
            return self.url_for(user=self.credentials[0], password=self.credentials[1])
        return self.url_for()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert self.credentials is not None
        ok = (
            isinstance(auth_data, LoginPassword)
            and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            )
            == self.credentials
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def start(self) -> None:
        kwargs: dict[str, Any] = {"server_hostname": "localhost"}
        if self.tls == "smtps":
            assert self.certificates is not None
            kwargs["ssl_context"] = self.certificates.server_context()
        elif self.tls == "starttls":
            assert self.certificates is not None
            kwargs["tls_context"] = self.certificates.server_context()
            kwargs["require_starttls"] = True
        if self.credentials:
            kwargs["authenticator"] = self._authenticate
            kwargs["auth_required"] = True
            # aiosmtpd only counts STARTTLS as TLS, so implicit TLS must not "require" it.
            kwargs["auth_require_tls"] = self.tls == "starttls"
        self._controller = _QuietController(
            _Handler(self), hostname="127.0.0.1", port=self.port, **kwargs
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[ReceivedMail]:
        with self.lock:
            return [
                m for m in self.messages if address.lower() in (r.lower() for r in m.recipients)
            ]

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m.message_id for m in self.messages]

    async def wait_for(
        self, address: str, count: int = 1, *, within: float = 15.0, subject: str | None = None
    ) -> list[ReceivedMail]:
        deadline = time.monotonic() + within
        while True:
            found = [m for m in self.to(address) if subject is None or subject in m.subject]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} mail(s) to {address}, got {len(found)}: "
                    f"{[m.subject for m in self.to(address)]}"
                )
            await asyncio.sleep(0.05)
