"""GraphQL documents and helpers shared by the members tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.models import AuditEvent, Membership, Organization
from domain.enums import Role
from runtime import Services
from tests.factories import Actor, create_actor
from tests.support.gql import USER_ERRORS
from tests.support.roles import Cast, create_cast

__all__ = ["Cast", "create_cast"]

MEMBER = "id role joinedAt status user { id email firstName lastName status }"
INVITATION = """
  id email role status invitedAt expiresAt acceptedAt cancelledAt
  invitedBy { id email } organization { id name }
"""

MEMBERS = f"""
query($org: ID, $first: Int, $after: String, $search: String, $role: Role) {{
  members(organizationId: $org, first: $first, after: $after, search: $search, role: $role) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ {MEMBER} }} }}
  }}
}}
"""
INVITATIONS = f"""
query($org: ID, $status: InvitationStatus, $first: Int, $after: String) {{
  invitations(organizationId: $org, status: $status, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ cursor node {{ {INVITATION} }} }}
  }}
}}
"""
INVITE = f"""
mutation($input: InviteMemberInput!) {{
  inviteMember(input: $input) {{ invitation {{ {INVITATION} }} member {{ {MEMBER} }} {USER_ERRORS} }}
}}
"""
RESEND = f"""
mutation($input: ResendInvitationInput!) {{
  resendInvitation(input: $input) {{
    invitation {{ {INVITATION} }} member {{ {MEMBER} }} {USER_ERRORS}
  }}
}}
"""
CANCEL = f"""
mutation($input: CancelInvitationInput!) {{
  cancelInvitation(input: $input) {{ invitation {{ {INVITATION} }} {USER_ERRORS} }}
}}
"""
CHANGE_ROLE = f"""
mutation($input: ChangeMemberRoleInput!) {{
  changeMemberRole(input: $input) {{ member {{ {MEMBER} }} {USER_ERRORS} }}
}}
"""
REMOVE = f"""
mutation($input: RemoveMemberInput!) {{
  removeMember(input: $input) {{ removedUserId {USER_ERRORS} }}
}}
"""
LEAVE = f"""
mutation($input: LeaveOrganizationInput!) {{
  leaveOrganization(input: $input) {{ leftOrganizationId {USER_ERRORS} }}
}}
"""
TRANSFER = f"""
mutation($input: TransferSuperAdminInput!) {{
  transferSuperAdmin(input: $input) {{
    superAdmin {{ {MEMBER} }} previousSuperAdmin {{ {MEMBER} }} {USER_ERRORS}
  }}
}}
"""
DELETE_ORGANIZATION = f"""
mutation($input: DeleteOrganizationInput!) {{
  deleteOrganization(input: $input) {{
    deletedOrganizationId
    remaining {{ otherMembers devices licenses pendingInvitations partnerMappings }}
    {USER_ERRORS}
  }}
}}
"""
MY_INVITATIONS = f"query {{ myInvitations {{ {INVITATION} }} }}"
ACCEPT = f"""
mutation($input: AcceptInvitationInput!) {{
  acceptInvitation(input: $input) {{
    invitation {{ {INVITATION} }} member {{ {MEMBER} }} {USER_ERRORS}
  }}
}}
"""
DECLINE = f"""
mutation($input: DeclineInvitationInput!) {{
  declineInvitation(input: $input) {{ invitation {{ {INVITATION} }} {USER_ERRORS} }}
}}
"""
VIEWER = "query { viewer { user { id } organization { id } role organizations { id } } }"


async def role_of(
    services: Services, actor: Actor | Any, organization: Organization
) -> Role | None:
    user_id = actor.user.id if isinstance(actor, Actor) else actor
    async with services.db.read_session() as session:
        role: Role | None = await session.scalar(
            select(Membership.role).where(
                Membership.user_id == user_id, Membership.organization_id == organization.id
            )
        )
    return role


async def super_admins(services: Services, organization: Organization) -> list[Any]:
    async with services.db.read_session() as session:
        return list(
            await session.scalars(
                select(Membership.user_id).where(
                    Membership.organization_id == organization.id,
                    Membership.role == Role.SUPER_ADMIN,
                )
            )
        )


async def audit_actions(services: Services, organization: Organization) -> list[str]:
    async with services.db.read_session() as session:
        return list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.organization_id == organization.id)
                .order_by(AuditEvent.id)
            )
        )


async def audit_count(services: Services, action: str) -> int:
    async with services.db.read_session() as session:
        count = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
    return int(count or 0)


async def join(services: Services, organization: Organization, role: Role) -> Actor:
    """Another member of ``organization`` with a token."""
    return await create_actor(services, role=role, organization=organization)


def activation_link(text: str) -> tuple[str, str]:
    """The link token and the code of an activation or invitation email's text part."""
    import re

    text = text.replace("\r\n", "\n")
    token = re.search(r"/activate\?token=([A-Za-z0-9_\-]+)", text)
    code = re.search(r"^Activation code: ([A-Z0-9]+)$", text, re.M)
    assert token and code, text
    return token.group(1), code.group(1)
