"""Rendering hosted pages: one Jinja2 environment, autoescaped, with the page headers."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from identity.pages.security import page_headers
from identity.pages.urls import ASSETS_PATH, PAGE_PATHS
from settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"


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

    def render(
        self,
        template: str,
        *,
        title: str,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        html = self._env.get_template(template).render(title=title, **context)
        all_headers = page_headers(self._settings)
        all_headers.update(headers or {})
        return HTMLResponse(html, status_code=status_code, headers=all_headers)

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
