"""Removing an organization — only its Super Admin, only once it is empty (PRODUCT.md §1).

Empty means: no member but the Super Admin, no device, no license that has not expired, no live
invitation, no ACTIVE partner mapping (as customer or as partner). Anything else is refused with
``ORGANIZATION_NOT_EMPTY``, naming what remains. The Super Admin must also type the
organization's name (``confirmName``): a deletion is not undone through the API.

The deletion is soft (``organization.deleted_at``): the row, its locations and its audit history
stay for the record, but the organization disappears from every path (domain.authz.repository,
login) at once. The Super Admin's membership ends with it.

An account left without any organization stays an account: it can no longer sign in (login needs
an organization) and its tokens reach nothing, but an invitation brings it back at once (it joins
as an existing account), and its audit history keeps its id.

Races: the organization row is locked ``FOR UPDATE`` before counting; invitations, transfers and
joins hold it ``FOR SHARE`` (domain.members.repository), and on PostgreSQL every insert that
references the organization (a device, a license redemption) takes a key-share lock on it, so a
device registered at the same moment either is counted or waits for the deletion.
"""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import Forbidden, NotFound, UserError
from domain.members import errors
from domain.members import repository as members_repo
from domain.organizations import repository
from domain.organizations.repository import Contents
from kit.clock import utcnow

CONFIRM_FIELD = ("input", "confirmName")


def _describe(contents: Contents) -> str:
    parts = []
    for count, one, many in (
        (contents.other_members, "other member", "other members"),
        (contents.devices, "device", "devices"),
        (contents.licenses, "license", "licenses"),
        (contents.pending_invitations, "pending invitation", "pending invitations"),
        (contents.partner_mappings, "partner mapping", "partner mappings"),
    ):
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


class NotEmpty(UserError):
    def __init__(self, contents: Contents) -> None:
        super().__init__(
            errors.ORGANIZATION_NOT_EMPTY,
            f"The organization is not empty. Remove first: {_describe(contents)}.",
            errors.ORGANIZATION_FIELD,
        )
        self.contents = contents


async def delete_organization(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str,
    confirm_name: str,
    meta: RequestMeta,
) -> uuid.UUID:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.ORGANIZATION_DELETE,
        field=errors.ORGANIZATION_FIELD,
    )
    organization = await members_repo.lock_organization(
        session, access.organization_id, exclusive=True
    )
    if organization is None:
        raise NotFound("organization", errors.ORGANIZATION_FIELD)
    if unicodedata.normalize("NFC", confirm_name.strip()) != organization.name:
        raise UserError(
            errors.CONFIRMATION_MISMATCH,
            "Type the organization's name exactly as it is shown to confirm the deletion.",
            CONFIRM_FIELD,
        )
    # The Super Admin's own membership is what remains of an empty organization; it is read
    # under the lock, so a transfer a moment ago is seen.
    mine = (await members_repo.lock_memberships(session, organization.id, [principal.user_id])).get(
        principal.user_id
    )
    if mine is None or mine.role is not access.role:
        raise Forbidden(Action.ORGANIZATION_DELETE.value)
    now = utcnow()
    remains = await repository.contents(
        session, organization.id, owner_id=principal.user_id, now=now
    )
    if not remains.empty:
        raise NotEmpty(remains)
    await repository.soft_delete(session, organization.id, by_user_id=principal.user_id, now=now)
    await record(
        session,
        "organization.deleted",
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=organization.id,
        target_type="organization",
        target_id=organization.id,
        details={
            "name": organization.name,
            "type": organization.type.value,
            "step_code_id": str(organization.step_code_id) if organization.step_code_id else None,
        },
    )
    return organization.id
