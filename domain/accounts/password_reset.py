"""Forgotten password: request a reset link by email, then set a new password with it.

Requesting (``request_password_reset``) answers the same — nothing, i.e. ``accepted`` — for every
well-formed address, in about the same time (SECURITY.md "enumeration"); only the mailbox learns
the truth:

* an **active** account gets a reset link (256-bit token, kept as SHA-256 in ``account_token``
  with purpose PASSWORD_RESET, single use, ``password_reset_ttl_seconds``; a newer link replaces
  it). The current password keeps working until the link is used.
* a **pending** account (never activated) gets a fresh *activation* email instead. A reset link
  must not activate an account: activation is where invitations are accepted and pending
  organizations go live (domain.accounts.activation), and it takes the emailed code. Such a person
  has lost the activation email, and that is what they get again — what registration and resend
  also do for a pending address.
* an **unknown or disabled** address gets nothing; the same writes are rehearsed in a rolled-back
  savepoint (domain.accounts.rehearsal) so that the answer takes as long. No informational mail to
  unknown addresses: the portal would become a way to send mail to anyone.

The outbox's guard (1 a minute, 5 a day per recipient, shared with activation mail) silently
holds mail back; when it does, no new link is issued, so the one already in the mailbox keeps
working — and the issuing is rehearsed like an unknown address's, so that a held-back request
takes as long as the others (every path sends the same statements). Rate limits count requests per email and per client address, which tells nothing about
accounts, so they are visible (``RATE_LIMITED``).

Resetting (``reset_password``) checks the link and the password policy, hashes outside any
transaction, then in one transaction consumes the link with a conditional UPDATE (of racing
resets exactly one wins), sets the password, resets ``login_failures``, moves the security stamp
on, revokes every grant and refresh token, ends every browser session, audits, and queues the
``password_changed`` notice. Every refusal of the link is ``INVALID_OR_EXPIRED_TOKEN``; its
message says which case, as it only reaches whoever holds the link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AccountToken, User
from domain.accounts import limits, repository
from domain.accounts.activation import password_policy
from domain.accounts.errors import INVALID_OR_EXPIRED_TOKEN
from domain.accounts.mailing import send_activation
from domain.accounts.passwords import PasswordPolicy, password_error
from domain.accounts.rehearsal import mail_alike
from domain.accounts.tokens import TokenState, find_token, state_of
from domain.audit.service import record, record_account
from domain.context import RequestMeta
from domain.dependencies import AccountDeps
from domain.enums import TokenPurpose, UserStatus
from domain.errors import FieldError, UserErrors
from domain.passkeys.repository import count_of as passkey_count
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from mail import outbox
from mail.catalog import PasswordChangedMail, PasswordResetMail
from mail.messages import human_duration
from settings import Settings

PASSWORD_RESET_MESSAGE = "Your password has been changed. Sign in with your new password."  # noqa: S105
RESET_PATH = "/reset-password"
FORGOT_PATH = "/forgot-password"

_ACTION = "password_reset"
_SUBMIT_ACTION = "password_reset_submit"
_MESSAGES: dict[TokenState, str] = {
    TokenState.UNKNOWN: "This password reset link is not valid. Request a new one.",
    TokenState.USED: "This password reset link was already used. Request a new one if needed.",
    TokenState.SUPERSEDED: "A newer password reset email replaced this link. Use the latest one.",
    TokenState.EXPIRED: "This password reset link has expired. Request a new one.",
    TokenState.LOCKED: "This password reset link is not valid. Request a new one.",
}


@dataclass(frozen=True, slots=True)
class PasswordReset:
    user_id: uuid.UUID
    email: str


def reset_url(public_url: str, link_token: str) -> str:
    return f"{public_url}{RESET_PATH}?token={link_token}"


def token_error(state: TokenState, prefix: tuple[str, ...] = ("input",)) -> FieldError:
    return FieldError(INVALID_OR_EXPIRED_TOKEN, _MESSAGES[state], (*prefix, "token"))


# --- requesting a link -------------------------------------------------------------------------


async def request_password_reset(deps: AccountDeps, meta: RequestMeta, email: str) -> None:
    """Mail a reset link to ``email`` if it has an active account (see the module docstring for
    every other case). Raises ``UserErrors`` only for a malformed address, ``RateLimited`` past
    the limits — both independent of any account.

    Every path sends the same statements (tests/accounts/test_enumeration.py counts them): the
    lookup, the organization name, then ``rehearsal.mail_alike``: the guard's count, a rolled-back
    savepoint with a stand-in user, the issuing writes (supersede, token, outbox) and the audit
    row. What differs is only which of them the savepoint swallows: all of the issuing for an
    unknown or disabled address and for mail the guard holds back, none of it for mail that goes
    out."""
    settings = deps.settings
    normalized = await limits.email_request(
        deps,
        email,
        meta,
        _ACTION,
        address_limit=settings.rate_limit_password_reset_per_address,
        account_limit=settings.rate_limit_password_reset,
    )
    # Before the transaction (domain.secrets: a miss must not happen inside a unit of work); a
    # pending account needs it, and every path fetches it so that none is slower.
    code_key = await deps.secrets.account_code_key()
    async with deps.db.unit_of_work() as session:
        found = await repository.user_by_email(session, normalized)
        user = found if found is not None and found.status is not UserStatus.DISABLED else None
        pending = user is not None and user.status is UserStatus.PENDING
        template = "activation" if pending else "password_reset"
        # A pending account's activation mail names its organization; every path asks.
        organization_name = await repository.first_organization_name(
            session, user.id if user is not None else uuid.uuid4()
        )

        async def issue(recipient: User) -> uuid.UUID:
            if pending:
                issued = await send_activation(
                    session,
                    settings,
                    user=recipient,
                    code_key=code_key,
                    organization_name=organization_name,
                    guarded=False,  # mail_alike asked
                )
                assert issued is not None  # unguarded: always issued
                return issued.id
            return await _issue_reset_link(session, settings, recipient)

        async def audit(recipient: User, token_id: uuid.UUID | None) -> None:
            if pending:
                await record(
                    session,
                    "password_reset.pending_account",
                    meta=meta,
                    actor_email=recipient.email,
                    target_type="user",
                    target_id=recipient.id,
                    details={"activation_mailed": token_id is not None},
                )
            else:
                await _audit_request(
                    session, meta, recipient, mailed=token_id is not None, token_id=token_id
                )

        # Sent, held back by the guard or for nobody: the same statements (rehearsal.mail_alike).
        await mail_alike(
            session, settings, recipient=user, template=template, issue=issue, audit=audit
        )


async def _issue_reset_link(session: AsyncSession, settings: Settings, user: User) -> uuid.UUID:
    """Issue a link (the user's earlier unused ones die) and queue its mail. Only after the
    guard allowed it: when the guard holds mail back, the link already mailed stays valid."""
    now = utcnow()
    await repository.supersede_tokens(session, user.id, TokenPurpose.PASSWORD_RESET, now)
    link_token = new_token()
    row = AccountToken(
        user_id=user.id,
        purpose=TokenPurpose.PASSWORD_RESET,
        link_token_hash=sha256_hex(link_token),
        code_hash=None,  # the link alone: it goes to the mailbox that proves the account
        expires_at=now + timedelta(seconds=settings.password_reset_ttl_seconds),
        failed_attempts=0,
    )
    session.add(row)
    await session.flush()
    await outbox.enqueue(
        session,
        mail=PasswordResetMail(
            first_name=user.first_name,
            reset_url=reset_url(settings.public_url, link_token),
            expires_in=human_duration(settings.password_reset_ttl_seconds),
        ),
        to=user.email,
        public_url=settings.public_url,
    )
    return row.id


async def _audit_request(
    session: AsyncSession,
    meta: RequestMeta,
    user: User,
    *,
    mailed: bool,
    token_id: uuid.UUID | None,
) -> None:
    await record(
        session,
        "password_reset.requested",
        meta=meta,
        actor_email=user.email,
        target_type="user",
        target_id=user.id,
        details={"mailed": mailed, "token_id": str(token_id) if token_id else None},
    )


# --- using a link ------------------------------------------------------------------------------


async def reset_link_state(deps: AccountDeps, token: str) -> TokenState:
    """What the link is worth now (for the page that opens it: a dead link gets an explanation
    and a way to ask for a new one instead of a form). Counts nothing: guessing a 256-bit token
    is hopeless, and only its holder learns anything."""
    async with deps.db.read_session() as session:
        row = await find_token(session, token, TokenPurpose.PASSWORD_RESET)
        user = await repository.user_by_id(session, row.user_id) if row else None
    if row is None or user is None or user.status is not UserStatus.ACTIVE:
        return TokenState.UNKNOWN
    return state_of(row, now=utcnow(), max_attempts=1)


async def reset_password(
    deps: AccountDeps,
    meta: RequestMeta,
    *,
    token: str,
    new_password: str,
    field_prefix: tuple[str, ...] = ("input",),
) -> PasswordReset:
    """Set the password with an emailed reset link. Raises ``UserErrors`` (link:
    ``INVALID_OR_EXPIRED_TOKEN``; password: the policy's codes) or ``RateLimited``. Shared by
    GraphQL's ``resetPassword`` and the hosted page."""
    settings = deps.settings
    limiter = deps.limiter
    policy = password_policy(settings)
    limit = settings.rate_limit_password_reset_per_address
    # Only dead links count per address: a team resetting behind one NAT address is not an attack.
    budget = await limits.failure_budget(limiter, limit, _SUBMIT_ACTION, meta)
    password_field = (*field_prefix, "newPassword")
    if len(new_password) > policy.max_length:
        # Refused before anything else looks at it, let alone hashes it.
        await budget.refund()
        too_long = await password_error(new_password, policy=policy, field=password_field)
        assert too_long is not None
        raise UserErrors([too_long])

    # 1. the link and its user
    now = utcnow()
    async with budget:  # given back unless the link is dead
        async with deps.db.read_session() as session:
            row = await find_token(session, token, TokenPurpose.PASSWORD_RESET)
            user = await repository.user_by_id(session, row.user_id) if row else None
            organizations = await repository.organization_names_of(session, user.id) if user else []
        state = state_of(row, now=now, max_attempts=1)
        if row is None or user is None or user.status is not UserStatus.ACTIVE:
            state = TokenState.UNKNOWN
        if state is not TokenState.USABLE:
            budget.keep()
            raise UserErrors([token_error(state, field_prefix)])
    assert row is not None and user is not None
    await limits.per_account(
        limiter, settings.rate_limit_password_reset, _SUBMIT_ACTION, str(user.id)
    )

    # 2. the policy, with the account's own words (CPU, in a thread)
    await require_policy(new_password, policy, user, organizations, password_field)

    # 3. the hash, outside any transaction (tens of milliseconds; SQLite's write lock stays free)
    password_hash = await deps.hasher.hash(new_password)

    # 4. exactly one winner; everything else the reset implies in the same transaction
    async with deps.db.unit_of_work() as session:
        now = utcnow()
        # A reset link has no code, so its failure count stays 0: max_attempts=1 never bites.
        won = await repository.consume_token(
            session, row.id, now, max_attempts=1
        ) and await repository.reset_password_of_active_user(session, user.id, password_hash, now)
        if not won:
            # Another reset with this link got there first, or a newer link replaced it meanwhile.
            raise UserErrors([token_error(TokenState.USED, field_prefix)])
        # Any other link still in the mailbox dies with this reset.
        await repository.supersede_tokens(session, user.id, TokenPurpose.PASSWORD_RESET, now)
        await signed_out_with_notice(
            session,
            settings,
            user,
            now,
            meta=meta,
            action="account.password_reset",
            details={"token_id": str(row.id)},
        )
    return PasswordReset(user.id, user.email)


async def require_policy(
    new_password: str,
    policy: PasswordPolicy,
    user: User,
    organization_names: list[str],
    field: tuple[str, ...],
) -> None:
    """A new password of ``user``'s (a reset, a change) against the policy, with the account's
    own words (CPU, in a thread). Raises ``UserErrors``."""
    problem = await password_error(
        new_password,
        policy=policy,
        context=[user.email, user.first_name, user.last_name, *organization_names],
        field=field,
    )
    if problem is not None:
        raise UserErrors([problem])


async def signed_out_with_notice(
    session: AsyncSession,
    settings: Settings,
    user: User,
    now: datetime,
    *,
    meta: RequestMeta,
    action: str,
    details: dict[str, object],
    keep_grant: uuid.UUID | None = None,
) -> repository.SignedOut:
    """What a new password implies once it is stored (a reset link's or ``changePassword``'s):
    every grant and refresh token revoked, every browser session ended — but for the session of
    ``keep_grant`` (the caller's own, when the person changed it while signed in) — the audit
    event ``action`` with the counts, and the ``password_changed`` notice queued — in the
    caller's transaction."""
    if keep_grant is None:
        signed_out = await repository.sign_out_everywhere(session, user.id, now)
    else:
        signed_out = await repository.sign_out_elsewhere(session, user.id, keep_grant, now)
    await record_account(
        session,
        action,
        user_id=user.id,
        email=user.email,
        meta=meta,
        details={
            **details,
            "grants_revoked": signed_out.grants,
            "refresh_tokens_revoked": signed_out.refresh_tokens,
            "browser_sessions_ended": signed_out.browser_sessions,
        },
    )
    # Not guarded: only the account's holder can cause it, once per change, and a security
    # notice that the guard swallowed would be worse than none.
    await outbox.enqueue(
        session,
        mail=PasswordChangedMail(
            first_name=user.first_name,
            changed_at=now,
            reset_url=f"{settings.public_url}{FORGOT_PATH}",
            # A new password never removes passkeys (the recovery from a lost one must not
            # quietly leave a stolen one working): the notice says how many still sign in.
            passkeys=await passkey_count(session, user.id),
        ),
        to=user.email,
        public_url=settings.public_url,
    )
    return signed_out
