"""transferSuperAdmin: the happy path, refused targets, and races that end one way."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import update

from db.models import User
from domain.enums import Role, UserStatus
from runtime import Services
from tests.factories import Actor
from tests.members.support import (
    CHANGE_ROLE,
    DELETE_ORGANIZATION,
    TRANSFER,
    audit_actions,
    create_cast,
    join,
    role_of,
    super_admins,
)
from tests.support.gql import call, codes, error_code, mutate
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink
from tests.support.tokens import mint_access_token


async def transfer(live: LiveServer, actor: Actor, target: Actor | str) -> dict[str, Any]:
    user_id = target if isinstance(target, str) else str(target.user.id)
    return await mutate(live, actor, TRANSFER, userId=user_id)


async def test_the_super_admin_hands_over_to_an_active_admin(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    cast = await create_cast(services)
    org = cast.organization
    old, new = cast.super_admin, cast.admin

    payload = await transfer(live, old, new)
    assert payload["userErrors"] == [], payload
    assert payload["superAdmin"]["user"]["id"] == str(new.user.id)
    assert payload["superAdmin"]["role"] == "SUPER_ADMIN"
    assert payload["previousSuperAdmin"]["user"]["id"] == str(old.user.id)
    assert payload["previousSuperAdmin"]["role"] == "ADMIN"
    assert await super_admins(services, org) == [new.user.id]
    assert await role_of(services, old, org) is Role.ADMIN
    assert "super_admin.transferred" in await audit_actions(services, org)

    # Both people are told.
    (received,) = await smtp.wait_for(new.user.email, subject="You are now the Super Admin")
    assert org.name in received.text and received.html
    (handed,) = await smtp.wait_for(old.user.email, subject="You transferred the Super Admin")
    assert org.name in handed.text

    # The very next request sees the new roles, with the same tokens.
    variables = {"input": {"organizationId": str(org.id), "confirmName": org.name}}
    assert error_code(await call(live, old, DELETE_ORGANIZATION, variables)) == "FORBIDDEN"
    # The old Super Admin's token now carries an ADMIN: transferring again is not theirs to do.
    body = await call(live, old, TRANSFER, {"input": {"userId": str(new.user.id)}})
    assert error_code(body) == "FORBIDDEN"
    fresh = Actor(new.user, org, Role.SUPER_ADMIN, await mint_access_token(services, new.user.id))
    demoted = await mutate(live, fresh, CHANGE_ROLE, userId=str(old.user.id), role="USER")
    assert demoted["userErrors"] == [] and await role_of(services, old, org) is Role.USER


async def test_refused_targets(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = cast.organization
    owner = cast.super_admin
    pending = await join(services, org, Role.ADMIN)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == pending.user.id).values(status=UserStatus.PENDING)
        )
    assert codes(await transfer(live, owner, owner)) == ["CANNOT_TRANSFER_TO_SELF"]
    assert codes(await transfer(live, owner, cast.user)) == ["TARGET_NOT_ADMIN"]
    assert codes(await transfer(live, owner, pending)) == ["TARGET_NOT_ACTIVE"]
    # Not a member here (a technician, someone of another organization, nobody): not found.
    for target in (cast.technician, cast.stranger, str(uuid.uuid4()), "nope"):
        payload = await transfer(live, owner, target)
        assert codes(payload) == ["NOT_FOUND"], payload
        assert payload["userErrors"][0]["field"] == ["input", "userId"]
    # Only the Super Admin may transfer; a stranger does not even find the organization.
    for actor in (cast.admin, cast.user, cast.technician, cast.internal_admin):
        body = await call(
            live,
            actor,
            TRANSFER,
            {"input": {"userId": str(cast.admin.user.id), "organizationId": str(org.id)}},
        )
        assert error_code(body) == "FORBIDDEN", body
    payload = await mutate(
        live, cast.stranger, TRANSFER, userId=str(cast.admin.user.id), organizationId=str(org.id)
    )
    assert codes(payload) == ["NOT_FOUND"]
    assert await super_admins(services, org) == [owner.user.id]


async def test_two_transfers_at_once_leave_one_super_admin(
    live: LiveServer, services: Services
) -> None:
    for _ in range(4):
        cast = await create_cast(services)
        second = await join(services, cast.organization, Role.ADMIN)
        results = await asyncio.gather(
            call(live, cast.super_admin, TRANSFER, {"input": {"userId": str(cast.admin.user.id)}}),
            call(live, cast.super_admin, TRANSFER, {"input": {"userId": str(second.user.id)}}),
        )
        outcomes = [_outcome(body) for body in results]
        assert sorted(outcomes).count("WON") == 1, results
        # The loser either lost inside the transaction or was no Super Admin any more when its
        # request began.
        assert set(outcomes) - {"WON"} <= {"NO_LONGER_SUPER_ADMIN", "FORBIDDEN"}, results
        (winner,) = await super_admins(services, cast.organization)
        assert winner in {cast.admin.user.id, second.user.id}
        assert await role_of(services, cast.super_admin, cast.organization) is Role.ADMIN


async def test_a_transfer_racing_a_role_change_ends_one_way(
    live: LiveServer, services: Services
) -> None:
    for _ in range(4):
        cast = await create_cast(services)
        other_admin = await join(services, cast.organization, Role.ADMIN)
        target = cast.admin
        results = await asyncio.gather(
            call(live, cast.super_admin, TRANSFER, {"input": {"userId": str(target.user.id)}}),
            call(
                live,
                other_admin,
                CHANGE_ROLE,
                {"input": {"userId": str(target.user.id), "role": "USER"}},
            ),
        )
        transfer_outcome, change_outcome = (_outcome(body) for body in results)
        (holder,) = await super_admins(services, cast.organization)
        if transfer_outcome == "WON":
            assert holder == target.user.id
            assert change_outcome in {"CANNOT_CHANGE_SUPER_ADMIN", "FORBIDDEN"}, results
        else:
            assert transfer_outcome == "TARGET_NOT_ADMIN", results
            assert change_outcome == "WON", results
            assert holder == cast.super_admin.user.id
            assert await role_of(services, target, cast.organization) is Role.USER


def _outcome(body: dict[str, Any]) -> str:
    if body.get("errors"):
        return error_code(body)
    (payload,) = body["data"].values()
    errors = payload["userErrors"]
    if not errors:
        return "WON"
    (error,) = errors
    return str(error["code"])
