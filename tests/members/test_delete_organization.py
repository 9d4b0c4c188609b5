"""deleteOrganization: only the Super Admin, only once the organization is empty."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update

from db.models import (
    AuditEvent,
    Device,
    Invitation,
    License,
    Organization,
    PartnerMapping,
    StepPartnerCode,
)
from domain.enums import (
    InvitationStatus,
    OrganizationType,
    PartnerMappingStatus,
    Role,
    StepCodeStatus,
)
from domain.partners.repository import step_code_in_use
from kit.clock import utcnow
from runtime import Services
from tests.factories import create_actor, create_device, create_license, unique_email
from tests.members.support import (
    CANCEL,
    DELETE_ORGANIZATION,
    MEMBERS,
    REMOVE,
    VIEWER,
    audit_actions,
    create_cast,
)
from tests.support.gql import call, codes, error_code, mutate
from tests.support.server import LiveServer


async def test_refused_while_not_empty_then_deleted(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)  # an admin, a user, and a technician's active mapping
    org = cast.organization
    async with services.db.unit_of_work() as session:
        await create_device(session, org)
        license, _ = await create_license(session, organization=org)
        invitation = Invitation(
            organization_id=org.id,
            email=unique_email("invitee"),
            role=Role.USER,
            invited_by_id=cast.super_admin.user.id,
            status=InvitationStatus.PENDING,
            expires_at=utcnow() + timedelta(days=7),
        )
        session.add(invitation)
    owner = cast.super_admin

    async def attempt() -> dict[str, Any]:
        return await mutate(
            live, owner, DELETE_ORGANIZATION, organizationId=str(org.id), confirmName=org.name
        )

    payload = await attempt()
    assert codes(payload) == ["ORGANIZATION_NOT_EMPTY"], payload
    assert payload["remaining"] == {
        "otherMembers": 2,
        "devices": 1,
        "licenses": 1,
        "pendingInvitations": 1,
        "partnerMappings": 1,
    }
    message = payload["userErrors"][0]["message"]
    for part in ("2 other members", "1 device", "1 license", "1 pending invitation"):
        assert part in message, message

    # Empty it, one thing at a time; each step still refuses until the last.
    for member in (cast.admin, cast.user):
        assert (await mutate(live, owner, REMOVE, userId=str(member.user.id)))["userErrors"] == []
    assert (await mutate(live, owner, CANCEL, invitationId=str(invitation.id)))["userErrors"] == []
    async with services.db.unit_of_work() as session:
        await session.execute(delete(Device).where(Device.organization_id == org.id))
        # An expired license is worth nothing: it does not keep the organization.
        past = utcnow() - timedelta(days=1)
        await session.execute(
            update(License)
            .where(License.id == license.id)
            .values(activated_at=past - timedelta(days=365), expires_at=past)
        )
    payload = await attempt()
    assert payload["remaining"] == {
        "otherMembers": 0,
        "devices": 0,
        "licenses": 0,
        "pendingInvitations": 0,
        "partnerMappings": 1,
    }
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(PartnerMapping)
            .where(PartnerMapping.customer_organization_id == org.id)
            .values(status=PartnerMappingStatus.ENDED, ended_at=utcnow())
        )

    payload = await attempt()
    assert payload == {
        "deletedOrganizationId": str(org.id),
        "remaining": None,
        "userErrors": [],
    }
    async with services.db.read_session() as session:
        row = await session.scalar(select(Organization).where(Organization.id == org.id))
    assert row is not None and row.deleted_at is not None  # soft: the record stays
    assert "organization.deleted" in await audit_actions(services, org)

    # Gone from every path: the owner's token reaches nothing, internal admins find nothing.
    assert error_code(await live.graphql(VIEWER, token=owner.token)) == "FORBIDDEN"
    body = await call(live, cast.internal_admin, MEMBERS, {"org": str(org.id)})
    assert error_code(body) == "NOT_FOUND"
    # And deleting it again finds nothing either.
    again = await mutate(
        live,
        cast.internal_admin,
        DELETE_ORGANIZATION,
        organizationId=str(org.id),
        confirmName=org.name,
    )
    assert codes(again) == ["NOT_FOUND"]


async def test_only_the_super_admin_with_the_name(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    org = cast.organization
    variables = {"input": {"organizationId": str(org.id), "confirmName": org.name}}
    for actor in (cast.admin, cast.user, cast.technician, cast.internal_admin):
        body = await call(live, actor, DELETE_ORGANIZATION, variables)
        assert error_code(body) == "FORBIDDEN", body
    foreign = await mutate(
        live, cast.stranger, DELETE_ORGANIZATION, organizationId=str(org.id), confirmName=org.name
    )
    missing = await mutate(
        live,
        cast.stranger,
        DELETE_ORGANIZATION,
        organizationId=str(uuid.uuid4()),
        confirmName=org.name,
    )
    assert foreign == missing and codes(foreign) == ["NOT_FOUND"]

    # An empty organization, but the wrong name.
    lonely = cast.stranger
    for wrong in ("", lonely.organization.name.upper() + "x", "something else"):
        payload = await mutate(
            live,
            lonely,
            DELETE_ORGANIZATION,
            organizationId=str(lonely.organization.id),
            confirmName=wrong,
        )
        assert codes(payload) == ["CONFIRMATION_MISMATCH"], payload
        assert payload["userErrors"][0]["field"] == ["input", "confirmName"]
    payload = await mutate(
        live,
        lonely,
        DELETE_ORGANIZATION,
        organizationId=str(lonely.organization.id),
        confirmName=f"  {lonely.organization.name} ",
    )
    assert payload["userErrors"] == [] and payload["deletedOrganizationId"]


async def test_a_deleted_partner_releases_its_step_code(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(
        services, role=Role.SUPER_ADMIN, organization_type=OrganizationType.PARTNER
    )
    async with services.db.unit_of_work() as session:
        code = StepPartnerCode(
            code=f"STEP-{uuid.uuid4().hex[:8].upper()}", status=StepCodeStatus.ACTIVE
        )
        session.add(code)
        await session.flush()
        await session.execute(
            update(Organization)
            .where(Organization.id == owner.organization.id)
            .values(step_code_id=code.id)
        )
        assert await step_code_in_use(session, code.id)
    payload = await mutate(
        live,
        owner,
        DELETE_ORGANIZATION,
        organizationId=str(owner.organization.id),
        confirmName=owner.organization.name,
    )
    assert payload["userErrors"] == [], payload
    async with services.db.read_session() as session:
        assert not await step_code_in_use(session, code.id)
        event = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "organization.deleted",
                AuditEvent.organization_id == owner.organization.id,
            )
        )
    assert event is not None and event.details["step_code_id"] == str(code.id)
    assert event.details["type"] == "PARTNER"
