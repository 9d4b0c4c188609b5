"""The authorization policy: the table of PRODUCT.md §2, in one place.

Every resolver asks here, through ``require`` (an organization-scoped action) or
``require_global`` (a platform action such as reviewing partner requests). An organization the
principal has no path to raises ``NotFound`` — exactly what a missing id raises — so that another
tenant's objects cannot be told apart from missing ones. A path without the right raises
``Forbidden``.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from domain.authz.principal import OrgAccess, Principal
from domain.enums import OrganizationType, PartnerAccessScope, Role
from domain.errors import Forbidden, NotFound


class Action(StrEnum):
    # reading an organization's data
    ORGANIZATION_READ = "ORGANIZATION_READ"
    # organization settings (name, address, MFA requirement)
    ORGANIZATION_UPDATE = "ORGANIZATION_UPDATE"
    ORGANIZATION_DELETE = "ORGANIZATION_DELETE"
    # the organization's details alone (name, address, phone): its Super Admin and Admins
    ORGANIZATION_DETAILS_EDIT = "ORGANIZATION_DETAILS_EDIT"
    LOCATION_MANAGE = "LOCATION_MANAGE"
    DEVICE_MANAGE = "DEVICE_MANAGE"
    LICENSE_MANAGE = "LICENSE_MANAGE"
    # invite and manage ADMIN/USER members
    MEMBER_MANAGE = "MEMBER_MANAGE"
    # hand the single Super Admin role to an active Admin
    SUPER_ADMIN_TRANSFER = "SUPER_ADMIN_TRANSFER"
    # invite / end the customer's support partner
    PARTNER_ACCESS_MANAGE = "PARTNER_ACCESS_MANAGE"
    # a partner organization: create customers, accept mappings, assign technicians
    CUSTOMER_MANAGE = "CUSTOMER_MANAGE"
    AUDIT_READ = "AUDIT_READ"
    # the organization's service accounts (machine access): create, list, rotate, revoke
    SERVICE_ACCOUNT_MANAGE = "SERVICE_ACCOUNT_MANAGE"
    # the organization's webhook endpoints, their secrets and delivery log
    WEBHOOK_MANAGE = "WEBHOOK_MANAGE"
    # enterprise single sign-on: claimed domains and the upstream OpenID provider
    SSO_MANAGE = "SSO_MANAGE"
    # the organization's SCIM token (its directory provisions members with it)
    SCIM_MANAGE = "SCIM_MANAGE"


class GlobalAction(StrEnum):
    PARTNER_REQUEST_REVIEW = "PARTNER_REQUEST_REVIEW"
    STEP_CODE_MANAGE = "STEP_CODE_MANAGE"
    ORGANIZATION_SUSPEND = "ORGANIZATION_SUSPEND"
    ORGANIZATION_READ_ANY = "ORGANIZATION_READ_ANY"
    LICENSE_ISSUE = "LICENSE_ISSUE"
    AUDIT_READ_ANY = "AUDIT_READ_ANY"


_ALL = frozenset({Role.SUPER_ADMIN, Role.ADMIN, Role.USER, Role.TECHNICIAN})
_ADMINS = frozenset({Role.SUPER_ADMIN, Role.ADMIN})
_OPERATORS = frozenset({Role.SUPER_ADMIN, Role.ADMIN, Role.TECHNICIAN})

# Which roles may take each action inside an organization they have a path to.
RULES: dict[Action, frozenset[Role]] = {
    Action.ORGANIZATION_READ: _ALL,
    Action.ORGANIZATION_UPDATE: frozenset({Role.SUPER_ADMIN}),
    Action.ORGANIZATION_DELETE: frozenset({Role.SUPER_ADMIN}),
    Action.ORGANIZATION_DETAILS_EDIT: _ADMINS,
    Action.LOCATION_MANAGE: _OPERATORS,
    Action.DEVICE_MANAGE: _OPERATORS,
    Action.LICENSE_MANAGE: _OPERATORS,
    Action.MEMBER_MANAGE: _OPERATORS,
    Action.SUPER_ADMIN_TRANSFER: frozenset({Role.SUPER_ADMIN}),
    Action.PARTNER_ACCESS_MANAGE: frozenset({Role.SUPER_ADMIN}),
    Action.CUSTOMER_MANAGE: _ADMINS,
    Action.AUDIT_READ: _ADMINS,
    Action.SERVICE_ACCOUNT_MANAGE: _ADMINS,
    Action.WEBHOOK_MANAGE: _ADMINS,
    Action.SSO_MANAGE: frozenset({Role.SUPER_ADMIN}),
    Action.SCIM_MANAGE: frozenset({Role.SUPER_ADMIN}),
}

# Actions that only make sense in one kind of organization.
KIND_RULES: dict[Action, frozenset[OrganizationType]] = {
    Action.PARTNER_ACCESS_MANAGE: frozenset({OrganizationType.CUSTOMER}),
    Action.CUSTOMER_MANAGE: frozenset({OrganizationType.PARTNER}),
    Action.ORGANIZATION_DETAILS_EDIT: frozenset(
        {OrganizationType.CUSTOMER, OrganizationType.PARTNER}
    ),
    Action.SERVICE_ACCOUNT_MANAGE: frozenset({OrganizationType.CUSTOMER, OrganizationType.PARTNER}),
    Action.WEBHOOK_MANAGE: frozenset({OrganizationType.CUSTOMER, OrganizationType.PARTNER}),
    Action.SSO_MANAGE: frozenset({OrganizationType.CUSTOMER}),
    # A customer's directory provisions its own people (a partner's staff are technicians).
    Action.SCIM_MANAGE: frozenset({OrganizationType.CUSTOMER}),
}

# What an internal admin may do in any organization without being a member of it.
INTERNAL_ADMIN_ANYWHERE: frozenset[Action] = frozenset(
    {Action.ORGANIZATION_READ, Action.AUDIT_READ}
)

# What a technician may do beyond reading, by the scope the customer granted its partner
# (domain.partners.access). The end date is not checked here: a technician whose grant has ended
# has no path to the customer at all (domain.authz.repository reads it with the principal).
_DEVICES = frozenset({Action.DEVICE_MANAGE, Action.LOCATION_MANAGE})
SCOPE_ACTIONS: dict[PartnerAccessScope, frozenset[Action]] = {
    PartnerAccessScope.DEVICES: _DEVICES,
    PartnerAccessScope.DEVICES_LICENSES: _DEVICES | {Action.LICENSE_MANAGE},
    PartnerAccessScope.DEVICES_LICENSES_USERS: _DEVICES
    | {Action.LICENSE_MANAGE, Action.MEMBER_MANAGE},
}

GLOBAL_RULES: dict[GlobalAction, frozenset[Role]] = {
    action: frozenset({Role.INTERNAL_ADMIN}) for action in GlobalAction
}


def access_to(
    principal: Principal, organization_id: uuid.UUID, organization_type: OrganizationType | None
) -> OrgAccess | None:
    access = principal.access.get(organization_id)
    if access is None and principal.is_internal_admin and organization_type is not None:
        return OrgAccess(organization_id, organization_type, Role.INTERNAL_ADMIN)
    return access


def allows(access: OrgAccess, action: Action) -> bool:
    kinds = KIND_RULES.get(action)
    if kinds is not None and access.organization_type not in kinds:
        return False
    if access.role is Role.INTERNAL_ADMIN:
        return action in INTERNAL_ADMIN_ANYWHERE
    if (
        access.role is Role.TECHNICIAN
        and action is not Action.ORGANIZATION_READ
        and access.partner_scope is not None
        and action not in SCOPE_ACTIONS[access.partner_scope]
    ):
        return False
    return access.role in RULES[action]


def require(
    principal: Principal,
    organization_id: uuid.UUID,
    action: Action,
    *,
    organization_type: OrganizationType | None = None,
    what: str = "organization",
) -> OrgAccess:
    """The principal's access to the organization if it may take ``action`` there.

    ``organization_type`` must be given (from the loaded organization) for an internal admin to
    reach an organization it is not a member of.
    """
    access = access_to(principal, organization_id, organization_type)
    if access is None:
        raise NotFound(what)
    if not allows(access, action):
        raise Forbidden(action.value)
    return access


def require_global(principal: Principal, action: GlobalAction) -> None:
    if not any(a.role in GLOBAL_RULES[action] for a in principal.access.values()):
        raise Forbidden(action.value)


def can_manage_role(actor_role: Role, target_role: Role) -> bool:
    """Whether ``actor_role`` may grant, change or remove ``target_role`` (PRODUCT.md §2).

    Super Admins and Admins manage ADMIN and USER members; technicians manage USER members. The
    Super Admin role itself only moves by transfer.

    Technicians may invite (PRODUCT.md §2: they "manage licenses and users there"), but only as
    the partner's hands: their invitations and the memberships they lead to carry the partner
    mapping they were made through, so that ending the mapping cancels the pending ones and
    removes those members unless the customer's Super Admin keeps them, unassigning the
    technician cancels their pending invitations, and the customer sees who the partner's staff
    added (domain.partners.mappings, ``Member.addedByPartner``).
    """
    if actor_role in {Role.SUPER_ADMIN, Role.ADMIN}:
        return target_role in {Role.ADMIN, Role.USER}
    if actor_role is Role.TECHNICIAN:
        return target_role is Role.USER
    return False
