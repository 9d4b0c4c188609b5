"""Serial numbers and MAC addresses: every accepted spelling gives one stored form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.devices.normalize import (
    InvalidMacAddress,
    InvalidSerialNumber,
    normalize_mac_address,
    normalize_serial_number,
    search_terms,
    search_text,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("abc-123", "ABC-123"),
        ("  SN12345678\n", "SN12345678"),
        ("q2.x_7/9", "Q2.X_7/9"),
        ("\uff41\uff42\uff43\uff11\uff12\uff13", "ABC123"),  # full-width letters and digits
        ("A" * 64, "A" * 64),
        ("1234", "1234"),
    ],
)
def test_serial_numbers_are_trimmed_and_upper_cased(raw: str, stored: str) -> None:
    assert normalize_serial_number(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",  # too short
        "A" * 65,  # too long
        "AB CD",  # inner space
        "-ABCD",
        "ABCD-",
        "ABC\u00c9D",  # not ASCII
        "ABC;DROP",
        "ABC\x00D",
        "ab\ncd",
        "\u0131abc",  # dotless i (upper-cases to a plain I)
        "stra\u00dfe1",  # sharp s (upper-cases to SS)
    ],
)
def test_bad_serial_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidSerialNumber):
        normalize_serial_number(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "AA:BB:CC:DD:EE:F0",
        "aa:bb:cc:dd:ee:f0",
        "AA-BB-CC-DD-EE-F0",
        "aa-bb-cc-dd-ee-f0",
        "aabb.ccdd.eef0",
        "AABB.CCDD.EEF0",
        "aabbccddeef0",
        "  AABBCCDDEEF0 ",
    ],
)
def test_every_mac_spelling_is_stored_one_way(raw: str) -> None:
    assert normalize_mac_address(raw) == "aa:bb:cc:dd:ee:f0"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "aa:bb:cc:dd:ee",  # too short
        "aa:bb:cc:dd:ee:ff:00",  # EUI-64
        "aa:bb-cc:dd:ee:f0",  # mixed separators
        "aab:bcc:dde:ef0",
        "aa:bb:cc:dd:ee:g0",
        "aa bb cc dd ee f0",
        "aabbccddeef",
        "0xaabbccddeef0",
        "ff:ff:ff:ff:ff:ff",  # broadcast
        "01:00:5e:00:00:fb",  # IPv4 multicast
        "33:33:00:00:00:01",  # IPv6 multicast
        "00:00:00:00:00:00",
        "\uff41abbccddeef0",  # full-width: MAC addresses are plain ASCII
    ],
)
def test_bad_mac_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidMacAddress):
        normalize_mac_address(raw)


def test_locally_administered_unicast_addresses_are_fine() -> None:
    assert normalize_mac_address("02:00:00:00:00:01") == "02:00:00:00:00:01"


octets = st.lists(st.integers(0, 255), min_size=6, max_size=6).filter(
    lambda o: not o[0] & 1 and any(o)
)


@given(octets, st.sampled_from(["colon", "dash", "dot", "bare"]), st.booleans())
def test_mac_forms_round_trip(values: list[int], form: str, upper: bool) -> None:
    hexes = [f"{v:02x}" for v in values]
    joined = "".join(hexes)
    spelled = {
        "colon": ":".join(hexes),
        "dash": "-".join(hexes),
        "dot": ".".join(joined[i : i + 4] for i in range(0, 12, 4)),
        "bare": joined,
    }[form]
    if upper:
        spelled = spelled.upper()
    stored = normalize_mac_address(spelled)
    assert stored == ":".join(hexes)
    assert normalize_mac_address(stored) == stored


@given(st.text(max_size=80))
def test_normalizers_never_fail_unexpectedly(raw: str) -> None:
    for normalize, error in (
        (normalize_serial_number, InvalidSerialNumber),
        (normalize_mac_address, InvalidMacAddress),
    ):
        try:
            value = normalize(raw)
        except error:
            continue
        assert normalize(value) == value  # idempotent
        assert value.isascii()


def test_search_text_and_terms_meet() -> None:
    text = search_text(
        name="Eingang Süd", serial_number="ABC-123", mac_address="aa:bb:cc:dd:ee:f0", model="XNV"
    )
    for typed in ("EINGANG", "süd", "abc-1", "AA-BB-CC", "aabb.ccdd", "ccddee", "xnv", "DD:EE"):
        assert any(term in text for term in search_terms(typed)), typed
    assert search_terms("   ") == []
