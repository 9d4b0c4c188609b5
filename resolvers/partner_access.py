"""Time-bound partner access over GraphQL (domain.partners.access): the customer changes its
partner's grant and answers extension requests; the partner asks for one. Each mutation is one
unit of work; expected failures are userErrors (resolvers._payload)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.partners import access
from resolvers._payload import in_unit_of_work, run_mutation
from resolvers.context import context_of
from resolvers.partner_mappings import PartnerMappingPayload, mapping_failed, mapping_payload
from schema.inputs.partners import (
    PartnerMappingInput,
    RequestPartnerAccessExtensionInput,
    UpdatePartnerAccessInput,
)


async def update_partner_access(
    info: strawberry.Info,
    input: Annotated[
        UpdatePartnerAccessInput,
        strawberry.argument(description="The mapping and the grant's new scope or end date."),
    ],
) -> PartnerMappingPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: access.update_access(
            s,
            p,
            mapping_id=input.mapping_id,
            scope=input.access_scope,
            expires_at=input.access_expires_at,
            meta=m,
        ),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


async def request_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[
        RequestPartnerAccessExtensionInput,
        strawberry.argument(description="The mapping and the end date asked for."),
    ],
) -> PartnerMappingPayload:
    settings = context_of(info).settings
    run = await in_unit_of_work(
        info,
        lambda s, p, m: access.request_extension(
            s, settings, p, mapping_id=input.mapping_id, until=input.until, meta=m
        ),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


async def _answer(info: strawberry.Info, mapping_id: str, approve: bool) -> PartnerMappingPayload:
    settings = context_of(info).settings
    run = await in_unit_of_work(
        info,
        lambda s, p, m: access.answer_extension(
            s, settings, p, mapping_id=mapping_id, approve=approve, meta=m
        ),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


async def approve_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[PartnerMappingInput, strawberry.argument(description="The partner mapping.")],
) -> PartnerMappingPayload:
    return await _answer(info, input.mapping_id, True)


async def decline_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[PartnerMappingInput, strawberry.argument(description="The partner mapping.")],
) -> PartnerMappingPayload:
    return await _answer(info, input.mapping_id, False)


@strawberry.type
class PartnerAccessMutation:
    update_partner_access: PartnerMappingPayload = strawberry.mutation(
        resolver=update_partner_access,
        description=(
            "The customer's Super Admin changes its partner's grant: the scope (which of the "
            "technicians' powers apply) and the end date (in the future, at most two years "
            "ahead; ACCESS_END_DATE_TOO_EARLY / ACCESS_END_DATE_TOO_LATE). Takes effect with "
            "the technicians' next request."
        ),
    )
    request_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=request_partner_access_extension,
        description=(
            "The partner's Super Admin or an Admin asks the customer to extend its access "
            "(also after it ended, while the mapping is ACTIVE); the customer's Super Admin is "
            "emailed. EXTENSION_ALREADY_REQUESTED while one waits for an answer; "
            "EXTENSION_RECENTLY_DECLINED within a day of a refusal."
        ),
    )
    approve_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=approve_partner_access_extension,
        description=(
            "The customer's Super Admin grants the pending extension: the access now ends on "
            "the date asked for. NO_EXTENSION_REQUESTED when none is pending."
        ),
    )
    decline_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=decline_partner_access_extension,
        description=(
            "The customer's Super Admin declines the pending extension; the end date stays. "
            "NO_EXTENSION_REQUESTED when none is pending."
        ),
    )
