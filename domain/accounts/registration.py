"""Sign-up of a customer organization ("Create an Organization now").

No enumeration (SECURITY.md): a known email gets exactly the answer a new one gets, ``accepted``,
and the mailbox owner learns the truth by mail — a fresh activation link when the account is still
pending (they probably lost the first one), an "already registered" notice otherwise.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Organization, User
from domain.accounts import limits, repository
from domain.accounts.forms import InformationForm, Signup, validate_information_form
from domain.accounts.mailing import send_activation, send_mail
from domain.accounts.rehearsal import rehearse, stand_in_user
from domain.accounts.tokens import issue_token
from domain.audit.service import record
from domain.context import RequestMeta
from domain.enums import OrganizationType, TokenPurpose, UserStatus
from domain.errors import Validator
from domain.members import repository as members_repo
from domain.members.mailing import display_name
from domain.organizations.service import (
    ConsentVersions,
    create_organization_with_super_admin,
    record_consents,
)
from kit.clock import utcnow
from settings import Settings

if TYPE_CHECKING:
    from runtime import Services


def consent_versions(settings: Settings) -> ConsentVersions:
    return ConsentVersions(
        terms_of_service=settings.terms_of_service_version,
        privacy_policy=settings.privacy_policy_version,
    )


async def register_customer(services: Services, form: InformationForm, meta: RequestMeta) -> None:
    """Validate, then create the pending organization and its Super Admin, or mail the owner of
    the known address. Raises ``UserErrors`` for an invalid form, ``RateLimited`` past the limits."""
    settings = services.settings
    v = Validator(("input",))
    signup = validate_information_form(v, form, allow_test_domains=not settings.production)
    v.raise_if_any()
    assert signup is not None
    await limits.per_address(
        services.limiter, settings.rate_limit_registration_per_address, "registration", meta
    )
    await limits.per_account(
        services.limiter, settings.rate_limit_registration, "registration", signup.person.email
    )
    code_key = await services.secrets.account_code_key()
    async with services.db.unit_of_work() as session:
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
                await _create_customer(session, settings, signup, user, code_key, meta)
                return
        unclaimed = await claim_invited_account(session, user.id, signup)
        if unclaimed is not None:
            await _create_customer(session, settings, signup, unclaimed, code_key, meta)
            return
        await rehearse_signup(session, signup, code_key, settings)
        await tell_existing_owner(session, services, user, meta, action="registration")


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
    session: AsyncSession, signup: Signup, code_key: bytes, settings: Settings
) -> None:
    """A new sign-up's writes for a stand-in, rolled back (domain.accounts.rehearsal)."""

    async def work() -> None:
        stand_in = await stand_in_user(session, signup.person.first_name, signup.person.last_name)
        organization = await create_organization_with_super_admin(
            session,
            kind=OrganizationType.CUSTOMER,
            details=signup.organization,
            super_admin=stand_in,
        )
        await record_consents(
            session,
            email=stand_in.email,
            versions=consent_versions(settings),
            meta=RequestMeta(),
            user_id=stand_in.id,
            organization_id=organization.id,
        )
        await issue_token(
            session,
            user_id=stand_in.id,
            purpose=TokenPurpose.ACTIVATION,
            ttl_seconds=settings.activation_ttl_seconds,
            code_key=code_key,
        )

    await rehearse(session, work)


async def tell_existing_owner(
    session: AsyncSession, services: Services, user: User, meta: RequestMeta, *, action: str
) -> None:
    """Someone used a known address in a sign-up form: tell its owner, not the form.

    A pending account gets a new activation link (the old one dies; the guard keeps this from
    becoming a way to flood the mailbox); an active or disabled one an "already registered"
    notice that points to sign-in and password reset.
    """
    settings = services.settings
    mailed: bool
    if user.status is UserStatus.PENDING:
        code_key = await _cached_code_key(services)
        organization_name = await repository.first_organization_name(session, user.id)
        offer = None if organization_name else await latest_offer(session, user.id)
        if offer is not None:
            # An account an invitation made: only an invitation's link can activate it, so the
            # new link is the latest live invitation's, in that invitation's words.
            invitation, organization, inviter_name = offer
            issued = await send_activation(
                session,
                settings,
                user=user,
                code_key=code_key,
                organization_name=organization.name,
                template="invitation",
                context={
                    "first_name": "",
                    "inviter_name": inviter_name,
                    "role": invitation.role.value,
                },
                ttl_seconds=max(1, int((invitation.expires_at - utcnow()).total_seconds())),
                invitation_id=invitation.id,
            )
        else:
            issued = await send_activation(
                session, settings, user=user, code_key=code_key, organization_name=organization_name
            )
        mailed = issued is not None
    else:
        mailed = await send_mail(
            session,
            settings,
            template="already_registered",
            to=user.email,
            context={
                "first_name": user.first_name,
                "login_url": f"{settings.public_url}/login",
            },
        )
    await record(
        session,
        f"{action}.known_email",
        meta=meta,
        actor_email=user.email,
        target_type="user",
        target_id=user.id,
        details={"status": user.status.value, "mailed": mailed},
    )


async def latest_offer(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[Invitation, Organization, str] | None:
    """The account's most recent live invitation, its organization and inviter's name."""
    offers = await members_repo.live_invitations_of_user(session, user_id, utcnow())
    if not offers:
        return None
    invitation, organization = offers[-1]
    inviter = (
        await session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    )
    return invitation, organization, display_name(inviter) if inviter else organization.name


async def _cached_code_key(services: Services) -> bytes:
    # Callers fetched it before opening their transaction, so this is a cache hit (see
    # domain.secrets on why a miss must not happen inside a unit of work).
    return await services.secrets.account_code_key()
