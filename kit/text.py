"""Text normalization shared by every area: display names and the keys that compare them."""

from __future__ import annotations

import unicodedata


def clean_name(value: str) -> str:
    """A display name as stored: NFC, trimmed, inner runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def fold(value: str) -> str:
    """The case- and width-insensitive form of a name, for uniqueness and search.

    NFKC folds compatibility forms (full-width letters, ligatures) and ``casefold`` is the Unicode
    case-insensitive comparison (``ß`` matches ``ss``). Computed in Python, so SQLite and
    PostgreSQL compare names the same way.
    """
    return unicodedata.normalize("NFKC", clean_name(value)).casefold()


# Joiners are format characters that emoji sequences need; every other format character (bidi
# overrides, invisible separators) can make a name display as something it is not.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})


def has_control_characters(value: str) -> bool:
    """Control, format (except joiners), surrogate, private-use or unassigned code points."""
    return any(
        unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} and ch not in _ALLOWED_FORMAT
        for ch in value
    )
