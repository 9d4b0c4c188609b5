"""Joining as a STEP partner (no token) and the internal admins' review of requests."""

from __future__ import annotations

from typing import Annotated

import strawberry

from db.models import PartnerRequest as PartnerRequestRow
from domain.partners.join import join_as_step_partner
from domain.partners.review import (
    approve_partner_request,
    list_partner_requests,
    reject_partner_request,
)
from kit.pagination import InvalidCursor
from resolvers._payload import run_accepted, run_mutation
from resolvers.context import context_of
from schema.arguments import AFTER, FIRST
from schema.enums import PartnerRequestStatus
from schema.errors import ErrorCode, PortalGraphQLError, UserError
from schema.inputs.signup import JoinAsStepPartnerInput
from schema.payloads import AcceptedPayload, ReviewPartnerRequestPayload
from schema.types.partner_request import PartnerRequest, PartnerRequestConnection


async def partner_request_connection(
    info: strawberry.Info,
    *,
    status: PartnerRequestStatus | None,
    first: int | None,
    after: str | None,
) -> PartnerRequestConnection:
    """The internal admins' request list; reused by ``AdminLanding.pendingPartnerRequests``
    (with ``status=PENDING``). UNAUTHENTICATED without a token, FORBIDDEN for non-admins."""
    ctx = context_of(info)
    principal = await ctx.principal()
    try:
        page = await list_partner_requests(
            ctx.services, principal, status=status, first=first, after=after
        )
    except InvalidCursor as exc:
        raise PortalGraphQLError(
            "`after` is not a cursor from this list.", ErrorCode.BAD_USER_INPUT
        ) from exc
    except ValueError as exc:
        raise PortalGraphQLError("`first` must not be negative.", ErrorCode.BAD_USER_INPUT) from exc
    return PartnerRequestConnection.from_page(page)


async def partner_requests(
    info: strawberry.Info,
    status: Annotated[
        PartnerRequestStatus | None,
        strawberry.argument(description="Only requests in this status; all of them when omitted."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> PartnerRequestConnection:
    return await partner_request_connection(info, status=status, first=first, after=after)


async def join(
    info: strawberry.Info,
    input: Annotated[
        JoinAsStepPartnerInput,
        strawberry.argument(
            description="The information form, the STEP partner code and the two acceptances."
        ),
    ],
) -> AcceptedPayload:
    ctx = context_of(info)
    return await run_accepted(
        lambda: join_as_step_partner(ctx.services, ctx.meta, input.to_domain())
    )


def _reviewed(row: PartnerRequestRow) -> ReviewPartnerRequestPayload:
    return ReviewPartnerRequestPayload(partner_request=PartnerRequest.from_row(row), user_errors=[])


def _review_failed(errors: list[UserError]) -> ReviewPartnerRequestPayload:
    return ReviewPartnerRequestPayload(partner_request=None, user_errors=errors)


async def approve(
    info: strawberry.Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The pending partner request's id.")
    ],
) -> ReviewPartnerRequestPayload:
    ctx = context_of(info)
    principal = await ctx.principal()
    return await run_mutation(
        lambda: approve_partner_request(ctx.services, principal, ctx.meta, str(id)),
        _reviewed,
        _review_failed,
    )


async def reject(
    info: strawberry.Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The pending partner request's id.")
    ],
    reason: Annotated[
        str, strawberry.argument(description="Why it is rejected; emailed to the requester.")
    ],
) -> ReviewPartnerRequestPayload:
    ctx = context_of(info)
    principal = await ctx.principal()
    return await run_mutation(
        lambda: reject_partner_request(ctx.services, principal, ctx.meta, str(id), reason),
        _reviewed,
        _review_failed,
    )


@strawberry.type
class PartnersQuery:
    partner_requests: PartnerRequestConnection = strawberry.field(
        resolver=partner_requests,
        description="Partner requests, oldest first. Internal admins only.",
    )


@strawberry.type
class PartnersMutation:
    join_as_step_partner: AcceptedPayload = strawberry.mutation(
        resolver=join,
        description=(
            '"Join as a STEP Partner": records a request for an internal admin to review. A STEP '
            "code that is unknown, revoked or already used is refused at once (INVALID_STEP_CODE)."
        ),
    )
    approve_partner_request: ReviewPartnerRequestPayload = strawberry.mutation(
        resolver=approve,
        description=(
            "Approve a pending request: creates the partner organization and its Super Admin and "
            "sends the activation email. Internal admins only."
        ),
    )
    reject_partner_request: ReviewPartnerRequestPayload = strawberry.mutation(
        resolver=reject,
        description="Reject a pending request; the reason is emailed. Internal admins only.",
    )
