"""PORTAL_SMTP_URL is parsed once and a wrong one stops the process with a fix-it message."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from kit.smtp_url import parse_smtp_url
from settings import Settings


def test_plain_starttls_and_smtps_with_default_ports() -> None:
    plain = parse_smtp_url("smtp://relay.example.com")
    assert (plain.port, plain.implicit_tls, plain.starttls, plain.username) == (
        25,
        False,
        False,
        None,
    )
    starttls = parse_smtp_url("smtp://relay.example.com?starttls=true")
    assert (starttls.port, starttls.starttls) == (587, True)
    smtps = parse_smtp_url("smtps://relay.example.com")
    assert (smtps.port, smtps.implicit_tls) == (465, True)
    assert parse_smtp_url("smtp://[::1]:2525").host == "::1"


def test_credentials_are_percent_decoded_and_never_printed() -> None:
    url = parse_smtp_url("smtps://mailer%40example.com:p%40ss%3Aw%2Frd%25@relay.example.com:2465")
    assert url.username == "mailer@example.com"
    assert url.password == "p@ss:w/rd%"
    assert url.port == 2465
    assert "p@ss" not in repr(url) and "p@ss" not in url.describe()


def test_ca_file_must_exist(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    assert parse_smtp_url(f"smtps://relay:465?ca_file={ca}").ca_file == str(ca)
    with pytest.raises(ValueError, match="ca_file"):
        parse_smtp_url(f"smtps://relay:465?ca_file={tmp_path / 'missing.pem'}")


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://relay.example.com", "must look like"),
        ("smtp://", "must look like"),
        ("smtp://relay?starttls=maybe", "true or false"),
        ("smtp://relay?tls=true", "unknown parameter"),
        ("smtps://relay?starttls=true", "already TLS"),
        ("smtp://relay:99999", "invalid port"),
        ("smtp://relay/path", "path"),
        ("smtp://:secret@relay", "no user name"),
    ],
)
def test_bad_urls_are_refused_with_a_reason(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_smtp_url(url)
    with pytest.raises(ValidationError, match=complaint):
        Settings(smtp_url=url)


def test_settings_expose_the_parsed_url_and_default_to_the_console() -> None:
    assert Settings(smtp_url="").smtp is None
    parsed = Settings(smtp_url="smtp://u:p@127.0.0.1:2525").smtp
    assert parsed is not None and (parsed.host, parsed.port, parsed.username) == (
        "127.0.0.1",
        2525,
        "u",
    )


def test_production_refuses_credentials_in_clear_text_to_a_remote_relay() -> None:
    base = {"env": "production", "public_url": "https://portal.example.com"}
    with pytest.raises(ValidationError, match="clear text"):
        Settings(**base, smtp_url="smtp://u:p@relay.example.com:25")
    Settings(**base, smtp_url="smtp://u:p@relay.example.com:587?starttls=true")
    Settings(**base, smtp_url="smtp://u:p@127.0.0.1:25")  # a local relay


def test_production_refuses_to_start_without_a_relay() -> None:
    """Outside test: production started without PORTAL_SMTP_URL and the console sender wrote
    activation codes into the logs and .eml files. It refuses, saying what to set."""
    with pytest.raises(ValidationError, match="PORTAL_ENV=production needs PORTAL_SMTP_URL"):
        Settings(env="production", public_url="https://portal.example.com")
    Settings(public_url="https://portal.example.com")  # development: the console sender


def test_a_lease_must_outlast_a_delivery() -> None:
    with pytest.raises(ValidationError, match="OUTBOX_LEASE_SECONDS"):
        Settings(outbox_lease_seconds=30, smtp_timeout_seconds=20)


def test_mail_from_must_be_an_address() -> None:
    with pytest.raises(ValidationError, match="PORTAL_MAIL_FROM"):
        Settings(mail_from="Cloud Portal")
    with pytest.raises(ValidationError, match="PORTAL_MAIL_FROM"):
        Settings(mail_from="a@b.example\r\nBcc: x@y.example")
