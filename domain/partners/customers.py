"""The customers a partner organization supports (its active partner mappings)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from db.models import Organization, PartnerMapping
from domain.authz.policy import Action, require
from domain.authz.principal import Principal
from domain.enums import OrganizationType
from domain.partners import repository
from kit.pagination import Page, make_page, page_request
from runtime import Services

DEFAULT_PAGE_SIZE = 20
MAX_SEARCH_LENGTH = 100


@dataclass(frozen=True, slots=True)
class MappedCustomer:
    """One row of the partner's customer list; ``id`` (the mapping's) orders the pages."""

    id: uuid.UUID
    organization: Organization
    mapped_at: datetime


async def list_customers(
    services: Services,
    principal: Principal,
    partner_organization_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
    search: str | None,
) -> Page[MappedCustomer]:
    """A page of the partner's customers; any member of the partner may read the list.
    Raises ``InvalidCursor``/``ValueError`` for bad arguments, ``NotFound``/``Forbidden``."""
    require(
        principal,
        partner_organization_id,
        Action.ORGANIZATION_READ,
        organization_type=OrganizationType.PARTNER,
    )
    request = page_request(
        first, after, default=DEFAULT_PAGE_SIZE, maximum=services.settings.graphql_max_page_size
    )
    term = (search or "").strip()[:MAX_SEARCH_LENGTH] or None
    async with services.db.read_session() as session:
        rows = await repository.list_mapped_customers(
            session,
            partner_organization_id,
            search=term,
            after=request.after,
            limit=request.first + 1,
        )
    return make_page([_customer(m, o) for m, o in rows], request)


def _customer(mapping: PartnerMapping, organization: Organization) -> MappedCustomer:
    return MappedCustomer(mapping.id, organization, mapping.accepted_at or mapping.created_at)
