"""The customers a partner organization supports (its active partner mappings): the partner
landing's list. Any member of the partner may read it (PRODUCT.md §1: "the partner landing page:
the list of Customer accounts mapped to the partner").

A page is one indexed range of ``ix_partner_mapping_partner_status_id`` (keyset on the mapping's
UUIDv7 id, oldest mapping first) joined to the page's organizations; everything shown about each
customer is loaded for the page's customers only (resolvers/partner_loaders.py). So the first page
costs the same for a partner with 50 customers and one with 100,000 (bench_partner_landing).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, PartnerMapping
from domain.authz.policy import Action, require
from domain.authz.principal import Principal
from domain.enums import OrganizationType, PartnerAccessScope
from domain.partners import repository
from kit.pagination import Page, PageRequest, make_page


@dataclass(frozen=True, slots=True)
class MappedCustomer:
    """One row of the partner's customer list; ``id`` (the mapping's) orders the pages."""

    id: uuid.UUID
    organization: Organization
    mapped_at: datetime
    # The customer's grant (domain.partners.access) and the partner's open request, if any.
    access_scope: PartnerAccessScope
    access_expires_at: datetime
    extension_requested_until: datetime | None = None


def _search(term: str | None) -> str | None:
    return (term or "").strip() or None


def check_reader(principal: Principal, partner_organization_id: uuid.UUID) -> None:
    require(
        principal,
        partner_organization_id,
        Action.ORGANIZATION_READ,
        organization_type=OrganizationType.PARTNER,
    )


async def list_customers(
    session: AsyncSession,
    principal: Principal,
    partner_organization_id: uuid.UUID,
    *,
    search: str | None,
    page: PageRequest,
) -> Page[MappedCustomer]:
    """A page of the partner's customers; ``search`` matches part of their name, any case.
    Raises ``NotFound``/``Forbidden``."""
    check_reader(principal, partner_organization_id)
    rows = await repository.list_mapped_customers(
        session,
        partner_organization_id,
        search=_search(search),
        after=page.after,
        limit=page.first + 1,
    )
    return make_page([customer_row(m, o, until) for m, o, until in rows], page)


async def get_customer(
    session: AsyncSession,
    principal: Principal,
    partner_organization_id: uuid.UUID,
    customer_id: str,
) -> MappedCustomer | None:
    """One of the partner's customers, for any member of the partner; None when it is not one
    (or the id is no UUID): the same answer as for an id that never existed."""
    check_reader(principal, partner_organization_id)
    try:
        wanted = uuid.UUID(customer_id)
    except ValueError:
        return None
    row = await repository.mapped_customer(session, partner_organization_id, wanted)
    return customer_row(*row) if row is not None else None


async def count_customers(
    session: AsyncSession, partner_organization_id: uuid.UUID, *, search: str | None
) -> int:
    return await repository.count_mapped_customers(
        session, partner_organization_id, search=_search(search)
    )


def customer_row(
    mapping: PartnerMapping, organization: Organization, requested_until: datetime | None = None
) -> MappedCustomer:
    return MappedCustomer(
        mapping.id,
        organization,
        mapping.accepted_at or mapping.created_at,
        mapping.access_scope,
        # Never null once migrated; a missing end is no access (domain.authz.repository).
        mapping.access_expires_at or mapping.created_at,
        requested_until,
    )
