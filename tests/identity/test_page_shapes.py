"""identity/pages/rendering.py: a page rendered from its shape (``varying``) is byte for byte the
page Jinja renders in full, whatever the varying values hold — markup to escape, quotes, non-ASCII,
empty or missing — and whichever of them are set. No database: the pages only."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from identity.pages.login import LOGIN_VARYING
from identity.pages.rendering import MAX_SHAPES, Pages
from identity.pages.two_factor import PASSKEY_HEADERS
from settings import Settings

# Values a form shows back: what the visitor typed, a token, a return address.
SAMPLES: dict[str, list[Any]] = {
    "csrf_token": ["draft.1765000000.9f2c", "a\"b<c>&d'e"],
    "return_to": [None, "", "/oauth/authorize?client_id=x&scope=openid%20email&state=<s>"],
    "email": ["", "Zoë@example.test", '"><script>alert(1)</script>'],
    "error": [None, "The email or password is incorrect.", "<b>&amp;</b>"],
    "passkey_error": [None, "That passkey is not registered here."],
    "notice": [None, "Check your inbox & sign in."],
}


def _full(pages: Pages, context: dict[str, Any]) -> str:
    return bytes(pages.render("login.html", title="Sign in", **context).body).decode()


def _shaped(pages: Pages, context: dict[str, Any]) -> str:
    response = pages.render(
        "login.html", title="Sign in", headers=PASSKEY_HEADERS, varying=LOGIN_VARYING, **context
    )
    return bytes(response.body).decode()


@pytest.fixture(scope="module")
def pages() -> Pages:
    return Pages(Settings(database_url="sqlite+aiosqlite:///unused.db"))


def test_every_combination_renders_as_jinja_does(pages: Pages) -> None:
    names = list(SAMPLES)
    combinations = list(itertools.product(*(SAMPLES[name] for name in names)))
    assert len(combinations) > 100
    for values in combinations:
        context = dict(zip(names, values, strict=True))
        assert _shaped(pages, context) == _full(pages, context), context


def test_a_shape_is_rendered_once_and_filled_per_request() -> None:
    pages = Pages(Settings(database_url="sqlite+aiosqlite:///unused.db"))
    first = {"csrf_token": "one", "return_to": None, "email": "", "error": None}
    second = {**first, "csrf_token": "two"}
    extra = {"passkey_error": None, "notice": None}
    assert 'value="one"' in _shaped(pages, {**first, **extra})
    assert len(pages._shapes) == 1
    assert 'value="two"' in _shaped(pages, {**second, **extra})
    assert len(pages._shapes) == 1
    # Setting another value is another shape (the template tests it).
    _shaped(pages, {**second, **extra, "error": "wrong"})
    assert len(pages._shapes) == 2


def test_a_value_the_template_transforms_cannot_be_varying(pages: Pages) -> None:
    """The rule ``varying`` relies on, checked against a page that breaks it: a value written
    through a filter does not round-trip (which is why the test above matters)."""
    template = pages._env.from_string("<p>{{ name|upper }}</p>")
    assert pages._shaped(template, "t", ("name",), {"name": "zoë"}) != "<p>ZOË</p>"


def test_shapes_are_bounded() -> None:
    pages = Pages(Settings(database_url="sqlite+aiosqlite:///unused.db"))
    template = pages._env.from_string("<p>{{ fixed }} {{ name }}</p>")
    for n in range(MAX_SHAPES * 3):
        html = pages._shaped(template, "t", ("name",), {"fixed": f"f{n}", "name": "x"})
        assert html == f"<p>f{n} x</p>"
    assert len(pages._shapes) <= MAX_SHAPES


def test_unset_values_of_other_types_are_other_shapes() -> None:
    pages = Pages(Settings(database_url="sqlite+aiosqlite:///unused.db"))
    template = pages._env.from_string("<p>{{ count }}</p>")
    for value in (0, False, "", None):
        assert pages._shaped(template, "t", ("count",), {"count": value}) == template.render(
            count=value
        )
