"""The query behind a principal: every path from a user to an organization, fresh per request.

Reading it on every request is what makes a disabled user, a bumped security stamp, a revoked
grant, a suspended organization, a removed membership, an ended partner mapping or a removed
technician take effect on the very next request, even while an access token is still valid.

It runs on every authenticated GraphQL request, so it is one statement (the user row, the
memberships and the technician assignments as one ``UNION ALL``), built once at import and
executed with bind parameters, in autocommit mode (``Database.single_read``: one statement needs no
transaction of its own): building the three ORM statements it replaced, and the round trips of
their transaction, took more CPU than the database took to answer them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.type_api import TypeEngine

from db.models import (
    Membership,
    OAuthGrant,
    Organization,
    PartnerMapping,
    TechnicianAssignment,
    User,
)
from db.types import UTCDateTime
from domain.authz.acting import active_user, usable_organization
from domain.authz.principal import OrgAccess
from domain.enums import (
    OrganizationType,
    PartnerMappingStatus,
    Role,
)
from kit.clock import utcnow


@dataclass(frozen=True, slots=True)
class ActiveUser:
    id: uuid.UUID
    email: str
    security_stamp: int
    # Memberships first (in the order joined), then technician assignments.
    access: list[OrgAccess]

    @property
    def may_act(self) -> bool:
        """Whether the account may act now: it reaches at least one organization — the rule of
        domain.authz.acting, read from the rows its expressions selected. GraphQL answers
        FORBIDDEN without it, and so must every other place that answers for the account
        (userinfo)."""
        return bool(self.access)


_USER_ID = bindparam("b_user_id", type_=User.id.type)
_GRANT_ID = bindparam("b_grant_id", type_=OAuthGrant.id.type)
_NOW = bindparam("b_now", type_=UTCDateTime())

# Which branch of the union a row comes from; also the first sort key.
_USER_ROW, _MEMBER_ROW, _TECHNICIAN_ROW = 0, 1, 2


def _kind(value: int) -> ColumnElement[int]:
    return literal_column(str(value), Integer).label("kind")


def _none(type_: TypeEngine[Any], name: str) -> ColumnElement[Any]:
    # A NULL cast to the type of the column it stands in for: PostgreSQL resolves a union's types
    # one branch pair at a time (two bare NULLs make text, which then fails against uuid), and the
    # rows are read back as UUIDs, enums and datetimes whichever branch they come from.
    return cast(null(), type_).label(name)


# Every branch has the same columns, in this order.
_COLUMNS = (
    ("organization_id", Organization.id.type),
    ("organization_type", Organization.type.type),
    ("role", Membership.role.type),
    ("mapping_id", PartnerMapping.id.type),
    ("access_scope", PartnerMapping.access_scope.type),
    ("email", User.email.type),
    ("security_stamp", User.security_stamp.type),
    ("sort_at", Membership.created_at.type),
    ("sort_id", Membership.id.type),
)


def _branch(kind: int, **values: Any) -> Select[Any]:
    columns = [
        values[name].label(name) if name in values else _none(t, name) for name, t in _COLUMNS
    ]
    return select(_kind(kind), *columns)


# The active user ...
_USER = _branch(_USER_ROW, email=User.email, security_stamp=User.security_stamp).where(
    User.id == _USER_ID, active_user()
)
# ... and, with an access token's ``sid``, only while that grant is neither revoked nor expired.
_USER_OF_LIVE_GRANT = _USER.join(
    OAuthGrant,
    and_(
        OAuthGrant.id == _GRANT_ID,
        OAuthGrant.user_id == User.id,
        OAuthGrant.revoked_at.is_(None),
        OAuthGrant.expires_at > _NOW,
    ),
)
# Memberships of usable organizations (domain.authz.acting: the rule login and tokens follow).
_MEMBERSHIPS = (
    _branch(
        _MEMBER_ROW,
        organization_id=Membership.organization_id,
        organization_type=Organization.type,
        role=Membership.role,
        sort_at=Membership.created_at,
        sort_id=Membership.id,
    )
    .join(Organization, Organization.id == Membership.organization_id)
    .where(
        Membership.user_id == _USER_ID,
        # Suspended by the organization's directory (SCIM): grants nothing from the next request.
        Membership.suspended_at.is_(None),
        usable_organization(),
    )
)
# Technician assignments: through an ACTIVE mapping whose grant has not ended, to a live customer,
# neither it nor the partner suspended, while the technician is still on the partner's staff
# (leaving the partner ends every assignment at once).
_partner = aliased(Organization)
_staff = aliased(Membership)
_ASSIGNMENTS = (
    _branch(
        _TECHNICIAN_ROW,
        organization_id=PartnerMapping.customer_organization_id,
        organization_type=Organization.type,
        mapping_id=PartnerMapping.id,
        access_scope=PartnerMapping.access_scope,
        sort_at=TechnicianAssignment.created_at,
        sort_id=TechnicianAssignment.id,
    )
    .select_from(PartnerMapping)
    .join(TechnicianAssignment, TechnicianAssignment.mapping_id == PartnerMapping.id)
    .join(Organization, Organization.id == PartnerMapping.customer_organization_id)
    .join(_partner, _partner.id == PartnerMapping.partner_organization_id)
    .where(
        TechnicianAssignment.user_id == _USER_ID,
        PartnerMapping.status == PartnerMappingStatus.ACTIVE,
        # The customer's grant ends at its end date, at once: checked here, on every request,
        # so no job has to run for a technician's next request to be refused.
        PartnerMapping.access_expires_at > _NOW,
        usable_organization(),
        usable_organization(_partner),
        exists().where(
            _staff.user_id == _USER_ID,
            _staff.organization_id == PartnerMapping.partner_organization_id,
            _staff.suspended_at.is_(None),
        ),
    )
)


def _principal_query(user: Select[Any]) -> CompoundSelect[Any]:
    union = union_all(user, _MEMBERSHIPS, _ASSIGNMENTS)
    order = union.selected_columns
    return union.order_by(order.kind, order.sort_at, order.sort_id)


_PRINCIPAL = _principal_query(_USER)
_PRINCIPAL_OF_LIVE_GRANT = _principal_query(_USER_OF_LIVE_GRANT)


async def load_active_user(
    connection: AsyncConnection,
    user_id: uuid.UUID,
    grant_id: uuid.UUID | None = None,
    *,
    now: datetime | None = None,
) -> ActiveUser | None:
    """The active user with every organization they may reach now, in one query; with
    ``grant_id`` (an access token's ``sid``) only while that grant is neither revoked nor
    expired. None when the user (or the grant) is not."""
    moment = now or utcnow()
    if grant_id is None:
        result = await connection.execute(_PRINCIPAL, {"b_user_id": user_id, "b_now": moment})
    else:
        params = {"b_user_id": user_id, "b_grant_id": grant_id, "b_now": moment}
        result = await connection.execute(_PRINCIPAL_OF_LIVE_GRANT, params)
    rows = result.all()
    if not rows or rows[0].kind != _USER_ROW:
        return None
    access: list[OrgAccess] = []
    seen: set[uuid.UUID] = set()
    for row in rows[1:]:
        if row.organization_id in seen:
            # A member who is also assigned as technician there acts as the member.
            continue
        seen.add(row.organization_id)
        if row.kind == _MEMBER_ROW:
            access.append(OrgAccess(row.organization_id, row.organization_type, row.role))
        else:
            access.append(
                OrgAccess(
                    row.organization_id,
                    row.organization_type,
                    Role.TECHNICIAN,
                    row.mapping_id,
                    row.access_scope,
                )
            )
    user = rows[0]
    return ActiveUser(user_id, user.email, user.security_stamp, access)


async def get_organization_type(
    session: AsyncSession, organization_id: uuid.UUID
) -> OrganizationType | None:
    """The type of a live organization (None when missing or deleted)."""
    kind: OrganizationType | None = await session.scalar(
        select(Organization.type).where(
            Organization.id == organization_id, Organization.deleted_at.is_(None)
        )
    )
    return kind
