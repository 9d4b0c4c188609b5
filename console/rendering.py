"""Console pages: the hosted pages' design system (their macros and portal.css) plus the
console's own layout and stylesheet; the same strict headers (no script, no inline style)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from starlette.responses import HTMLResponse

from console.config import ConsoleConfig

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_PATH = "/console/assets"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _versions(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        for p in directory.iterdir()
        if p.is_file()
    }


class Renderer:
    def __init__(self, config: ConsoleConfig) -> None:
        self._config = config
        self._env = Environment(
            loader=ChoiceLoader(
                [
                    FileSystemLoader(str(TEMPLATES)),
                    PrefixLoader({"design": FileSystemLoader(str(config.design_templates))}),
                ]
            ),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        design = _versions(config.design_static)
        own = _versions(STATIC)

        def asset(name: str) -> str:
            if name in own:
                return f"{STATIC_PATH}/{name}?v={own[name]}"
            return f"{config.assets_path}/{name}?v={design[name]}"

        # A filter: ``{{ 'portal.css'|asset }}`` is computed once, when the template compiles
        # (identity/pages/rendering.py).
        self._env.filters["asset"] = asset

    def headers(self) -> dict[str, str]:
        headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        if self._config.secure_cookies:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return headers

    def render(self, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self._env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status_code, headers=self.headers())
