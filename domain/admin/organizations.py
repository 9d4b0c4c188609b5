"""Internal admins search organizations and see one in full (``ORGANIZATION_READ_ANY``).

Search: ``search`` matches part of the name or of a member's email, or — when it is a UUID — the
organization's id; ``type`` and ``status`` narrow it. Newest first, keyset on the id.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from db.models import Organization
from domain.admin import repository as repo
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.enums import OrganizationStatus, OrganizationType
from domain.partners import mapping_repository
from kit.pagination import Page, make_page, page_request

if TYPE_CHECKING:
    from runtime import Services

DEFAULT_PAGE_SIZE = 20
SEARCH_MAX = 320


async def search_organizations(
    services: Services,
    principal: Principal,
    *,
    search: str | None,
    kind: OrganizationType | None,
    status: OrganizationStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Organization]:
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    request = page_request(
        first, after, default=DEFAULT_PAGE_SIZE, maximum=services.settings.graphql_max_page_size
    )
    term = (search or "").strip()[:SEARCH_MAX] or None
    organization_id: uuid.UUID | None = None
    if term is not None:
        try:
            organization_id = uuid.UUID(term)
        except ValueError:
            organization_id = None
    async with services.db.read_session() as session:
        rows = await repo.search_organizations(
            session,
            name_or_email=term,
            organization_id=organization_id,
            kind=kind,
            status=status,
            before=request.after,
            limit=request.first + 1,
        )
    return make_page(rows, request)


async def get_organization(
    services: Services, principal: Principal, raw_id: str
) -> Organization | None:
    """The organization, or None when there is none with this id (or it is not even a UUID)."""
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    try:
        organization_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    async with services.db.read_session() as session:
        return await mapping_repository.live_organization(session, organization_id)
