"""The SMTP sender against real aiosmtpd servers (plain, STARTTLS, implicit TLS, AUTH) and the
console sender; failures are sorted into outage / deferred / rejected."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from kit.clock import utcnow
from kit.ids import uuid7
from kit.smtp_url import parse_smtp_url
from mail.catalog import sample_context
from mail.compose import OutgoingMail, build_email
from mail.messages import render
from mail.senders import (
    ConsoleSender,
    DeliveryUnknown,
    MessageDeferred,
    MessageRejected,
    RelayUnavailable,
    SmtpSender,
    ehlo_name,
    tls_context_for,
)
from tests.factories import unique_email
from tests.support.certs import CertificateFiles
from tests.support.smtp import SmtpSink, free_port

MAIL_FROM = "Cloud Portal <no-reply@portal.example.com>"


def a_message(to: str, *, organization: str = "Harbor Logistics") -> EmailMessage:
    rendered = render(
        "activation",
        {
            "public_url": "https://portal.example.com",
            **sample_context("activation"),
            "organization_name": organization,
        },
    )
    message_uuid = uuid7()
    return build_email(
        OutgoingMail(
            id=message_uuid,
            message_id=f"<{message_uuid}@portal.example.com>",
            recipient=to,
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
            created_at=utcnow(),
            attempts=0,
            leased_until=utcnow(),
        ),
        MAIL_FROM,
    )


def sender_for(url: str, *, timeout: float = 5.0) -> SmtpSender:
    config = parse_smtp_url(url)
    return SmtpSender(
        config,
        timeout=timeout,
        local_hostname=ehlo_name("http://127.0.0.1:8000"),
        tls_context=tls_context_for(config),
    )


async def test_plain_smtp_delivers_a_complete_multipart_message(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sender = sender_for(sink.url)
    to = unique_email()
    message = a_message(to)
    try:
        await sender.send(message)
    finally:
        await sender.close()
    [mail] = sink.to(to)
    assert mail.envelope_from == "no-reply@portal.example.com"
    assert mail.message["From"] == MAIL_FROM
    assert mail.to == to
    assert mail.subject == "Activate your Cloud Portal account"
    assert mail.message_id == message["Message-ID"]
    assert mail.message["Date"] and mail.message["Auto-Submitted"] == "auto-generated"
    assert mail.message.get_content_type() == "multipart/alternative"
    assert "Activation code: 7KQ4MZ2P" in mail.text
    assert "<strong" in mail.html
    assert not mail.tls and mail.login is None


async def test_one_connection_serves_a_burst_and_survives_the_relay_closing_it(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    sender = sender_for(sink.url)
    to = unique_email()
    try:
        await sender.send(a_message(to))
        # The relay goes away and comes back on the same port while our connection sits idle.
        sink.stop()
        sink.start()
        await sender.send(a_message(to))
        await sender.send(a_message(to))
    finally:
        await sender.close()
    assert len(sink.to(to)) == 3


@pytest.mark.parametrize("tls", ["starttls", "smtps"])
async def test_tls_with_a_private_ca_and_auth(
    tls: str, make_sink: Callable[..., SmtpSink], certificates: CertificateFiles
) -> None:
    # User and password with characters that must be percent-encoded in the URL.
    sink = make_sink(
        tls=tls, certificates=certificates, credentials=("mailer@example.com", "p@ss:w/rd%")
    )
    assert "%40" in sink.url and "ca_file=" in sink.url
    sender = sender_for(sink.url)
    to = unique_email()
    try:
        await sender.send(a_message(to))
    finally:
        await sender.close()
    [mail] = sink.to(to)
    assert mail.tls
    assert mail.login == "mailer@example.com"


@pytest.mark.parametrize("tls", ["starttls", "smtps"])
async def test_an_untrusted_certificate_is_an_outage_not_a_silent_downgrade(
    tls: str, make_sink: Callable[..., SmtpSink], certificates: CertificateFiles
) -> None:
    sink = make_sink(tls=tls, certificates=certificates)
    # Without ca_file only the system's CAs are trusted: the test CA is not among them.
    url = sink.url.split("?")[0] + ("?starttls=true" if tls == "starttls" else "")
    sender = sender_for(url)
    with pytest.raises(RelayUnavailable, match=r"(?i)certificate"):
        await sender.send(a_message(unique_email()))
    await sender.close()
    assert sink.messages == []


async def test_starttls_required_but_not_offered_is_an_outage(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()  # a plain relay
    sender = sender_for(sink.url + "?starttls=true")
    with pytest.raises(RelayUnavailable):
        await sender.send(a_message(unique_email()))
    await sender.close()
    assert sink.messages == []


async def test_plain_auth_and_bad_credentials(make_sink: Callable[..., SmtpSink]) -> None:
    sink = make_sink(credentials=("mailer", "right password"))
    good = sender_for(sink.url)
    to = unique_email()
    await good.send(a_message(to))
    await good.close()
    assert [m.login for m in sink.to(to)] == ["mailer"]

    bad = sender_for(sink.url_for(user="mailer", password="wrong password"))
    with pytest.raises(RelayUnavailable) as caught:
        await bad.send(a_message(unique_email()))
    await bad.close()
    assert caught.value.authentication
    assert "535" in str(caught.value)


async def test_a_closed_port_is_an_outage() -> None:
    sender = sender_for(f"smtp://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(RelayUnavailable):
        await sender.send(a_message(unique_email()))
    await sender.close()


async def test_answers_about_the_message_are_deferred_or_rejected(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    unknown, busy, fine = unique_email(), unique_email(), unique_email()
    sink.rcpt_replies[unknown] = "550 5.1.1 no such mailbox"
    sink.data_replies[busy] = "451 4.3.0 mailbox busy"
    sender = sender_for(sink.url)
    try:
        with pytest.raises(MessageRejected, match="550"):
            await sender.send(a_message(unknown))
        with pytest.raises(MessageDeferred, match="451"):
            await sender.send(a_message(busy))
        sink.rcpt_replies["later@example.test"] = "450 4.2.1 try later"
        with pytest.raises(MessageDeferred, match="450"):
            await sender.send(a_message("later@example.test"))
        # The connection is still good after the refusals (RSET), and delivers the next one.
        await sender.send(a_message(fine))
    finally:
        await sender.close()
    assert len(sink.to(fine)) == 1 and sink.to(unknown) == [] and sink.to(busy) == []


async def test_a_reply_lost_after_the_end_of_data_is_an_unknown_outcome(
    make_sink: Callable[..., SmtpSink],
) -> None:
    # The relay has the whole message and answers 250 after our timeout: it may deliver it, so
    # this must not look like a deferral (which the worker retries within seconds).
    sink = make_sink()
    sink.data_delay = 1.5
    sender = sender_for(sink.url, timeout=0.5)
    to = unique_email()
    with pytest.raises(DeliveryUnknown):
        await sender.send(a_message(to))
    await sender.close()


async def test_a_relay_silent_before_the_end_of_data_defers_the_message(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    to = unique_email()
    sink.rcpt_delay = 1.5
    sender = sender_for(sink.url, timeout=0.5)
    with pytest.raises(MessageDeferred):
        await sender.send(a_message(to))
    await sender.close()


async def test_console_sender_writes_an_eml_with_both_parts_and_logs_the_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sender = ConsoleSender(tmp_path / "mail")
    to = unique_email()
    message = a_message(to)
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        await sender.send(message)
        # A retry of the same message rewrites the same file: no second copy.
        await sender.send(message)
    [path] = list((tmp_path / "mail").iterdir())
    assert path.suffix == ".eml"
    assert path.stem == str(message["Message-ID"]).strip("<>").split("@")[0]
    stored = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert stored["To"] == to and stored["Message-ID"] == message["Message-ID"]
    types = [part.get_content_type() for part in stored.walk()]
    assert types == ["multipart/alternative", "text/plain", "text/html"]
    assert "Activation code: 7KQ4MZ2P" in caplog.text
    assert f"mail to {to}" in caplog.text
    assert "<strong" not in caplog.text  # the text part, not the HTML


def test_ehlo_names() -> None:
    assert ehlo_name("https://portal.example.com") == "portal.example.com"
    assert ehlo_name("http://127.0.0.1:8000") == "[127.0.0.1]"
    assert ehlo_name("http://[::1]:8000") == "[IPv6:::1]"


def test_message_ids_are_stable_per_row() -> None:
    message = a_message("a@example.test")
    assert str(message["Message-ID"]).endswith("@portal.example.com>")
    uuid.UUID(str(message["Message-ID"]).strip("<>").split("@")[0])


async def test_the_raw_message_carries_the_link_and_code_verbatim(tmp_path: Path) -> None:
    """Whoever reads the message as bytes (a harness matching on what the relay received, the
    .eml under var/mail) finds the activation link exactly as in the text part: no
    quoted-printable "token=3D…" or soft line breaks inside it, also with non-ASCII text."""
    message = a_message(unique_email(), organization="Zoë's Überwachung · Nord")
    text = message.get_body(("plain",))
    assert text is not None
    link = next(
        line.split(": ", 1)[1]
        for line in str(text.get_content()).splitlines()  # type: ignore[attr-defined]
        if line.startswith("Activate Account: ")
    )
    assert "/activate?token=" in link
    sender = ConsoleSender(tmp_path / "mail")
    await sender.send(message)
    [path] = list((tmp_path / "mail").iterdir())
    # aiosmtplib flattens with email.policy.SMTP; the console sender writes as_bytes().
    for raw in (message.as_bytes(policy=policy.SMTP), path.read_bytes()):
        lines = raw.replace(b"\r\n", b"\n").split(b"\n")
        assert f"Activate Account: {link}".encode() in lines
        assert b"Activation code: 7KQ4MZ2P" in lines
        assert "Zoë's Überwachung".encode() in raw
        assert max(len(line) for line in lines) <= 998
        stored = message_from_bytes(raw, policy=policy.default).get_body(("plain",))
        assert stored is not None
        assert str(stored.get_content()).replace("\r\n", "\n") == text.get_content()  # type: ignore[attr-defined]
