"""What the composition root (server.py) hands the console: no settings object, no database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Secret

CLIENT_ID = "portal-console"
CALLBACK_PATH = "/console/callback"
LOGOUT_PATH = "/console/logout"
SCOPES = "openid profile email offline_access"


@dataclass(frozen=True)
class ConsoleConfig:
    public_url: str
    client_id: str
    client_secret: Secret
    # None: this process's own /graphql, in-process over ASGI.
    api_url: str | None
    secure_cookies: bool
    idle_seconds: int
    absolute_seconds: int
    # The hosted pages' design system: their templates (macros) and stylesheet directory.
    design_templates: Path
    design_static: Path
    assets_path: str = "/assets"

    @property
    def issuer(self) -> str:
        return self.public_url

    @property
    def redirect_uri(self) -> str:
        return self.public_url + CALLBACK_PATH

    @property
    def post_logout_uri(self) -> str:
        return self.public_url + "/"
