"""The password policy (SECURITY.md, NIST SP 800-63B-4 §3.1.1.2).

* At least ``min_length`` characters (15), at most ``max_length`` (256), refused *before* any
  hashing; Unicode and spaces welcome, never truncated, no composition rules. Length counts code
  points after NFKC, the form we hash (``normalize_password``).
* No common or breached passwords: zxcvbn's estimate over its bundled frequency lists (passwords,
  English words, names, TV and film), its keyboard, sequence, repeat and date patterns, must reach
  ``min_guesses_log10``.
* No passwords built from context words: the email, its local part, the names, the organization
  name, the product's name. What is left once they are taken out must still be strong on its own
  (zxcvbn, with the words as its "user inputs" so that l33t spellings are caught too).

zxcvbn's matching is superlinear (a 256-character random string takes seconds), so it looks at
windows of ``WINDOW`` characters and adds their estimates, stopping as soon as the threshold is
reached: the check costs a few milliseconds, whatever the input. It runs in a worker thread. We
call zxcvbn's matcher and scorer directly with our own dictionary mapping, because its top-level
function stores the user inputs in a module global, which threads would share.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from zxcvbn import matching, scoring  # type: ignore[import-untyped]  # ships no type hints

from domain.accounts.errors import (
    PASSWORD_CONTAINS_PERSONAL_INFO,
    PASSWORD_INVALID_CHARACTERS,
    PASSWORD_TOO_COMMON,
    PASSWORD_TOO_LONG,
    PASSWORD_TOO_SHORT,
)
from domain.errors import FieldError

# Error codes, not passwords (ruff's S105 sees the word).

WINDOW: Final = 32
PRODUCT_WORDS: Final = ("cloud portal", "cloudportal")
_MIN_CONTEXT_WORD: Final = 3
_SEPARATORS: Final = re.compile(r"[\s._+\-@,;:/'\"()&]+")


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = 15
    max_length: int = 256
    min_guesses_log10: float = 8.0


def normalize_password(password: str) -> str:
    """NFKC (800-63B-4 §3.1.1.2): the same password typed on two keyboards hashes the same.

    ``PasswordHasher`` applies it to every hash and verification.
    """
    return unicodedata.normalize("NFKC", password)


def context_words(*values: str | None) -> list[str]:
    """The words a password must not be made of: each value, and its parts of 3+ characters."""
    words: set[str] = set(PRODUCT_WORDS)
    for value in values:
        if not value:
            continue
        folded = unicodedata.normalize("NFKC", value).casefold().strip()
        if len(folded) >= _MIN_CONTEXT_WORD:
            words.add(folded)
        local, at, _domain = folded.partition("@")
        if at and len(local) >= _MIN_CONTEXT_WORD:
            words.add(local)
        for part in _SEPARATORS.split(local if at else folded):
            if len(part) >= _MIN_CONTEXT_WORD:
                words.add(part)
    # Longest first, so that "alice.smith" goes before "alice" when they are taken out.
    return sorted(words, key=lambda w: (-len(w), w))


def _guesses_log10(password: str, dictionaries: dict[str, Any], enough: float) -> float:
    total = 0.0
    seen: set[str] = set()
    for start in range(0, len(password), WINDOW):
        chunk = password[start : start + WINDOW]
        if chunk in seen:
            continue  # a repeated block adds nothing an attacker must guess
        seen.add(chunk)
        matches = matching.omnimatch(chunk, dictionaries)
        result = scoring.most_guessable_match_sequence(chunk, matches)
        total += float(result["guesses_log10"])
        if total >= enough:
            break
    return total


def _strip_words(password: str, words: Iterable[str]) -> str:
    folded = password.casefold()
    for word in words:
        folded = folded.replace(word, " ")
    return " ".join(folded.split())


def check_password(
    password: str, *, policy: PasswordPolicy, context: Iterable[str | None] = ()
) -> tuple[str, str] | None:
    """``(code, message)`` of the first rule the password breaks, or ``None``. CPU-bound."""
    if len(password) > policy.max_length:
        return PASSWORD_TOO_LONG, f"A password has at most {policy.max_length} characters."
    normalized = normalize_password(password)
    if len(normalized) > policy.max_length:
        return PASSWORD_TOO_LONG, f"A password has at most {policy.max_length} characters."
    if len(normalized) < policy.min_length:
        return (
            PASSWORD_TOO_SHORT,
            f"A password needs at least {policy.min_length} characters; "
            "a few unrelated words make a good one.",
        )
    if any(unicodedata.category(c) in {"Cc", "Cs"} for c in normalized):
        return PASSWORD_INVALID_CHARACTERS, "A password cannot contain control characters."

    base = matching.RANKED_DICTIONARIES
    if _guesses_log10(normalized, base, policy.min_guesses_log10) < policy.min_guesses_log10:
        return (
            PASSWORD_TOO_COMMON,
            "This password is too common or too easy to guess; choose a less predictable one.",
        )
    words = context_words(*context)
    with_context = {**base, "user_inputs": matching.build_ranked_dict(words)}
    folded = normalized.casefold()
    # With a context word in it, what is left must stand on its own; without one, zxcvbn still
    # looks for l33t and reversed spellings of the words.
    rest = _strip_words(normalized, words) if any(w in folded for w in words) else normalized
    if _guesses_log10(rest, with_context, policy.min_guesses_log10) < policy.min_guesses_log10:
        return (
            PASSWORD_CONTAINS_PERSONAL_INFO,
            "This password is built from your name, email, organization name or the name of "
            "this service; choose one that is not about you.",
        )
    return None


async def password_error(
    password: str,
    *,
    policy: PasswordPolicy,
    context: Iterable[str | None] = (),
    field: tuple[str, ...] | None = None,
) -> FieldError | None:
    """``check_password`` off the event loop, as a field error."""
    if len(password) > policy.max_length:  # no thread for what one len() decides
        problem = check_password(password, policy=policy)
    else:
        problem = await asyncio.to_thread(
            check_password, password, policy=policy, context=list(context)
        )
    if problem is None:
        return None
    return FieldError(problem[0], problem[1], field)
