"""Endpoints and events written straight to the database, for the worker tests (the GraphQL
face has its own tests): what a use case would have written."""

from __future__ import annotations

import uuid

from db.models import WebhookEndpoint
from domain.audit.service import record
from domain.context import RequestMeta
from domain.webhooks.secrets import WEBHOOK_SEALING_KEY, new_secret, seal
from kit.ids import uuid7
from runtime import Services


async def add_endpoint(
    services: Services, organization_id: uuid.UUID, url: str, events: list[str]
) -> tuple[uuid.UUID, str]:
    key = await services.secrets.get(WEBHOOK_SEALING_KEY)
    secret = new_secret()
    endpoint_id = uuid7()
    async with services.db.unit_of_work() as session:
        session.add(
            WebhookEndpoint(
                id=endpoint_id,
                organization_id=organization_id,
                url=url,
                event_types=events,
                enabled=True,
                sealed_secret=seal(key, secret, endpoint_id),
            )
        )
    return endpoint_id, secret


async def emit(services: Services, organization_id: uuid.UUID, serials: list[str]) -> None:
    """One ``device.registered`` audit event per serial number, in one transaction (the hook in
    ``record`` writes the deliveries)."""
    async with services.db.unit_of_work() as session:
        for serial in serials:
            await record(
                session,
                "device.registered",
                meta=RequestMeta.system("test"),
                organization_id=organization_id,
                target_type="device",
                target_id=uuid.uuid4(),
                details={"serialNumber": serial},
            )
