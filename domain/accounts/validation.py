"""Input validation shared by every form: emails, names, countries, addresses, phone numbers.

Each ``clean_*`` function takes the form's ``Validator``, the field name and the raw value; it
returns the cleaned value, or ``None`` after recording a field error, so that a form reports every
invalid field at once. Lengths are checked before any other work, so a 100 KB string costs one
``len``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

import pycountry
from email_validator import EmailNotValidError, validate_email

from domain.accounts.errors import (
    INVALID_CHARACTERS,
    INVALID_COUNTRY,
    INVALID_EMAIL,
    INVALID_PHONE,
    REQUIRED,
    TOO_LONG,
)
from domain.errors import Validator

EMAIL_MAX: Final = 254  # RFC 5321's path limit, less the angle brackets
NAME_MAX: Final = 100
ORGANIZATION_NAME_MAX: Final = 200
ADDRESS_MAX: Final = 500
PHONE_MAX: Final = 40
REASON_MAX: Final = 2000


# Characters that have no business in a name or an address: they corrupt logs, emails and
# terminals, or reorder what a reader sees (bidirectional overrides, "Trojan Source").
_BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f"
)
_FORBIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cs", "Zl", "Zp"})

# Digits with the usual separators, an optional leading +, an optional extension.
_PHONE: Final = re.compile(r"\+?\(?[0-9][0-9 ().\-/]*(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?", re.I)
_PHONE_MIN_DIGITS: Final = 4
_PHONE_MAX_DIGITS: Final = 20


class InvalidEmail(ValueError):
    """Not an email address we can send to (the message says why, for people)."""


def has_forbidden_characters(value: str, *, allow_newlines: bool = False) -> bool:
    for char in value:
        if allow_newlines and char in "\n\t":
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            return True
        if 0xFDD0 <= ord(char) <= 0xFDEF or (ord(char) & 0xFFFE) == 0xFFFE:
            return True  # Unicode noncharacters
    return False


def clean_text(
    v: Validator,
    field: str,
    value: str | None,
    *,
    label: str,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str | None:
    """Trimmed, NFC-normalized text without control characters; ``None`` when empty or invalid."""
    if value is None or not value.strip():
        if required:
            v.add(field, REQUIRED, f"{label} is required.")
        return None
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if len(value) > max_length:
        v.add(field, TOO_LONG, f"{label} must be at most {max_length} characters.")
        return None
    if has_forbidden_characters(value, allow_newlines=multiline):
        v.add(field, INVALID_CHARACTERS, f"{label} contains characters that are not allowed.")
        return None
    value = unicodedata.normalize("NFC", value)
    # NFC can (rarely) lengthen a string; the column must still hold it.
    if len(value) > max_length:
        v.add(field, TOO_LONG, f"{label} must be at most {max_length} characters.")
        return None
    return value


def normalize_email(value: str, *, allow_test_domains: bool = False) -> str:
    """The one spelling of an address: trimmed, NFKC, lower case, syntax checked (no DNS).

    Lower-casing the local part is a product decision: one mailbox, one account, whatever the
    capitalization. ``allow_test_domains`` (development) also accepts ``@….test`` and
    dotless domains, which are handy on a workstation and never deliverable in production.
    """
    value = value.strip()
    if len(value) > EMAIL_MAX:
        raise InvalidEmail(f"An email address has at most {EMAIL_MAX} characters.")
    if has_forbidden_characters(value):
        raise InvalidEmail("The email address contains characters that are not allowed.")
    value = unicodedata.normalize("NFKC", value).lower()
    try:
        result = validate_email(
            value,
            check_deliverability=False,
            test_environment=allow_test_domains,
            globally_deliverable=not allow_test_domains,
        )
    except EmailNotValidError as exc:
        raise InvalidEmail(f"This is not a valid email address: {exc}") from exc
    normalized = result.normalized.lower()
    if len(normalized) > EMAIL_MAX:
        raise InvalidEmail(f"An email address has at most {EMAIL_MAX} characters.")
    return normalized


def clean_email(
    v: Validator, field: str, value: str | None, *, allow_test_domains: bool = False
) -> str | None:
    if value is None or not value.strip():
        v.add(field, REQUIRED, "Email is required.")
        return None
    try:
        return normalize_email(value, allow_test_domains=allow_test_domains)
    except InvalidEmail as exc:
        v.add(field, INVALID_EMAIL, str(exc))
        return None


def normalize_country(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code in upper case, or None."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return code if pycountry.countries.get(alpha_2=code) is not None else None


@functools.cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """Every code ``normalize_country`` accepts with its English name, sorted by name: what a
    form offers is exactly what the validation takes."""
    choices = (
        (country.alpha_2, getattr(country, "common_name", country.name))
        for country in pycountry.countries
    )
    return tuple(sorted(choices, key=lambda choice: unicodedata.normalize("NFKD", choice[1])))


def clean_country(v: Validator, field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        v.add(field, REQUIRED, "Country is required.")
        return None
    if len(value) > 16:
        v.add(field, INVALID_COUNTRY, "Country must be an ISO 3166-1 alpha-2 code such as DE.")
        return None
    country = normalize_country(value)
    if country is None:
        v.add(field, INVALID_COUNTRY, "Country must be an ISO 3166-1 alpha-2 code such as DE.")
    return country


def clean_phone(v: Validator, field: str, value: str | None) -> str | None:
    """An optional phone number: digits and the usual separators, 4 to 20 digits."""
    phone = clean_text(v, field, value, label="Phone", max_length=PHONE_MAX, required=False)
    if phone is None:
        return None
    digits = sum(c.isdigit() for c in phone)
    if (
        not phone.isascii()
        or _PHONE.fullmatch(phone) is None
        or not _PHONE_MIN_DIGITS <= digits <= _PHONE_MAX_DIGITS
    ):
        v.add(field, INVALID_PHONE, "Enter a phone number such as +49 30 1234567.")
        return None
    return " ".join(phone.split())


def require_true(v: Validator, field: str, value: bool, code: str, message: str) -> None:
    if value is not True:
        v.add(field, code, message)
