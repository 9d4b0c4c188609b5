"""Internal admins: the vendor's staff, members of the single INTERNAL organization.

``create-admin EMAIL`` is safe to run again for the same address:

* a new address: the user is created, pending activation, and the activation email is queued;
* a pending internal admin: a new activation email replaces the old one (the operator asked for
  it, so the mail guard does not apply);
* an active internal admin: nothing changes;
* an address that belongs to a customer or partner account: refused — staff accounts are kept
  apart from customer accounts.
"""

from __future__ import annotations

from enum import StrEnum

from domain.accounts import repository
from domain.accounts.mailing import send_activation
from domain.accounts.validation import InvalidEmail, normalize_email
from domain.audit.service import record
from domain.context import RequestMeta
from domain.dependencies import MailingStoreDeps
from domain.enums import Role, UserStatus
from domain.organizations.service import get_or_create_internal_organization


class AdminOutcome(StrEnum):
    CREATED = "created"
    ACTIVATION_RESENT = "activation_resent"
    ALREADY_ACTIVE = "already_active"
    NOT_AN_ADMIN = "not_an_admin"


async def create_internal_admin(
    deps: MailingStoreDeps,
    email: str,
    *,
    first_name: str = "Internal",
    last_name: str = "Admin",
    meta: RequestMeta | None = None,
) -> AdminOutcome:
    """Raises ``InvalidEmail`` for an address we cannot use."""
    settings = deps.settings
    meta = meta or RequestMeta.system("create-admin")
    normalized = normalize_email(email, allow_test_domains=not settings.production)
    code_key = await deps.secrets.account_code_key()
    async with deps.db.unit_of_work() as session:
        organization = await get_or_create_internal_organization(session)
        user = await repository.user_by_email(session, normalized)
        # An account that only invitations made is nobody's yet (domain.accounts.registration):
        # an invitation does not decide what this address becomes.
        claimed = await repository.lock_unclaimed_account(session, user.id) if user else None
        if claimed is not None:
            claimed.first_name, claimed.last_name = first_name, last_name
            await repository.add_membership(
                session, claimed.id, organization.id, Role.INTERNAL_ADMIN
            )
            user, outcome = claimed, AdminOutcome.CREATED
        elif user is not None:
            role = await repository.role_in(session, user.id, organization.id)
            if role is not Role.INTERNAL_ADMIN:
                return AdminOutcome.NOT_AN_ADMIN
            if user.status is not UserStatus.PENDING:
                return AdminOutcome.ALREADY_ACTIVE
            outcome = AdminOutcome.ACTIVATION_RESENT
        else:
            user = await repository.add_pending_user(
                session, email=normalized, first_name=first_name, last_name=last_name
            )
            await repository.add_membership(session, user.id, organization.id, Role.INTERNAL_ADMIN)
            outcome = AdminOutcome.CREATED
        await send_activation(
            session,
            settings,
            user=user,
            code_key=code_key,
            organization_name=None,  # staff accounts belong to no customer organization
            guarded=False,
        )
        await record(
            session,
            "internal_admin.created"
            if outcome is AdminOutcome.CREATED
            else "internal_admin.activation_resent",
            meta=meta,
            actor_email=user.email,
            organization_id=organization.id,
            target_type="user",
            target_id=user.id,
        )
    return outcome


__all__ = ["AdminOutcome", "InvalidEmail", "create_internal_admin"]
