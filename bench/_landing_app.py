"""The portal with two extra routes for bench_graphql_overhead, each a page written by hand in plain
Starlette: ``POST /bench/landing`` (the partner landing's first page) and ``POST /bench/devices``
(the first page of the device list with each device's area and location).

It runs the same SQL as ``POST /graphql`` with the landing document (authentication, the working
organization, the page of mapped customers, their location counts, device counts and license
summaries: the same repository functions, so the same statements) in one read session, and
returns byte for byte the same JSON. Both routes live in one app served by one ``uvicorn``
process (same middleware, same pools, same settings), so their ratio is the cost of the GraphQL
pipeline alone. The devices page likewise: the same service calls (the page, then its areas and
locations in the same read session), the same bytes.
``uvicorn --factory bench._landing_app:create``; settings from the environment.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import Organization
from domain.devices import service as device_service
from domain.devices.repository import device_counts_by_organization
from domain.devices.types import DeviceCounts, DeviceFilter
from domain.enums import DeviceStatus, OrganizationType
from domain.licenses import queries as license_queries
from domain.licenses.repository import SummaryCounts
from domain.partners.repository import location_counts
from domain.partners.service import list_customers
from identity.authenticate import ORGANIZATION_HEADER, authenticate
from kit.pagination import PageRequest, encode_cursor
from runtime import Services
from server import create_app

LANDING_QUERY = """
query PartnerLanding($first: Int!) {
  landing {
    ... on PartnerLanding {
      customers(first: $first) {
        pageInfo { hasNextPage endCursor }
        edges {
          cursor
          node {
            id
            name
            locationCount
            deviceCounts { total online offline pending }
            licenseSummary { total available inUse expiringSoon expired }
          }
        }
      }
    }
  }
}
"""


DEVICES_QUERY = """
query DeviceList($first: Int!) {
  devices(first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name serialNumber macAddress kind status model
      area { id name } location { id name timeZone } } }
  }
}
"""


def _device_counts(value: DeviceCounts) -> dict[str, int]:
    return {
        "total": value.total,
        "online": value.of(DeviceStatus.ONLINE),
        "offline": value.of(DeviceStatus.OFFLINE),
        "pending": value.of(DeviceStatus.PENDING),
    }


def _license_summary(value: SummaryCounts) -> dict[str, int]:
    return {
        "total": value.total,
        "available": value.available,
        "inUse": value.in_use,
        "expiringSoon": value.expiring_soon,
        "expired": value.expired,
    }


async def plain_landing(request: Request) -> Response:
    services: Services = request.state.services
    body = json.loads(await request.body())
    first = min(int(body["variables"]["first"]), services.settings.graphql_max_page_size)
    principal = await authenticate(
        services, request.headers.get("authorization"), request.headers.get(ORGANIZATION_HEADER)
    )
    working = principal.working_access
    assert working is not None and working.organization_type is OrganizationType.PARTNER
    async with services.db.read_session() as session:
        partner = (await session.get(Organization, working.organization_id)) or None
        assert partner is not None
        page = await list_customers(
            session, principal, partner.id, search=None, page=PageRequest(first, None)
        )
        ids = [c.organization.id for c in page.items]
        locations = await location_counts(session, ids)
        devices = await device_counts_by_organization(session, ids)
        clock = license_queries.status_clock(services.settings.license_expiring_soon_days)
        licenses = await license_queries.license_summaries(session, ids, clock)
    edges: list[dict[str, Any]] = []
    for customer, device_counts in zip(page.items, devices, strict=True):
        org_id = customer.organization.id
        edges.append(
            {
                "cursor": encode_cursor(customer.id),
                "node": {
                    "id": str(org_id),
                    "name": customer.organization.name,
                    "locationCount": locations.get(org_id, 0),
                    "deviceCounts": _device_counts(device_counts),
                    "licenseSummary": _license_summary(licenses.get(org_id, SummaryCounts())),
                },
            }
        )
    payload = {
        "data": {
            "landing": {
                "customers": {
                    "pageInfo": {
                        "hasNextPage": page.has_next_page,
                        "endCursor": edges[-1]["cursor"] if edges else None,
                    },
                    "edges": edges,
                }
            }
        }
    }
    return Response(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii"),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _json(payload: dict[str, Any]) -> Response:
    return Response(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii"),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def plain_devices(request: Request) -> Response:
    services: Services = request.state.services
    body = json.loads(await request.body())
    first = min(int(body["variables"]["first"]), services.settings.graphql_max_page_size)
    principal = await authenticate(
        services, request.headers.get("authorization"), request.headers.get(ORGANIZATION_HEADER)
    )
    organization = principal.working_organization_id
    assert organization is not None
    async with services.db.read_session() as session:
        page = await device_service.list_devices(
            session, principal, organization, DeviceFilter(), PageRequest(first, None)
        )
        areas, locations = await device_service.places_of(
            session, page.items, areas=True, locations=True
        )
    edges: list[dict[str, Any]] = []
    for row in page.items:
        area, location = areas[row.area_id], locations[row.location_id]
        edges.append(
            {
                "cursor": encode_cursor(row.id),
                "node": {
                    "id": str(row.id),
                    "name": row.name,
                    "serialNumber": row.serial_number,
                    "macAddress": row.mac_address,
                    "kind": row.kind.name,
                    "status": row.status.name,
                    "model": row.model,
                    "area": {"id": str(area.id), "name": area.name},
                    "location": {
                        "id": str(location.id),
                        "name": location.name,
                        "timeZone": location.time_zone,
                    },
                },
            }
        )
    page_info = {
        "hasNextPage": page.has_next_page,
        "endCursor": edges[-1]["cursor"] if edges else None,
    }
    return _json({"data": {"devices": {"pageInfo": page_info, "edges": edges}}})


def create() -> Starlette:
    app = create_app()
    app.router.routes.append(Route("/bench/landing", plain_landing, methods=["POST"]))
    app.router.routes.append(Route("/bench/devices", plain_devices, methods=["POST"]))
    return app
