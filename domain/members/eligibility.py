"""Who may join which organization (PRODUCT.md §1: "An account can belong to several customer
organizations (up to 50) and works in one at a time; a partner account belongs to exactly one
partner organization").

* A partner's staff account belongs to its partner organization and nowhere else: it cannot be a
  member of a customer organization (partner staff reach customers as assigned technicians) nor
  of a second partner organization. So a partner organization only takes accounts that belong to
  no organization yet.
* The vendor's internal admins are not members of customer or partner organizations either.
* A customer account joins at most ``max_customer_organizations_per_user`` customer organizations.

For an account still pending activation, the organizations it is invited to count as well: they
are what it joins when it activates. The caller holds the account's row lock
(``repository.lock_account``), so two invitations of one account are judged one after the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization
from domain.enums import OrganizationType
from domain.members import errors
from domain.members import repository as repo


async def check_can_join(
    session: AsyncSession,
    user_id: uuid.UUID,
    organization: Organization,
    *,
    now: datetime,
    max_customer_organizations: int,
    count_invitations: bool,
    excluding_invitation: uuid.UUID | None = None,
    field: Sequence[str] = errors.EMAIL_FIELD,
) -> None:
    """Raise the userError that keeps ``user_id`` out of ``organization``, if any.

    ``count_invitations``: also count the live invitations of the account (a pending account),
    other than ``excluding_invitation`` (the one being judged).
    """
    kinds = await repo.organization_types_of_user(session, user_id)
    if count_invitations:
        kinds += await repo.invited_organization_types(
            session, user_id, now, excluding=excluding_invitation
        )
    if OrganizationType.INTERNAL in kinds:
        raise errors.internal_account_not_allowed(field)
    if OrganizationType.PARTNER in kinds:
        raise errors.partner_account_not_allowed(field)
    if organization.type is OrganizationType.PARTNER and kinds:
        raise errors.partner_account_not_allowed(field)
    if organization.type is OrganizationType.INTERNAL:
        raise errors.internal_account_not_allowed(field)
    if kinds.count(OrganizationType.CUSTOMER) >= max_customer_organizations:
        raise errors.too_many_organizations(max_customer_organizations, field)
