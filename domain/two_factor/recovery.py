"""Recovery codes: ten single-use codes that stand in for a lost authenticator.

Each is ten characters of ``kit.crypto.CODE_ALPHABET`` (~49 bits), shown once as ``XXXXX-XXXXX``
and kept only as an HMAC under a server key (like activation codes, SECURITY.md "secrets at
rest"): not guessable online (login throttling counts every wrong one), not reversible offline
without the key. Typing is forgiving: case, spaces, dashes, O for 0 and I/L for 1.
"""

from __future__ import annotations

from kit.crypto import CODE_ALPHABET, hmac_hex, new_code, normalize_code

RECOVERY_CODE_KEY = "recovery-code-hmac"
COUNT = 10
LENGTH = 10


def new_codes(count: int = COUNT) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code(LENGTH))
    return [f"{code[:5]}-{code[5:]}" for code in sorted(codes)]


def normalize(code: str) -> str | None:
    """The compact form of what was typed, or None when it cannot be a recovery code."""
    compact = normalize_code(code.strip())
    if len(compact) != LENGTH or any(c not in CODE_ALPHABET for c in compact):
        return None
    return compact


def code_hash(key: bytes, code: str) -> str:
    """The stored form of a recovery code, given in any spelling ``normalize`` accepts."""
    compact = normalize(code)
    assert compact is not None, "hash only codes that normalize"
    return hmac_hex(key, compact)
