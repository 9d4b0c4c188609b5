"""Sign-up of a customer organization ("Create an Organization now").

No enumeration (SECURITY.md): a known email gets exactly the answer a new one gets, ``accepted``,
and the mailbox owner learns the truth by mail — a fresh activation link when the account is still
pending (they probably lost the first one), an "already registered" notice otherwise.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from domain.accounts import limits, repository
from domain.accounts.forms import InformationForm, Signup, validate_information_form
from domain.accounts.known_address import rehearse_telling, tell_owner
from domain.accounts.mailing import send_activation
from domain.audit.service import record
from domain.context import RequestMeta
from domain.dependencies import SignupDeps
from domain.enums import OrganizationType
from domain.errors import Validator
from domain.organizations.service import (
    ConsentVersions,
    create_organization_with_super_admin,
    record_consents,
)
from settings import Settings


def consent_versions(settings: Settings) -> ConsentVersions:
    return ConsentVersions(
        terms_of_service=settings.terms_of_service_version,
        privacy_policy=settings.privacy_policy_version,
    )


async def register_customer(deps: SignupDeps, meta: RequestMeta, form: InformationForm) -> None:
    """Validate, then create the pending organization and its Super Admin, or mail the owner of
    the known address. Raises ``UserErrors`` for an invalid form, ``RateLimited`` past the limits."""
    settings = deps.settings
    v = Validator(("input",))
    signup = validate_information_form(v, form, allow_test_domains=not settings.production)
    v.raise_if_any()
    assert signup is not None
    await limits.per_address(
        deps.limiter, settings.rate_limit_registration_per_address, "registration", meta
    )
    await limits.per_account(
        deps.limiter, settings.rate_limit_registration, "registration", signup.person.email
    )
    code_key = await deps.secrets.account_code_key()
    async with deps.db.unit_of_work() as session:
        user = await repository.user_by_email(session, signup.person.email)
        if user is None:
            try:
                user = await repository.add_pending_user(
                    session,
                    email=signup.person.email,
                    first_name=signup.person.first_name,
                    last_name=signup.person.last_name,
                )
            except repository.EmailTaken:
                # Lost a race with another sign-up for the same address: now it is known.
                user = await repository.user_by_email(session, signup.person.email)
                assert user is not None
            else:
                # The known path's question (test_enumeration: the same statements on each path).
                await repository.lock_unclaimed_account(session, uuid.uuid4())
                await _create_customer(session, settings, signup, user, code_key, meta)
                # Costs what a known address's path does (same statements, test_enumeration).
                await rehearse_telling(session, deps, user.id, with_stand_in=False)
                return
        # An account only invitations made is nobody's yet: the sign-up creates what it would
        # for a new address (the invitations stay separate offers).
        unclaimed = await claim_invited_account(session, user.id, signup)
        if unclaimed is not None:
            await _create_customer(session, settings, signup, unclaimed, code_key, meta)
            await rehearse_telling(session, deps, unclaimed.id, with_stand_in=False)
            return
        # What a new sign-up would have written, for tell_owner's stand-in (rolled back).
        await tell_owner(
            session,
            deps,
            user,
            meta,
            action="registration",
            rehearse_also=lambda stand_in: rehearse_signup(session, signup, stand_in, settings),
        )


async def claim_invited_account(
    session: AsyncSession, user_id: uuid.UUID, signup: Signup
) -> User | None:
    """The account, locked and named as the form says, when all it has is invitations.

    An invitation makes a pending account that belongs to nothing yet (domain.members.invitations).
    Somebody else's invitation must not decide what a sign-up of that address creates: such an
    account is not "known" — the sign-up creates its organization exactly as for a new email, and
    the invitations stay separate offers (accepted or declined once signed in). An account that
    was activated, or already belongs to an organization (an earlier sign-up), is known: None.
    """
    user = await repository.lock_unclaimed_account(session, user_id)
    if user is None:
        return None
    # The names are the sign-up's (the mailbox owner's once activated), never an inviter's.
    user.first_name = signup.person.first_name
    user.last_name = signup.person.last_name
    await session.flush()
    return user


async def _create_customer(
    session: AsyncSession,
    settings: Settings,
    signup: Signup,
    user: User,
    code_key: bytes,
    meta: RequestMeta,
) -> None:
    organization = await create_organization_with_super_admin(
        session, kind=OrganizationType.CUSTOMER, details=signup.organization, super_admin=user
    )
    await record_consents(
        session,
        email=user.email,
        versions=consent_versions(settings),
        meta=meta,
        user_id=user.id,
        organization_id=organization.id,
    )
    issued = await send_activation(
        session, settings, user=user, code_key=code_key, organization_name=organization.name
    )
    await record(
        session,
        "organization.registered",
        meta=meta,
        actor_user_id=user.id,
        actor_email=user.email,
        organization_id=organization.id,
        target_type="organization",
        target_id=organization.id,
        details={"type": OrganizationType.CUSTOMER.value, "activation_mailed": issued is not None},
    )


async def rehearse_signup(
    session: AsyncSession, signup: Signup, stand_in: User, settings: Settings
) -> None:
    """A new sign-up's writes beyond the activation mail (tell_owner rehearses that) for a
    stand-in, inside tell_owner's rolled-back savepoint (domain.accounts.rehearsal)."""
    organization = await create_organization_with_super_admin(
        session, kind=OrganizationType.CUSTOMER, details=signup.organization, super_admin=stand_in
    )
    await record_consents(
        session,
        email=stand_in.email,
        versions=consent_versions(settings),
        meta=RequestMeta(),
        user_id=stand_in.id,
        organization_id=organization.id,
    )
