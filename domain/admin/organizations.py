"""Internal admins search organizations and see one in full (``ORGANIZATION_READ_ANY``).

Search: ``search`` matches part of the name, part of a member's email or part of a partner's STEP
code (any case), or — when it is a UUID — the organization's id; ``type`` and ``status`` narrow
it. Newest first (keyset on the UUIDv7 id): the console's first page shows the latest sign-ups.
Deleted organizations are left out: their rows stay for the audit log only.
"""

from __future__ import annotations

from db.database import Database
from db.models import Organization
from domain.admin import repository as repo
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.enums import OrganizationStatus, OrganizationType
from domain.partners import mapping_repository
from kit.ids import parse_uuid
from kit.pagination import Page, PageRequest, make_page


async def search_organizations(
    db: Database,
    principal: Principal,
    *,
    search: str | None,
    kind: OrganizationType | None,
    status: OrganizationStatus | None,
    page: PageRequest,
) -> tuple[Page[Organization], repo.OrganizationFilter]:
    """A page of organizations, and the filter (for ``totalCount``)."""
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    term = (search or "").strip() or None
    where = repo.OrganizationFilter(
        text=term, organization_id=parse_uuid(term), kind=kind, status=status
    )
    async with db.read_session() as session:
        rows = await repo.search_organizations(
            session, where, before=page.after, limit=page.first + 1
        )
    return make_page(rows, page), where


async def count_organizations(db: Database, where: repo.OrganizationFilter) -> int:
    async with db.read_session() as session:
        return await repo.count_organizations(session, where)


async def get_organization(db: Database, principal: Principal, raw_id: str) -> Organization | None:
    """The organization, or None when there is none with this id (or it is not even a UUID)."""
    require_global(principal, GlobalAction.ORGANIZATION_READ_ANY)
    organization_id = parse_uuid(raw_id)
    if organization_id is None:
        return None
    async with db.read_session() as session:
        return await mapping_repository.live_organization(session, organization_id)
