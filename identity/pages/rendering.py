"""Rendering hosted pages: one Jinja2 environment, autoescaped, with the page headers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import escape
from starlette.responses import HTMLResponse

from identity.pages.security import page_headers
from identity.pages.urls import ASSETS_PATH, PAGE_PATHS
from settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

# Stands for the n-th varying value while a page's shape is rendered (``Pages.render``): private-use
# characters no template writes, which HTML escaping leaves alone.
_SLOT = re.compile("\ue000(\\d+)\ue001")


# Shapes kept per process: a page has a handful (which optional values are set); the bound only
# matters should a caller pass something unbounded among a page's fixed values.
MAX_SHAPES = 128


def _slot(number: int) -> str:
    return f"\ue000{number}\ue001"


class _Shape:
    """A page rendered once with stand-ins for its varying values: the text between them, and
    which value goes in each gap."""

    __slots__ = ("gaps", "texts")

    def __init__(self, html: str) -> None:
        parts = _SLOT.split(html)
        self.texts = parts[::2]
        self.gaps = [int(number) for number in parts[1::2]]

    def fill(self, values: Sequence[Any]) -> str:
        texts = self.texts
        out = [texts[0]]
        for gap, text in zip(self.gaps, texts[1:], strict=True):
            out.append(escape(values[gap]))
            out.append(text)
        return "".join(out)


def _asset_versions() -> dict[str, str]:
    # A content hash in the URL lets browsers cache the stylesheet and still see a new one.
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in STATIC_DIR.iterdir()
        if path.is_file()
    }


class Pages:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._env = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        versions = _asset_versions()
        # Filters, not functions: ``{{ 'login'|url }}`` has a constant argument and a pure filter,
        # so Jinja computes it when it compiles the template, not on every render.
        self._env.filters["url"] = lambda name: PAGE_PATHS[name]
        self._env.filters["asset"] = lambda name: f"{ASSETS_PATH}/{name}?v={versions[name]}"
        self._shapes: dict[Hashable, _Shape] = {}

    def render(
        self,
        template: str,
        *,
        title: str,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        varying: Sequence[str] = (),
        **context: Any,
    ) -> HTMLResponse:
        """``template`` with ``context``. The values named in ``varying`` (a form's CSRF token,
        what the visitor typed) must be written only as escaped text and tested only for
        truth: the page is then rendered once per shape — the other values, and which varying
        ones are set — and each request only fills the gaps (``_shaped``)."""
        page = self._env.get_template(template)
        html = (
            self._shaped(page, title, varying, context)
            if varying
            else page.render(title=title, **context)
        )
        all_headers = page_headers(self._settings)
        all_headers.update(headers or {})
        return HTMLResponse(html, status_code=status_code, headers=all_headers)

    def _shaped(
        self, page: Template, title: str, varying: Sequence[str], context: dict[str, Any]
    ) -> str:
        """What ``page.render`` answers, from the page's shape: a login form's Jinja render (its
        macros, blocks and the layout around them) cost more CPU than the rest of the request.
        A value that is not set (None, "") is part of the shape as it is; a set one is a gap,
        escaped as Jinja's autoescape does (tests/identity/test_page_shapes.py compares)."""
        values = [context[name] for name in varying]
        fixed = tuple(sorted((k, v) for k, v in context.items() if k not in varying))
        # An unset value by type too: 0 and False are equal keys but render differently.
        unset = tuple((type(value), value) if not value else True for value in values)
        key = (page, title, fixed, unset)
        try:
            shape = self._shapes.get(key)
        except TypeError:  # an unhashable fixed value: rendered in full
            return page.render(title=title, **context)
        if shape is None:
            stand_ins = {
                name: _slot(number) if value else value
                for number, (name, value) in enumerate(zip(varying, values, strict=True))
            }
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            shape = self._shapes[key] = _Shape(page.render(title=title, **{**context, **stand_ins}))
        return shape.fill(values)

    def message(
        self,
        title: str,
        *paragraphs: str,
        status_code: int = 200,
        link: tuple[str, str] | None = None,
    ) -> HTMLResponse:
        """A simple page: a title, a few sentences, perhaps one button-link (label, href)."""
        return self.render(
            "message.html",
            title=title,
            status_code=status_code,
            paragraphs=list(paragraphs),
            link={"label": link[0], "href": link[1]} if link else None,
        )
