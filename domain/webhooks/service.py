"""Webhook endpoints: create, change, disable, delete, rotate the secret, read the delivery log,
replay. Super Admins and Admins of the organization (``Action.WEBHOOK_MANAGE``).

A secret is returned once, by ``create_endpoint`` and ``rotate_secret``; afterwards it is only
sealed in the database (secrets.py). Pass ``sealing_key`` (``ServerSecrets.get(
WEBHOOK_SEALING_KEY)``) read *before* the unit of work opens (domain/secrets.py says why).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import WebhookDeliveryStatus
from db.models import WebhookDelivery, WebhookEndpoint
from domain.audit.service import record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, Validator
from domain.webhooks import errors, repository
from domain.webhooks.addresses import AddressPolicy, RefusedAddress, parse_url
from domain.webhooks.catalog import EVENT_TYPE_NAMES
from domain.webhooks.outbox import ENQUEUED_KEY
from domain.webhooks.secrets import new_secret, seal
from kit.clock import utcnow
from kit.ids import uuid7
from kit.pagination import Page, PageRequest, make_page

MAX_ENDPOINTS = 20
DESCRIPTION_MAX = 200


@dataclass(frozen=True, slots=True)
class EndpointInput:
    url: str | None = None
    events: Sequence[str] | None = None
    description: str | None = None
    enabled: bool | None = None


@dataclass(frozen=True, slots=True)
class WithSecret:
    endpoint: WebhookEndpoint
    secret: str


def _clean(v: Validator, data: EndpointInput, policy: AddressPolicy) -> EndpointInput:
    url = data.url
    if url is not None:
        url = url.strip()
        try:
            parse_url(url, policy)
        except RefusedAddress as exc:
            v.add("url", exc.code, str(exc))
    events = data.events
    if events is not None:
        events = sorted(set(events))
        unknown = [e for e in events if e not in EVENT_TYPE_NAMES]
        if unknown:
            v.add(
                "events",
                errors.UNKNOWN_EVENT_TYPE,
                f"Unknown event type: {', '.join(unknown)[:200]}.",
            )
        elif not events:
            v.add("events", errors.NO_EVENT_TYPES, "Choose at least one event type.")
    description = data.description
    if description is not None:
        description = " ".join(description.split()) or None
        if description is not None and len(description) > DESCRIPTION_MAX:
            v.add(
                "description",
                errors.DESCRIPTION_TOO_LONG,
                f"Use at most {DESCRIPTION_MAX} characters.",
            )
    return EndpointInput(url=url, events=events, description=description, enabled=data.enabled)


async def _audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    endpoint: WebhookEndpoint,
    **details: object,
) -> None:
    await record_by(
        session,
        principal,
        meta,
        action,
        target=("webhook_endpoint", endpoint.id),
        organization_id=endpoint.organization_id,
        details={"url": endpoint.url, **details},
    )


async def _endpoint_to_manage(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    *,
    lock: bool = False,
    what: str = "webhook endpoint",
    field: Sequence[str] = errors.ID_FIELD,
) -> WebhookEndpoint:
    """``what`` names the object the client asked for: out of reach, it reads as missing."""
    endpoint = await repository.get_endpoint(session, endpoint_id, lock=lock)
    if endpoint is None:
        raise NotFound(what, field)
    await organization_access(
        session,
        principal,
        endpoint.organization_id,
        Action.WEBHOOK_MANAGE,
        field=field,
        what=what,
    )
    return endpoint


async def create_endpoint(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    organization_id: uuid.UUID,
    data: EndpointInput,
    *,
    policy: AddressPolicy,
    sealing_key: bytes,
) -> WithSecret:
    await organization_access(
        session,
        principal,
        organization_id,
        Action.WEBHOOK_MANAGE,
        field=("input", "organizationId"),
    )
    v = Validator(("input",))
    if data.url is None:
        v.add("url", "INVALID_URL", "Enter an absolute https:// URL.")
    if data.events is None:
        v.add("events", errors.NO_EVENT_TYPES, "Choose at least one event type.")
    clean = _clean(v, data, policy)
    v.raise_if_any()
    assert clean.url is not None and clean.events is not None
    if await repository.count_endpoints(session, organization_id) >= MAX_ENDPOINTS:
        raise errors.too_many_endpoints(MAX_ENDPOINTS)
    secret = new_secret()
    endpoint_id = uuid7()
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        organization_id=organization_id,
        url=clean.url,
        description=clean.description,
        event_types=list(clean.events),
        enabled=True if clean.enabled is None else clean.enabled,
        sealed_secret=seal(sealing_key, secret, endpoint_id),
    )
    session.add(endpoint)
    await session.flush()
    await _audit(session, principal, meta, "webhook.endpoint_created", endpoint)
    return WithSecret(endpoint, secret)


async def update_endpoint(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    endpoint_id: uuid.UUID,
    data: EndpointInput,
    *,
    policy: AddressPolicy,
) -> WebhookEndpoint:
    """Change what is given (None: unchanged). Enabling an endpoint the portal disabled starts
    its failure clock again; its pending deliveries resume."""
    endpoint = await _endpoint_to_manage(session, principal, endpoint_id, lock=True)
    v = Validator(("input",))
    clean = _clean(v, data, policy)
    v.raise_if_any()
    changed: list[str] = []
    if clean.url is not None and clean.url != endpoint.url:
        endpoint.url = clean.url
        changed.append("url")
    if clean.events is not None and list(clean.events) != list(endpoint.event_types):
        endpoint.event_types = list(clean.events)
        changed.append("events")
    if data.description is not None and clean.description != endpoint.description:
        endpoint.description = clean.description
        changed.append("description")
    if clean.enabled is not None and clean.enabled != endpoint.enabled:
        endpoint.enabled = clean.enabled
        endpoint.disabled_reason = None
        endpoint.failing_since = None
        changed.append("enabled")
    if changed:
        await session.flush()
        await _audit(
            session,
            principal,
            meta,
            "webhook.endpoint_updated",
            endpoint,
            changed=changed,
            enabled=endpoint.enabled,
        )
        if endpoint.enabled:
            session.info[ENQUEUED_KEY] = True  # deliveries held back by a disabled endpoint
    return endpoint


async def delete_endpoint(
    session: AsyncSession, principal: Principal, meta: RequestMeta, endpoint_id: uuid.UUID
) -> uuid.UUID:
    endpoint = await _endpoint_to_manage(session, principal, endpoint_id, lock=True)
    await _audit(session, principal, meta, "webhook.endpoint_deleted", endpoint)
    await repository.delete_endpoint(session, endpoint.id)
    session.expunge(endpoint)
    return endpoint_id


async def rotate_secret(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    endpoint_id: uuid.UUID,
    *,
    overlap: timedelta,
    sealing_key: bytes,
) -> WithSecret:
    """A new secret signs from now on; the current one keeps signing beside it for ``overlap``
    (both signatures are sent), so that the receiver can switch without missing an event. A
    second rotation within the overlap drops the oldest secret."""
    endpoint = await _endpoint_to_manage(session, principal, endpoint_id, lock=True)
    secret = new_secret()
    if overlap > timedelta(0):
        endpoint.sealed_previous_secret = endpoint.sealed_secret
        endpoint.previous_secret_expires_at = utcnow() + overlap
    else:
        endpoint.sealed_previous_secret = None
        endpoint.previous_secret_expires_at = None
    endpoint.sealed_secret = seal(sealing_key, secret, endpoint.id)
    await session.flush()
    await _audit(
        session,
        principal,
        meta,
        "webhook.secret_rotated",
        endpoint,
        overlap_seconds=int(overlap.total_seconds()),
    )
    return WithSecret(endpoint, secret)


async def list_endpoints(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> list[WebhookEndpoint]:
    """At most ``MAX_ENDPOINTS``: the list needs no pages."""
    await organization_access(session, principal, organization_id, Action.WEBHOOK_MANAGE)
    return await repository.endpoints_of(session, organization_id)


async def get_endpoint(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID
) -> WebhookEndpoint | None:
    """The endpoint, or None when it is missing or out of the principal's reach."""
    try:
        return await _endpoint_to_manage(session, principal, endpoint_id)
    except NotFound:
        return None


async def list_deliveries(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, page: PageRequest
) -> Page[WebhookDelivery]:
    """An endpoint's delivery log, newest first; a missing endpoint or one out of reach raises
    ``NotFound`` alike."""
    endpoint = await _endpoint_to_manage(session, principal, endpoint_id, field=("endpointId",))
    return make_page(await repository.deliveries_of(session, endpoint.id, page), page)


async def replay_delivery(
    session: AsyncSession, principal: Principal, meta: RequestMeta, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """Send a delivery's message again, as a new delivery with the same ``webhook-id`` and body
    (the receiver can tell it has seen it; one that lost it processes it)."""
    original = await repository.get_delivery(session, delivery_id)
    if original is None:
        raise NotFound("webhook delivery", errors.ID_FIELD)
    endpoint = await _endpoint_to_manage(
        session, principal, original.endpoint_id, what="webhook delivery"
    )
    if not endpoint.enabled:
        raise errors.endpoint_disabled()
    replay = WebhookDelivery(
        endpoint_id=endpoint.id,
        organization_id=endpoint.organization_id,
        message_id=original.message_id,
        event_type=original.event_type,
        payload=original.payload,
        status=WebhookDeliveryStatus.PENDING,
        attempts=0,
        available_at=utcnow(),
        replay_of=original.id,
    )
    session.add(replay)
    await session.flush()
    session.info[ENQUEUED_KEY] = True
    await _audit(
        session,
        principal,
        meta,
        "webhook.delivery_replayed",
        endpoint,
        delivery_id=str(original.id),
        message_id=original.message_id,
    )
    return replay


async def count_deliveries(session: AsyncSession, endpoint_id: uuid.UUID) -> int:
    """For ``totalCount``, after ``list_deliveries`` has authorized the same endpoint."""
    return await repository.count_deliveries(session, endpoint_id)
