"""Editing an organization's details: name, address, phone (``updateOrganization``).

Its Super Admin and Admins (``Action.ORGANIZATION_DETAILS_EDIT``; customers and partners, not the
internal organization). The checks are sign-up's (domain.accounts.validation). A field left out
stays; an empty address or phone clears it; the name is required. Audited
``organization.updated`` with what changed, before and after.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.accounts import validation as val
from domain.audit.service import record
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.errors import NotFound, Validator

ORGANIZATION_FIELD = ("input", "organizationId")


async def update_organization(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | None,
    name: str | None,
    address: str | None,
    phone: str | None,
    meta: RequestMeta,
) -> Organization:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.ORGANIZATION_DETAILS_EDIT,
        field=ORGANIZATION_FIELD,
    )
    v = Validator(("input",))
    changes: dict[str, str | None] = {}
    if name is not None:
        clean = val.clean_text(
            v, "name", name, label="Organization name", max_length=val.ORGANIZATION_NAME_MAX
        )
        if clean is not None:
            changes["name"] = clean
    if address is not None:
        changes["address"] = val.clean_text(
            v,
            "address",
            address,
            label="Address",
            max_length=val.ADDRESS_MAX,
            required=False,
            multiline=True,
        )
    if phone is not None:
        changes["phone"] = val.clean_phone(v, "phone", phone)
    v.raise_if_any()
    organization = await session.get(Organization, access.organization_id, with_for_update=True)
    if organization is None or organization.deleted_at is not None:
        raise NotFound("organization", ORGANIZATION_FIELD)
    before = {key: getattr(organization, key) for key in changes}
    changed = {key: value for key, value in changes.items() if before[key] != value}
    for key, value in changed.items():
        setattr(organization, key, value)
    if changed:
        await session.flush()
        await record(
            session,
            "organization.updated",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=organization.id,
            target_type="organization",
            target_id=organization.id,
            details={"before": {k: before[k] for k in changed}, "after": changed},
        )
    return organization
