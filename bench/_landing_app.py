"""The portal with one extra route for bench_graphql_overhead: ``POST /bench/landing``, the partner
landing's first page written by hand in plain Starlette.

It runs the same SQL as ``POST /graphql`` with the landing document (authentication, the working
organization, the page of mapped customers, their location counts, device counts and license
summaries: the same repository functions, so the same statements) in one read session, and
returns byte for byte the same JSON. Both routes live in one app served by one ``uvicorn``
process (same middleware, same pools, same settings), so their ratio is the cost of the GraphQL
pipeline alone. ``uvicorn --factory bench._landing_app:create``; settings from the environment.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.models import Organization
from domain.devices.repository import device_counts_by_organization
from domain.devices.types import DeviceCounts
from domain.enums import DeviceStatus, OrganizationType
from domain.licenses import queries as license_queries
from domain.licenses.repository import SummaryCounts
from domain.partners.customers import list_customers
from domain.partners.mapping_repository import location_counts
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


def create() -> Starlette:
    app = create_app()
    app.router.routes.append(Route("/bench/landing", plain_landing, methods=["POST"]))
    return app
