"""``server.py create-client`` and ``server.py rotate-keys``, run as the operator would."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import OAuthClient, SigningKey
from identity.keys import JWKS_FRESH_SECONDS
from identity.oauth.clients import InvalidClientMetadata, validate_redirect_uri
from kit.crypto import sha256_hex
from runtime import Services

ROOT = Path(__file__).resolve().parents[2]


async def run_cli(database_url: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PORTAL_DATABASE_URL": database_url, "PORTAL_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_create_client(database_url: str, services: Services) -> None:
    code, out, err = await run_cli(
        database_url,
        "create-client",
        "--name",
        "Dashboard",
        "--redirect-uri",
        "http://127.0.0.1:3000/callback",
        "--redirect-uri",
        "https://dashboard.example.com/callback",
        "--post-logout-redirect-uri",
        "https://dashboard.example.com/bye",
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    created = json.loads(lines[0])
    assert set(created) == {"client_id", "client_secret"}

    code, out, err = await run_cli(
        database_url,
        "create-client",
        "--name",
        "SPA",
        "--redirect-uri",
        "http://localhost:5173/cb",
        "--public",
        "--third-party",
    )
    assert code == 0, err
    public = json.loads(out)
    assert set(public) == {"client_id"}

    async with services.db.read_session() as session:
        rows = {r.client_id: r for r in (await session.scalars(select(OAuthClient))).all()}
    confidential = rows[created["client_id"]]
    assert confidential.client_secret_hash == sha256_hex(created["client_secret"])
    assert created["client_secret"] not in json.dumps(
        [confidential.redirect_uris, confidential.name, confidential.client_secret_hash]
    )
    assert confidential.first_party and not confidential.public
    assert confidential.post_logout_redirect_uris == ["https://dashboard.example.com/bye"]
    spa = rows[public["client_id"]]
    assert spa.public and not spa.first_party and spa.client_secret_hash is None

    code, out, err = await run_cli(
        database_url, "create-client", "--name", "Bad", "--redirect-uri", "http://example.com/cb"
    )
    assert code == 2 and out == ""
    assert "only for loopback hosts" in err


def test_redirect_uri_rules() -> None:
    for good in (
        "https://app.example.com/cb",
        "http://127.0.0.1:8080/cb",
        "http://[::1]/cb",
        "http://localhost/cb?x=1",
    ):
        assert validate_redirect_uri(good) == good
    for bad in (
        "http://example.com/cb",
        "http://10.0.0.1/cb",
        "ftp://127.0.0.1/cb",
        "https://example.com/cb#x",
        "/relative",
        "https://user:pw@example.com/cb",
        "javascript:alert(1)",
    ):
        with pytest.raises(InvalidClientMetadata):
            validate_redirect_uri(bad)


async def test_rotate_keys(database_url: str, services: Services) -> None:
    before = (await services.keys.jwks())["keys"]
    code, out, err = await run_cli(database_url, "rotate-keys")
    assert code == 0, err
    new_kid = out.strip().rsplit(" ", 1)[-1]
    # No reload by hand: the JWKS endpoint's copy is at most JWKS_FRESH_SECONDS old.
    await asyncio.sleep(JWKS_FRESH_SECONDS)
    kids = [k["kid"] for k in (await services.keys.jwks())["keys"]]
    assert kids[0] == new_kid and set(kids) == {new_kid, before[0]["kid"]}
    # Published at once, signing only once every process has had time to publish it too.
    assert (await services.keys.signing_key()).kid == before[0]["kid"]
    async with services.db.read_session() as session:
        retired = await session.scalar(select(SigningKey).where(SigningKey.kid == before[0]["kid"]))
    assert retired is not None and retired.retired_at is not None
    assert retired.expires_at is not None
    longest = max(
        services.settings.access_token_ttl_seconds, services.settings.id_token_ttl_seconds
    )
    assert (retired.expires_at - retired.retired_at).total_seconds() >= longest
