"""Field checks shared by the areas: each adds its userError to a ``Validator`` and returns the
cleaned value (or None when the value was refused), so that a form reports every problem at once."""

from __future__ import annotations

from domain.errors import Validator
from kit.text import clean_name, has_control_characters

NAME_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 500


def name(v: Validator, field: str, value: str, *, label: str = "name") -> str | None:
    """A display name: trimmed, inner whitespace collapsed, 1 to 100 visible characters."""
    cleaned = clean_name(value)
    if not cleaned:
        v.add(field, "REQUIRED", f"Enter a {label}.")
        return None
    if len(cleaned) > NAME_MAX_LENGTH:
        v.add(field, "TOO_LONG", f"The {label} must be at most {NAME_MAX_LENGTH} characters long.")
        return None
    if has_control_characters(cleaned):
        v.add(field, "INVALID_CHARACTERS", f"The {label} contains invisible or control characters.")
        return None
    return cleaned


def optional_text(
    v: Validator, field: str, value: str | None, *, label: str, max_length: int = TEXT_MAX_LENGTH
) -> str | None:
    """Free text such as a postal address: lines kept, each trimmed; empty means none."""
    if value is None:
        return None
    lines = [clean_name(line) for line in value.replace("\r\n", "\n").split("\n")]
    cleaned = "\n".join(line for line in lines if line)
    if not cleaned:
        return None
    if len(cleaned) > max_length:
        v.add(field, "TOO_LONG", f"The {label} must be at most {max_length} characters long.")
        return None
    if has_control_characters(cleaned.replace("\n", "")):
        v.add(field, "INVALID_CHARACTERS", f"The {label} contains invisible or control characters.")
        return None
    return cleaned
