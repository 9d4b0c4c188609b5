"""The shared validators and the password policy, without a server."""

from __future__ import annotations

import concurrent.futures

import pytest

from domain.accounts import validation as val
from domain.accounts.passwords import PasswordPolicy, check_password, context_words
from domain.errors import Validator


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Ada@Example.COM ", "ada@example.com"),
        # fullwidth forms, as some input methods type them (NFKC folds them)
        ("\uff21\uff24\uff21@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com", "ada@example.com"),
        ("ada+tag@sub.example.co.uk", "ada+tag@sub.example.co.uk"),
        ("jörg@bücher.example", "jörg@bücher.example"),
    ],
)
def test_emails_have_one_spelling(raw: str, normalized: str) -> None:
    assert val.normalize_email(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@localhost",
        "ada@@example.com",
        "ada lovelace@example.com",
        "ada@example.com\r\nBcc: x@example.com",
        f"{'a' * 250}@example.com",
        "ada@example.test",
    ],
)
def test_bad_emails_are_refused(raw: str) -> None:
    with pytest.raises(val.InvalidEmail):
        val.normalize_email(raw)


def test_development_accepts_test_domains() -> None:
    assert val.normalize_email("Ada@Example.TEST", allow_test_domains=True) == "ada@example.test"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("de", "DE"), (" fr ", "FR"), ("US", "US")],
)
def test_countries_are_iso_alpha_2(raw: str, cleaned: str) -> None:
    v = Validator()
    assert val.clean_country(v, "country", raw) == cleaned and not v.errors


@pytest.mark.parametrize("raw", ["XX", "DEU", "Germany", "D", "1A", "ÄB", "ZZ"])
def test_unknown_countries_are_refused(raw: str) -> None:
    v = Validator(("input",))
    assert val.clean_country(v, "country", raw) is None
    assert [(e.code, e.field) for e in v.errors] == [("INVALID_COUNTRY", ("input", "country"))]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("+49 30 1234567", "+49 30 1234567"),
        ("(030) 123-4567", "(030) 123-4567"),
        ("+1 555 0100 ext. 12", "+1 555 0100 ext. 12"),
        ("  +44  20 7946 0958 ", "+44 20 7946 0958"),
    ],
)
def test_phone_numbers(raw: str, cleaned: str) -> None:
    v = Validator()
    assert val.clean_phone(v, "phone", raw) == cleaned and not v.errors


@pytest.mark.parametrize("raw", ["call me", "123", "+49 30 12345678901234567890", "+٤٩ ٣٠ ١٢٣٤٥"])
def test_bad_phone_numbers(raw: str) -> None:
    v = Validator()
    assert val.clean_phone(v, "phone", raw) is None
    assert [e.code for e in v.errors] == ["INVALID_PHONE"]


def test_text_is_trimmed_normalized_and_bounded() -> None:
    v = Validator()
    assert val.clean_text(v, "name", "  Ame\u0301lie ", label="Name", max_length=10) == "Amélie"
    assert val.clean_text(v, "name", "x" * 11, label="Name", max_length=10) is None
    assert val.clean_text(v, "name", "", label="Name", max_length=10) is None
    assert val.clean_text(v, "name", None, label="Name", max_length=10, required=False) is None
    assert [e.code for e in v.errors] == ["TOO_LONG", "REQUIRED"]


def test_only_multiline_text_keeps_newlines() -> None:
    v = Validator()
    assert val.clean_text(v, "r", "a\r\nb", label="R", max_length=9, multiline=True) == "a\nb"
    assert val.clean_text(v, "r", "a\nb", label="R", max_length=9) is None
    assert [e.code for e in v.errors] == ["INVALID_CHARACTERS"]


POLICY = PasswordPolicy()


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "violet rivers hum beneath 7 moons",
        "Grüße aus Köln und ein 🐘",
        "bookmarks are handy in 2024",  # holds "mark", a context word, and is still fine
        "x7#Qm!" * 42 + "abcd",  # 256 characters
    ],
)
def test_good_passwords_pass(password: str) -> None:
    assert check_password(password, policy=POLICY, context=["mark@example.com", "Mark"]) is None


def test_context_words_cover_the_parts_of_an_email() -> None:
    words = context_words("ada.lovelace@example.com", "Acme Surveillance GmbH")
    assert {"ada.lovelace", "lovelace", "acme surveillance gmbh", "surveillance"} <= set(words)


def test_checks_in_threads_do_not_share_their_context() -> None:
    # zxcvbn's own entry point keeps user inputs in a module global; ours must not.
    jobs = [
        ("ada lovelace ada lovelace", ["Ada", "Lovelace"], True),
        ("ada lovelace ada lovelace", ["Bob"], False),
    ] * 20
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda job: check_password(job[0], policy=POLICY, context=job[1]), jobs)
        )
    for (_pw, _ctx, refused), result in zip(jobs, results, strict=True):
        assert (result is not None and result[0] == "PASSWORD_CONTAINS_PERSONAL_INFO") is refused
