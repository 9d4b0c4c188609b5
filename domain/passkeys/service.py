"""The viewer's own passkeys (the console's Account page, through GraphQL): register, list,
rename, remove. Use cases take ``(session, principal, meta, …)``; nothing commits.

Registration is two calls: ``start_registration`` stores a new challenge (single use,
``CHALLENGE_SECONDS``) bound to the account and returns the creation options;
``finish_registration`` spends that challenge and verifies the browser's answer (origin, RP id,
user presence *and* verification) before the credential is kept. Every registration and removal is
audited and mailed to the owner. While an organization of the account requires phishing-resistant
sign-in, its last passkey cannot be removed (the next login would demand one at once).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Passkey, User
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import NotFound, Unauthenticated, UserError
from domain.passkeys import ceremony, errors, notices, repository
from domain.passkeys.ceremony import CeremonyFailed, Descriptor, RelyingParty
from kit.clock import utcnow

MAX_PASSKEYS = 20
MAX_NAME_LENGTH = 100
CREDENTIAL_FIELD = ("input", "credential")
NAME_FIELD = ("input", "name")
ID_FIELD = ("input", "id")
DEFAULT_NAME = "Passkey"


def descriptors(passkeys: list[Passkey]) -> list[Descriptor]:
    return [Descriptor(p.credential_id, (p.transports or "").split()) for p in passkeys]


async def new_challenge(session: AsyncSession, purpose: str, user_id: uuid.UUID | None) -> bytes:
    challenge = secrets.token_bytes(32)
    now = utcnow()
    await repository.insert_challenge(
        session,
        challenge_hash=ceremony.challenge_hash(challenge),
        purpose=purpose,
        user_id=user_id,
        now=now,
        expires_at=now + timedelta(seconds=ceremony.CHALLENGE_SECONDS),
    )
    return challenge


async def _user(session: AsyncSession, principal: Principal) -> User:
    user = await session.get(User, principal.user_id)
    if user is None:
        raise Unauthenticated()
    return user


def clean_name(raw: str | None, field: tuple[str, ...] = NAME_FIELD) -> str:
    name = " ".join((raw or "").split())
    if len(name) > MAX_NAME_LENGTH:
        raise UserError(
            errors.PASSKEY_NAME_INVALID, f"Use at most {MAX_NAME_LENGTH} characters.", field
        )
    return name


async def start_registration(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, rp: RelyingParty
) -> str:
    """The options for ``navigator.credentials.create()``, as JSON."""
    return await registration_options(session, await _user(session, principal), rp)


async def registration_options(session: AsyncSession, user: User, rp: RelyingParty) -> str:
    existing = await repository.passkeys_of(session, user.id)
    if len(existing) >= MAX_PASSKEYS:
        raise UserError(
            errors.PASSKEY_LIMIT_REACHED,
            f"An account can have at most {MAX_PASSKEYS} passkeys. Remove one first.",
        )
    challenge = await new_challenge(session, "register", user.id)
    display = f"{user.first_name} {user.last_name}".strip()
    return ceremony.registration_options(
        rp,
        challenge=challenge,
        user_id=user.id,
        email=user.email,
        display_name=display,
        existing=descriptors(existing),
    )


async def finish_registration(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    rp: RelyingParty,
    credential: str,
    name: str | None,
    public_url: str,
) -> Passkey | UserError:
    user = await _user(session, principal)
    return await register(
        session, user, meta, rp=rp, credential=credential, name=name, public_url=public_url
    )


async def register(
    session: AsyncSession,
    user: User,
    meta: RequestMeta,
    *,
    rp: RelyingParty,
    credential: str,
    name: str | None,
    public_url: str,
) -> Passkey | UserError:
    """Keep the credential the browser created for ``user`` (from the console, or during a login
    that an organization's requirement holds up: domain/passkeys/login.py). Refusals before the
    challenge is spent are raised; those after it are returned, so that the caller commits the
    spent challenge (good once, also when the answer was wrong) and the audit event."""
    label = clean_name(name) or DEFAULT_NAME
    try:
        parsed, challenge_hash = ceremony.parse_registration(credential)
    except CeremonyFailed:
        raise UserError(
            errors.PASSKEY_NOT_CREATED,
            "The browser did not create a passkey. Try again.",
            CREDENTIAL_FIELD,
        ) from None
    now = utcnow()
    spent = await repository.spend_challenge(
        session, challenge_hash, purpose="register", user_id=user.id, now=now
    )
    if spent is not None:
        raise UserError(
            errors.PASSKEY_CEREMONY_EXPIRED,
            "Adding the passkey took too long or was already finished. Start again.",
            CREDENTIAL_FIELD,
        )
    # The stored hash matched: the challenge the browser signed is the one issued.
    challenge = ceremony.challenge_of(parsed.response.client_data_json)
    try:
        new = ceremony.verify_registration(rp, parsed, challenge)
    except CeremonyFailed as failed:
        await notices.audit(
            session,
            "passkey.registration_refused",
            user_id=user.id,
            email=user.email,
            meta=meta,
            details={"reason": failed.reason},
        )
        # Returned, not raised: the spent challenge and the audit event must commit.
        return UserError(
            errors.PASSKEY_NOT_CREATED,
            "The passkey could not be verified. Try again.",
            CREDENTIAL_FIELD,
        )
    if await repository.by_credential_id(session, new.credential_id) is not None:
        return UserError(
            errors.PASSKEY_ALREADY_REGISTERED,
            "This passkey is already registered.",
            CREDENTIAL_FIELD,
        )
    passkey = Passkey(
        user_id=user.id,
        credential_id=new.credential_id,
        public_key=new.public_key,
        sign_count=new.sign_count,
        transports=" ".join(new.transports)[:200] or None,
        aaguid=new.aaguid,
        backup_eligible=new.backup_eligible,
        backed_up=new.backed_up,
        name=label,
        created_at=now,
    )
    session.add(passkey)
    await session.flush()
    await notices.audit(
        session,
        "passkey.registered",
        user_id=user.id,
        email=user.email,
        meta=meta,
        details={**notices.passkey_details(passkey), "aaguid": new.aaguid},
    )
    await notices.notify(session, user, passkey, "added", now, public_url=public_url)
    return passkey


async def list_passkeys(session: AsyncSession, principal: Principal) -> list[Passkey]:
    return await repository.passkeys_of(session, principal.user_id)


async def rename_passkey(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    passkey_id: uuid.UUID,
    *,
    name: str,
) -> Passkey:
    user = await _user(session, principal)
    passkey = await repository.owned(session, user.id, passkey_id)
    if passkey is None:
        raise NotFound("passkey", ID_FIELD)
    label = clean_name(name)
    if not label:
        raise UserError(errors.PASSKEY_NAME_INVALID, "Give the passkey a name.", NAME_FIELD)
    if label != passkey.name:
        old = passkey.name
        passkey.name = label
        await session.flush()
        await notices.audit(
            session,
            "passkey.renamed",
            user_id=user.id,
            email=user.email,
            meta=meta,
            details={"passkey_id": str(passkey.id), "from": old, "to": label},
        )
    return passkey


async def remove_passkey(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    passkey_id: uuid.UUID,
    *,
    public_url: str,
) -> Passkey:
    user = await _user(session, principal)
    passkey = await repository.owned(session, user.id, passkey_id)
    if passkey is None:
        raise NotFound("passkey", ID_FIELD)
    if await repository.count_of(session, user.id) == 1 and await repository.required_for(
        session, user.id
    ):
        raise UserError(
            errors.LAST_PASSKEY_REQUIRED,
            "Your organization requires a passkey to sign in: add another one before removing "
            "this one.",
            ID_FIELD,
        )
    await repository.remove(session, passkey.id)
    now = utcnow()
    await notices.audit(
        session,
        "passkey.removed",
        user_id=user.id,
        email=user.email,
        meta=meta,
        details=notices.passkey_details(passkey),
    )
    await notices.notify(session, user, passkey, "removed", now, public_url=public_url)
    return passkey
