"""Members and invitations over GraphQL: arguments -> one domain call -> schema types.

Queries act in the viewer's working organization unless given ``organizationId``; every mutation
runs in one unit of work (``inviteMember``/``resendInvitation`` open theirs inside the service:
they need the server's code key first), and expected failures become ``userErrors``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.members import acceptance, invitations
from domain.members import service as members_service
from kit.clock import utcnow
from resolvers._payload import mutate
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.context import context_of
from schema.enums import InvitationStatus
from schema.paging import page_args
from schema.relay import make_connection
from schema.types.members import (
    AcceptInvitationInput,
    AcceptInvitationPayload,
    CancelInvitationInput,
    CancelInvitationPayload,
    ChangeMemberRoleInput,
    ChangeMemberRolePayload,
    DeclineInvitationInput,
    DeclineInvitationPayload,
    Invitation,
    InvitationConnection,
    InviteMemberInput,
    InviteMemberPayload,
    LeaveOrganizationInput,
    LeaveOrganizationPayload,
    Member,
    MemberConnection,
    RemoveMemberInput,
    RemoveMemberPayload,
    ResendInvitationInput,
    ResendInvitationPayload,
    TransferSuperAdminInput,
    TransferSuperAdminPayload,
    members,
)

# --- queries -----------------------------------------------------------------------------------


async def invitations_list(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    status: Annotated[
        InvitationStatus | None,
        strawberry.argument(
            description="Only invitations in this status; the outstanding ones (PENDING and EXPIRED) when omitted."
        ),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> InvitationConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    now = utcnow()
    db = ctx.services.db
    async with db.read_session() as session:
        where = await members_service.invitation_filter(
            session, principal, organization_id=organization_id, status=status, now=now
        )
        rows = await members_service.list_invitations(session, where, page)

    async def count() -> int:
        async with db.read_session() as session:
            return await members_service.count_invitations(session, where)

    return make_connection(
        InvitationConnection, rows, lambda row: Invitation.from_row(row, now), count
    )


async def my_invitations(info: strawberry.Info) -> list[Invitation]:
    ctx = context_of(info)
    principal = await ctx.principal()
    now = utcnow()
    async with ctx.services.db.read_session() as session:
        rows = await members_service.my_invitations(session, principal, now)
    return [Invitation.from_row(row, now) for row in rows]


@strawberry.type
class MemberQuery:
    members: MemberConnection = strawberry.field(
        resolver=members,
        description=(
            "The organization's members in the order they joined; `search` matches email and "
            "names, `role` filters."
        ),
    )
    invitations: InvitationConnection = strawberry.field(
        resolver=invitations_list,
        description=(
            "Invitations into the organization. Without `status`: the outstanding ones "
            "(PENDING and EXPIRED); with it, only that status."
        ),
    )
    my_invitations: list[Invitation] = strawberry.field(
        resolver=my_invitations,
        description=(
            "Invitations waiting for your answer (acceptInvitation / declineInvitation), oldest "
            "first, with the inviting organization and person."
        ),
    )


# --- mutations ---------------------------------------------------------------------------------


async def invite_member(
    info: strawberry.Info,
    input: Annotated[
        InviteMemberInput,
        strawberry.argument(
            description="Whom to invite, with which role, into which organization."
        ),
    ],
) -> InviteMemberPayload:
    ctx = context_of(info)

    # The service opens its own unit of work (it reads the server secret that keys the code first).
    async def use_case(principal: Principal) -> InviteMemberPayload:
        result = await invitations.invite_member(
            ctx.services,
            principal,
            email=input.email,
            role=input.role,
            organization_id=input.organization_id,
            first_name=input.first_name,
            last_name=input.last_name,
            meta=ctx.meta,
        )
        return InviteMemberPayload(invitation=Invitation.from_row(result.invitation, utcnow()))

    return await mutate(info, InviteMemberPayload, use_case, unit_of_work=False)


async def resend_invitation(
    info: strawberry.Info,
    input: Annotated[
        ResendInvitationInput, strawberry.argument(description="The invitation to send again.")
    ],
) -> ResendInvitationPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ResendInvitationPayload:
        result = await invitations.resend_invitation(
            ctx.services, principal, invitation_id=input.invitation_id, meta=ctx.meta
        )
        return ResendInvitationPayload(invitation=Invitation.from_row(result.invitation, utcnow()))

    return await mutate(info, ResendInvitationPayload, use_case, unit_of_work=False)


async def cancel_invitation(
    info: strawberry.Info,
    input: Annotated[
        CancelInvitationInput, strawberry.argument(description="The invitation to withdraw.")
    ],
) -> CancelInvitationPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CancelInvitationPayload:
        row = await invitations.cancel_invitation(
            session, principal, invitation_id=input.invitation_id, meta=meta
        )
        return CancelInvitationPayload(invitation=Invitation.from_row(row, utcnow()))

    return await mutate(info, CancelInvitationPayload, use_case)


async def accept_invitation(
    info: strawberry.Info, input: AcceptInvitationInput
) -> AcceptInvitationPayload:
    ctx = context_of(info)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> AcceptInvitationPayload:
        done = await acceptance.accept_invitation(
            session,
            principal,
            invitation_id=input.invitation_id,
            max_customer_organizations=ctx.settings.max_customer_organizations_per_user,
            meta=meta,
        )
        row = await members_service.member_row(session, done.membership.id)
        return AcceptInvitationPayload(
            invitation=Invitation.from_row(done.invitation, utcnow()), member=Member.from_row(row)
        )

    return await mutate(info, AcceptInvitationPayload, use_case)


async def decline_invitation(
    info: strawberry.Info, input: DeclineInvitationInput
) -> DeclineInvitationPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DeclineInvitationPayload:
        row = await acceptance.decline_invitation(
            session, principal, invitation_id=input.invitation_id, meta=meta
        )
        return DeclineInvitationPayload(invitation=Invitation.from_row(row, utcnow()))

    return await mutate(info, DeclineInvitationPayload, use_case)


async def change_member_role(
    info: strawberry.Info,
    input: Annotated[
        ChangeMemberRoleInput, strawberry.argument(description="The member and the new role.")
    ],
) -> ChangeMemberRolePayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> ChangeMemberRolePayload:
        row = await members_service.change_member_role(
            session,
            principal,
            user_id=input.user_id,
            role=input.role,
            organization_id=input.organization_id,
            meta=meta,
        )
        return ChangeMemberRolePayload(member=Member.from_row(row))

    return await mutate(info, ChangeMemberRolePayload, use_case)


async def remove_member(
    info: strawberry.Info,
    input: Annotated[RemoveMemberInput, strawberry.argument(description="The member to remove.")],
) -> RemoveMemberPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RemoveMemberPayload:
        user_id = await members_service.remove_member(
            session,
            principal,
            user_id=input.user_id,
            organization_id=input.organization_id,
            meta=meta,
        )
        return RemoveMemberPayload(removed_user_id=strawberry.ID(str(user_id)))

    return await mutate(info, RemoveMemberPayload, use_case)


async def leave_organization(
    info: strawberry.Info,
    input: Annotated[
        LeaveOrganizationInput, strawberry.argument(description="The organization to leave.")
    ],
) -> LeaveOrganizationPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> LeaveOrganizationPayload:
        organization_id = await members_service.leave_organization(
            session, principal, organization_id=input.organization_id, meta=meta
        )
        return LeaveOrganizationPayload(left_organization_id=strawberry.ID(str(organization_id)))

    return await mutate(info, LeaveOrganizationPayload, use_case)


async def transfer_super_admin(
    info: strawberry.Info,
    input: Annotated[
        TransferSuperAdminInput,
        strawberry.argument(description="The active ADMIN who becomes Super Admin."),
    ],
) -> TransferSuperAdminPayload:
    ctx = context_of(info)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> TransferSuperAdminPayload:
        done = await members_service.transfer_super_admin(
            session,
            principal,
            settings=ctx.settings,
            user_id=input.user_id,
            organization_id=input.organization_id,
            meta=meta,
        )
        return TransferSuperAdminPayload(
            super_admin=Member.from_row(done.super_admin),
            previous_super_admin=Member.from_row(done.previous_super_admin),
        )

    return await mutate(info, TransferSuperAdminPayload, use_case)


@strawberry.type
class MemberMutation:
    invite_member: InviteMemberPayload = strawberry.mutation(
        resolver=invite_member,
        description=(
            "Invite an email as ADMIN or USER: an offer, valid 7 days. A new email gets an "
            "activation email (link and code) and joins when it activates through it; an "
            "existing account is asked (by email, and in its myInvitations) and joins only if it "
            "accepts. The answer is the same whatever the email."
        ),
    )
    resend_invitation: ResendInvitationPayload = strawberry.mutation(
        resolver=resend_invitation,
        description="Send a pending (or expired) invitation again, valid 7 more days.",
    )
    cancel_invitation: CancelInvitationPayload = strawberry.mutation(
        resolver=cancel_invitation, description="Withdraw a pending invitation."
    )
    accept_invitation: AcceptInvitationPayload = strawberry.mutation(
        resolver=accept_invitation,
        description="Join the organization of one of your pending invitations, with its role.",
    )
    decline_invitation: DeclineInvitationPayload = strawberry.mutation(
        resolver=decline_invitation, description="Say no to one of your pending invitations."
    )
    change_member_role: ChangeMemberRolePayload = strawberry.mutation(
        resolver=change_member_role,
        description="Make a member ADMIN or USER (the Super Admin role moves only by transfer).",
    )
    remove_member: RemoveMemberPayload = strawberry.mutation(
        resolver=remove_member,
        description=(
            "Remove a member; their access ends with their next request. The Super Admin "
            "cannot be removed (transfer the role first)."
        ),
    )
    leave_organization: LeaveOrganizationPayload = strawberry.mutation(
        resolver=leave_organization,
        description="End your own membership (not as Super Admin: transfer the role first).",
    )
    transfer_super_admin: TransferSuperAdminPayload = strawberry.mutation(
        resolver=transfer_super_admin,
        description=(
            "Super Admin only: hand the Super Admin role to an active ADMIN; you become ADMIN."
        ),
    )
