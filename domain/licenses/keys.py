"""License keys: what people type, and what we keep.

A key is 25 characters of kit.crypto's unambiguous alphabet in five groups of five
(``XXXXX-XXXXX-XXXXX-XXXXX-XXXXX``): 25 x log2(30) ≈ 122.7 bits. We keep only its SHA-256 (a key
that cannot be guessed needs no salt or slow hash) and the last four characters as a hint for
people to tell keys apart; the 21 characters the hint leaves unknown are still ≈ 103 bits.
"""

from __future__ import annotations

from kit.crypto import CODE_ALPHABET, new_code, normalize_code, sha256_hex

GROUPS = 5
GROUP_LENGTH = 5
KEY_LENGTH = GROUPS * GROUP_LENGTH
HINT_LENGTH = 4
# Longer input is refused before any work: no real key, typed with separators, comes near this.
MAX_INPUT_LENGTH = 100

_ALPHABET = frozenset(CODE_ALPHABET)


def new_key() -> str:
    """A fresh key, formatted for people."""
    return format_key(new_code(KEY_LENGTH))


def format_key(compact: str) -> str:
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))


def normalize_key(typed: str) -> str | None:
    """The compact form of what was typed (case, spaces and dashes forgiven), or None when it
    cannot be a key at all."""
    if len(typed) > MAX_INPUT_LENGTH:
        return None
    compact = normalize_code(typed.strip())
    if len(compact) != KEY_LENGTH or not set(compact) <= _ALPHABET:
        return None
    return compact


def key_hash(compact: str) -> str:
    return sha256_hex(compact)


def key_hint(compact: str) -> str:
    return compact[-HINT_LENGTH:]
