"""The login looks accounts up under the spelling sign-up stored them with."""

from __future__ import annotations

import pytest

from domain.accounts.validation import normalize_email as stored_spelling
from domain.login.service import normalize_email


@pytest.mark.parametrize(
    "typed",
    [
        "  Ada.Lovelace+Portal@Example.COM ",
        "user@EXAMPLE.test",
        "a.b-c_d@sub.Example.org",
        "ÜBER@Bücher.example",
        "\uff46\uff55\uff4c\uff4c@example.com",  # full-width letters (NFKC folds them)
        "Zoë.Ünal@example.com",
    ],
)
def test_login_spelling_matches_the_stored_one(typed: str) -> None:
    assert normalize_email(typed) == stored_spelling(typed, allow_test_domains=True)


def test_invalid_addresses_are_looked_up_as_typed() -> None:
    assert normalize_email("not an email") == "not an email"
    assert normalize_email("x\x00@example.com") == "x\x00@example.com"
