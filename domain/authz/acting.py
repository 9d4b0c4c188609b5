"""May this account act: the one rule, as SQL expressions every caller embeds in its own query.

An account may act while it is ACTIVE and belongs to at least one usable organization (not
suspended, not deleted). Login, token issuing, refresh, two-factor login and the GraphQL principal
(domain.authz.repository) all build on these expressions, so a change here changes them all.
Technician assignments need no branch of their own: a technician is on the staff of a usable
partner (the principal's query also requires it), and a partner with an active mapping cannot be
deleted (domain.organizations.service).
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Exists, and_, exists, select
from sqlalchemy.orm.util import AliasedClass

from db.models import Membership, Organization, User
from domain.enums import OrganizationStatus, UserStatus


def usable_organization(
    organization: type[Organization] | AliasedClass[Organization] = Organization,
) -> ColumnElement[bool]:
    """An organization that grants access: neither suspended nor deleted."""
    return and_(
        organization.status != OrganizationStatus.SUSPENDED,
        organization.deleted_at.is_(None),
    )


def active_user() -> ColumnElement[bool]:
    return User.status == UserStatus.ACTIVE


def usable_membership(user_id: ColumnElement[uuid.UUID] | uuid.UUID) -> Exists:
    """The user belongs to at least one usable organization (by a membership that its
    directory has not suspended through SCIM)."""
    return exists(
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Membership.suspended_at.is_(None),
            usable_organization(),
        )
    )


def may_act(user_id: ColumnElement[uuid.UUID] | uuid.UUID) -> ColumnElement[bool]:
    """The WHERE clause over ``User``: the account ``user_id`` may act now."""
    return and_(User.id == user_id, active_user(), usable_membership(user_id))
