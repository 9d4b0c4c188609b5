"""Webhooks: the endpoints, their delivery log, the event catalogue; create, change, delete,
rotate the secret, replay (thin: arguments → one call of domain/webhooks/service.py → types in
schema/types/webhooks.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.webhooks import service
from domain.webhooks.catalog import EVENT_TYPES
from domain.webhooks.secrets import WEBHOOK_SEALING_KEY
from domain.webhooks.service import EndpointInput
from domain.webhooks.worker import address_policy
from kit.ids import parse_uuid
from resolvers._payload import mutate
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.context import context_of
from schema.paging import page_args
from schema.relay import make_connection
from schema.scope import object_id, organization_scope
from schema.types.webhooks import (
    CreateWebhookEndpointInput,
    CreateWebhookEndpointPayload,
    DeleteWebhookEndpointPayload,
    ReplayWebhookDeliveryInput,
    ReplayWebhookDeliveryPayload,
    RotateWebhookSecretPayload,
    UpdateWebhookEndpointInput,
    UpdateWebhookEndpointPayload,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookEndpoint,
    WebhookEndpointIdInput,
    WebhookEventType,
)

ID_FIELD = ("input", "id")


async def webhook_endpoints(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
) -> list[WebhookEndpoint] | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    organization = organization_scope(principal, organization_id)
    async with ctx.services.db.read_session() as session:
        rows = await service.list_endpoints(session, principal, organization)
    return [WebhookEndpoint.from_row(row) for row in rows]


async def webhook_endpoint(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The endpoint's id.")],
) -> WebhookEndpoint | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    endpoint_id = parse_uuid(id)
    if endpoint_id is None:
        return None
    async with ctx.services.db.read_session() as session:
        row = await service.get_endpoint(session, principal, endpoint_id)
    return WebhookEndpoint.from_row(row) if row else None


async def webhook_deliveries(
    info: strawberry.Info,
    endpoint_id: Annotated[strawberry.ID, strawberry.argument(description="The endpoint's id.")],
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> WebhookDeliveryConnection | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    endpoint = object_id(endpoint_id, "webhook endpoint", ("endpointId",))
    async with ctx.services.db.read_session() as session:
        result = await service.list_deliveries(session, principal, endpoint, page)

    async def count() -> int:
        async with ctx.services.db.read_session() as session:
            return await service.count_deliveries(session, endpoint)

    return make_connection(WebhookDeliveryConnection, result, WebhookDelivery.from_row, count)


async def webhook_event_types(info: strawberry.Info) -> list[WebhookEventType]:
    await context_of(info).principal()
    return [WebhookEventType.from_value(t) for t in EVENT_TYPES]


@strawberry.type
class WebhookQuery:
    webhook_endpoints: list[WebhookEndpoint] | None = strawberry.field(
        resolver=webhook_endpoints,
        description="The organization's webhook endpoints (at most 20; default: the working "
        "organization). Super Admins and Admins. Null, with its FORBIDDEN error, for anyone "
        "else: the rest of the answer stands, so that a page can ask for it together with "
        "everything else it shows.",
    )
    webhook_endpoint: WebhookEndpoint | None = strawberry.field(
        resolver=webhook_endpoint,
        description="A webhook endpoint, or null when there is none you can manage.",
    )
    webhook_deliveries: WebhookDeliveryConnection | None = strawberry.field(
        resolver=webhook_deliveries,
        description="An endpoint's delivery log (status, attempts, response, duration), newest "
        "first. Null, with its error, when the endpoint is out of reach: the rest of the answer "
        "stands (as `webhookEndpoints`).",
    )
    webhook_event_types: list[WebhookEventType] = strawberry.field(
        resolver=webhook_event_types,
        description="The event catalogue: every type an endpoint can subscribe to.",
    )


async def create_webhook_endpoint(
    info: strawberry.Info,
    input: Annotated[
        CreateWebhookEndpointInput,
        strawberry.argument(description="The organization, URL and event types."),
    ],
) -> CreateWebhookEndpointPayload:
    ctx = context_of(info)
    sealing_key = await ctx.services.secrets.get(WEBHOOK_SEALING_KEY)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CreateWebhookEndpointPayload:
        organization = organization_scope(
            principal, input.organization_id, ("input", "organizationId")
        )
        data = EndpointInput(url=input.url, events=input.events, description=input.description)
        result = await service.create_endpoint(
            session,
            principal,
            meta,
            organization,
            data,
            policy=address_policy(ctx.settings),
            sealing_key=sealing_key,
        )
        return CreateWebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_row(result.endpoint), secret=result.secret
        )

    return await mutate(info, CreateWebhookEndpointPayload, use_case)


async def update_webhook_endpoint(
    info: strawberry.Info,
    input: Annotated[
        UpdateWebhookEndpointInput, strawberry.argument(description="The endpoint and changes.")
    ],
) -> UpdateWebhookEndpointPayload:
    ctx = context_of(info)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> UpdateWebhookEndpointPayload:
        endpoint_id = object_id(input.id, "webhook endpoint", ID_FIELD)
        data = EndpointInput(
            url=input.url,
            events=input.events,
            description=input.description,
            enabled=input.enabled,
        )
        row = await service.update_endpoint(
            session, principal, meta, endpoint_id, data, policy=address_policy(ctx.settings)
        )
        return UpdateWebhookEndpointPayload(endpoint=WebhookEndpoint.from_row(row))

    return await mutate(info, UpdateWebhookEndpointPayload, use_case)


async def delete_webhook_endpoint(
    info: strawberry.Info,
    input: Annotated[
        WebhookEndpointIdInput, strawberry.argument(description="The endpoint to delete.")
    ],
) -> DeleteWebhookEndpointPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DeleteWebhookEndpointPayload:
        endpoint_id = object_id(input.id, "webhook endpoint", ID_FIELD)
        deleted = await service.delete_endpoint(session, principal, meta, endpoint_id)
        return DeleteWebhookEndpointPayload(deleted_endpoint_id=strawberry.ID(str(deleted)))

    return await mutate(info, DeleteWebhookEndpointPayload, use_case)


async def rotate_webhook_secret(
    info: strawberry.Info,
    input: Annotated[
        WebhookEndpointIdInput,
        strawberry.argument(description="The endpoint whose secret to rotate."),
    ],
) -> RotateWebhookSecretPayload:
    ctx = context_of(info)
    sealing_key = await ctx.services.secrets.get(WEBHOOK_SEALING_KEY)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RotateWebhookSecretPayload:
        endpoint_id = object_id(input.id, "webhook endpoint", ID_FIELD)
        result = await service.rotate_secret(
            session,
            principal,
            meta,
            endpoint_id,
            overlap=timedelta(seconds=ctx.settings.webhook_rotation_overlap_seconds),
            sealing_key=sealing_key,
        )
        return RotateWebhookSecretPayload(
            endpoint=WebhookEndpoint.from_row(result.endpoint), secret=result.secret
        )

    return await mutate(info, RotateWebhookSecretPayload, use_case)


async def replay_webhook_delivery(
    info: strawberry.Info,
    input: Annotated[
        ReplayWebhookDeliveryInput, strawberry.argument(description="The delivery to replay.")
    ],
) -> ReplayWebhookDeliveryPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> ReplayWebhookDeliveryPayload:
        delivery_id = object_id(input.id, "webhook delivery", ID_FIELD)
        row = await service.replay_delivery(session, principal, meta, delivery_id)
        return ReplayWebhookDeliveryPayload(delivery=WebhookDelivery.from_row(row))

    return await mutate(info, ReplayWebhookDeliveryPayload, use_case)


@strawberry.type
class WebhookMutation:
    create_webhook_endpoint: CreateWebhookEndpointPayload = strawberry.mutation(
        resolver=create_webhook_endpoint,
        description="Add a webhook endpoint; answers its signing secret, shown this once.",
    )
    update_webhook_endpoint: UpdateWebhookEndpointPayload = strawberry.mutation(
        resolver=update_webhook_endpoint,
        description="Change an endpoint's URL, event types or note, or disable or enable it.",
    )
    delete_webhook_endpoint: DeleteWebhookEndpointPayload = strawberry.mutation(
        resolver=delete_webhook_endpoint,
        description="Delete an endpoint and its delivery log.",
    )
    rotate_webhook_secret: RotateWebhookSecretPayload = strawberry.mutation(
        resolver=rotate_webhook_secret,
        description="A new signing secret, shown this once; the previous one keeps signing "
        "beside it for a day (24 h unless configured).",
    )
    replay_webhook_delivery: ReplayWebhookDeliveryPayload = strawberry.mutation(
        resolver=replay_webhook_delivery,
        description="Send a delivery's message again (same `webhook-id` and body).",
    )
