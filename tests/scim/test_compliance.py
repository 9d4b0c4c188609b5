"""The peer's compliance checker, scim2-tester, against the live server: no check fails."""

from __future__ import annotations

import asyncio

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.scim.support import create_token
from tests.support.server import LiveServer

FAILED = {Status.ERROR, Status.CRITICAL}


# What must have run and passed (not skipped) for each resource type, Users and Groups: CRUD,
# PATCH, attribute selection.
PASSED = {
    "object_creation",
    "object_query",
    "object_query_without_id",
    "object_replacement",
    "object_deletion",
    "check_add_attribute",
    "check_remove_attribute",
    "check_replace_attribute",
    "search_with_attributes",
}


def _check(base_url: str, token: str) -> tuple[list[str], set[tuple[str, str]]]:
    with httpx2.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as http:
        client = SyncSCIMClient(http)
        client.discover()
        results = check_server(client)
    failures = [f"{r.title}: {r.reason}" for r in results if r.status in FAILED]
    passed = {(str(r.resource_type), str(r.title)) for r in results if r.status is Status.SUCCESS}
    return failures, passed


async def test_scim2_tester_finds_no_failure(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    token = await create_token(live, owner)
    # The checker is synchronous; the server runs in this event loop.
    failures, passed = await asyncio.to_thread(_check, live.url + "/scim/v2", token)
    assert failures == [], "\n".join(failures)
    for resource_type in ("User", "Group"):
        missing = {title for title in PASSED if (resource_type, title) not in passed}
        assert not missing, (resource_type, missing)
