"""GraphiQL in development, from the project's own files (web/static/graphiql/): strawberry's
page with every unpkg URL replaced by ``/graphiql-assets/…`` (the ``integrity`` hashes stay: the
bytes are the same), served with a CSP that allows scripts from this origin and the page's own
inline script by its hash — nothing from elsewhere.

Signed in: the page's Headers tab (or ``/graphql?headers=…``, URL-encoded) takes
``{"Authorization": "Bearer <access token>"}`` (README: "GraphiQL").
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from strawberry.http.ides import get_graphql_ide_html

ASSETS_PATH = "/graphiql-assets"
ASSETS_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
_CDN = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom.production.min.js"
    ),
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "plugin-explorer.umd.js"
    ),
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def local_graphiql() -> tuple[str, str]:
    """(the page, its Content-Security-Policy). Raises when the template asks a CDN for a file
    this project does not hold."""
    html = get_graphql_ide_html()
    for url, name in _CDN.items():
        html = html.replace(url, f"{ASSETS_PATH}/{name}")
    left = sorted(set(re.findall(r"https?://unpkg\.com[^\"']*", html)))
    if left:
        raise RuntimeError(f"GraphiQL asks a CDN for {left}: vendor them in {ASSETS_DIR}")
    scripts = " ".join(_hash(s) for s in _INLINE_SCRIPT.findall(html))
    csp = (
        f"default-src 'none'; script-src 'self' {scripts}; "
        # GraphiQL's editors set style attributes and add <style> elements as they run.
        f"style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        f"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html, csp


def graphiql_assets() -> Mount:
    return Mount(ASSETS_PATH, app=StaticFiles(directory=str(ASSETS_DIR)), name="graphiql-assets")
