"""The pieces without a database: RFC 6238 codes, sealed secrets, recovery codes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from domain.two_factor import recovery, totp
from domain.two_factor.sealing import BrokenSeal, seal, unseal

RFC_SECRET = b"12345678901234567890"


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_sha1_vectors(unix_time: int, expected: str) -> None:
    moment = datetime.fromtimestamp(unix_time, tz=UTC)
    assert totp.code_at(RFC_SECRET, totp.step_at(moment), digits=8) == expected
    # Six digits are the last six of the same value (the same truncation, modulo 10^6).
    assert totp.code_at(RFC_SECRET, totp.step_at(moment)) == expected[-6:]


def test_match_accepts_one_step_either_side_and_says_which() -> None:
    moment = datetime.fromtimestamp(1234567890, tz=UTC)
    now = totp.step_at(moment)
    for offset in (-1, 0, 1):
        assert (
            totp.match(RFC_SECRET, totp.code_at(RFC_SECRET, now + offset), moment) == now + offset
        )
    assert totp.match(RFC_SECRET, totp.code_at(RFC_SECRET, now + 2), moment) is None
    assert totp.match(RFC_SECRET, totp.code_at(RFC_SECRET, now - 2), moment) is None
    typed = totp.code_at(RFC_SECRET, now)
    assert totp.match(RFC_SECRET, f" {typed[:3]} {typed[3:]} ", moment) == now
    for garbage in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert totp.match(RFC_SECRET, garbage, moment) is None


def test_provisioning_uri_is_what_authenticator_apps_read() -> None:
    uri = totp.provisioning_uri(RFC_SECRET, "ann@example.test")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path == "/Cloud%20Portal:ann@example.test"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "issuer": "Cloud Portal",
        "algorithm": "SHA1",
        "digits": "6",
        "period": "30",
    }


def test_a_sealed_secret_opens_only_with_its_key_for_its_user() -> None:
    key, other_key = b"k" * 32, b"o" * 32
    user, other_user = uuid.uuid4(), uuid.uuid4()
    secret = totp.new_secret()
    sealed = seal(key, secret, user)
    assert len(sealed) == 64 and totp.to_base32(secret) not in sealed
    assert unseal(key, sealed, user) == secret
    with pytest.raises(BrokenSeal):
        unseal(other_key, sealed, user)
    with pytest.raises(BrokenSeal):
        unseal(key, sealed, other_user)
    with pytest.raises(BrokenSeal):
        unseal(key, "not base64 at all!", user)


def test_recovery_codes_are_distinct_and_forgiving_to_type() -> None:
    codes = recovery.new_codes()
    assert len(codes) == len(set(codes)) == 10
    key = b"r" * 32
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert recovery.code_hash(key, code) == recovery.code_hash(
            key, code.lower().replace("-", " ")
        )
    assert recovery.normalize("123456") is None
    assert recovery.normalize("") is None
