"""graphql-http's server audit (GraphQL-over-HTTP conformance), run by node against the live
server: no errors, no warnings, no notices."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import LiveServer

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "graphql_audit.mjs"

pytestmark = pytest.mark.node


async def audit(live: LiveServer) -> list[dict[str, Any]]:
    process = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        f"{live.url}/graphql",
        cwd=NODE_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    results: list[dict[str, Any]] = json.loads(out)
    assert len(results) > 50  # the whole audit ran
    return results


def failures(results: list[dict[str, Any]]) -> dict[str, str]:
    return {
        r["id"]: f"{r['status']}: {r['name']} ({r.get('reason')})"
        for r in results
        if r["status"] != "ok"
    }


async def test_the_server_passes_the_whole_audit(live: LiveServer) -> None:
    results = await audit(live)
    assert failures(results) == {}


@pytest.mark.parametrize("settings_overrides", [{"env": "production"}])
async def test_in_production_only_the_introspection_audits_fail(live: LiveServer) -> None:
    # These four audits send `{ __type(name: …) { name } }` with variables and expect no errors;
    # production refuses introspection (SECURITY.md), so they cannot pass there. Every other audit
    # still does. (BF61 also uses __type but only checks the status, which is 200.)
    results = await audit(live)
    assert {k: v.split(":")[0] for k, v in failures(results).items()} == {
        "2EA1": "warn",  # SHOULD allow map {variables} … application/graphql-response+json
        "28B9": "error",  # MUST allow map {variables} … application/json
        "D6D5": "notice",  # MAY allow URL-encoded JSON {variables} in GETs …
        "6A70": "notice",
    }
    for reason in failures(results).values():
        assert "errors" in reason or "status code" in reason
