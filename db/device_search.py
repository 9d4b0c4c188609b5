"""The form a device's text search is stored in (``device.search_text``) and the terms a search
looks for in it. Below ``domain`` because the model computes the column on every write."""

from __future__ import annotations

import re

from kit.text import fold


def search_text(*, name: str, serial_number: str, mac_address: str, model: str) -> str:
    """What a device's text search reads: folded name and model, the serial, the MAC address with
    and without separators (so ``aa-bb-cc`` and ``aabbcc`` both find it)."""
    bare_mac = mac_address.replace(":", "")
    return " ".join((fold(name), serial_number.lower(), mac_address, bare_mac, fold(model)))


_MAC_FRAGMENT = re.compile(r"[0-9a-f]{1,4}(?:[:.-][0-9a-f]{1,4})+", re.ASCII)


def search_terms(raw: str) -> list[str]:
    """A search as typed, in the forms ``search_text`` stores (any of them matches): folded, and
    when it could be a MAC fragment typed with separators, also as bare hex digits (``ABC-123``
    may be a serial number or the middle of a MAC address)."""
    term = fold(raw)
    terms = [term] if term else []
    if _MAC_FRAGMENT.fullmatch(term):
        terms.append(re.sub(r"[:.-]", "", term))
    return terms
