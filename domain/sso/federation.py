"""Signing in through an organization's own OpenID provider (home-realm discovery at /login):
the rules about the person (the protocol itself, as a relying party, is identity/sso_client.py,
since the domain imports no OAuth framework). Only an address in one of the
organization's *verified* domains is accepted, whatever the provider asserts: a provider speaks
for its own organization's people, nobody else's. A first sign-in creates the account (no
password) and its membership (USER, or the role a mapped group gives); later ones update the name
and the mapped role (never a Super Admin's).

How the person signed in at the provider (its RFC 8176 ``amr``) is kept after ``fed`` in the
portal session's ``amr``, and decides whether the organization's sign-in requirements are met
already (``next_step``): an organization that requires two-factor sign-in accepts a provider's
multi-factor sign-in (``multi_factor``); one that requires a passkey accepts a provider's
phishing-resistant one (``phishing_resistant``). Otherwise the portal's own second step runs, as
after a password (identity/pages/two_factor.py): a code or a passkey when the account has one,
setting one up when it has none.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Membership, SsoConnection, SsoDomain, User
from domain.audit.repository import INSERT_EVENT, add_event
from domain.audit.service import EventFields, entry
from domain.context import RequestMeta
from domain.enums import Role, UserStatus
from domain.login import service as login_service
from domain.login.errors import LoginResult
from domain.login.repository import LoginAccess, LoginCandidate
from domain.sso import repository as repo
from domain.sso.connections import group_roles_of
from domain.sso.service import normalize_domain
from kit.clock import utcnow
from kit.ids import uuid7

CALLBACK_PATH = "/sso/callback"
# How the person signed in, in the session's ``amr`` (RFC 8176 has no value for federation;
# "fed" is the one in use, e.g. by Entra ID).
AMR = "fed"

# --- what the provider's ``amr`` proves (RFC 8176 values) ----------------------------------------
# Factors by kind: something known, something held, something one is.
KNOWLEDGE = frozenset({"pwd", "pin", "kba"})
POSSESSION = frozenset({"otp", "sms", "tel", "hwk", "swk", "pop", "sc"})
INHERENCE = frozenset({"fpt", "face", "iris", "retina", "vbm"})
# The holder of a key verified by the device itself (a PIN, a biometric, or ``user`` — what a
# WebAuthn sign-in with user verification reports, this portal's own passkeys included).
USER_VERIFIED = frozenset({"user", "pin", "fpt", "face", "iris", "retina", "vbm"})
# How many of the provider's values are kept, and what each may look like (a session keeps its
# ``amr`` space-separated: a value with a space in it would read back as two).
MAX_AMR_VALUES = 8
AMR_VALUE = re.compile(r"[A-Za-z0-9_.:-]{1,32}")


def multi_factor(amr: Iterable[str]) -> bool:
    """Whether a provider's ``amr`` shows a sign-in with more than one factor: ``mfa`` (the
    provider says so), or factors of two different kinds (``pwd`` + ``otp``, ``pwd`` + ``hwk``,
    ``otp`` + ``fpt``, ...), or a key whose holder the device verified (``hwk``/``swk`` +
    ``user``/``pin``/a biometric: a passkey). Two of one kind (``pwd`` + ``pin``, ``otp`` +
    ``sms``) are one factor; ``mca``, ``rba``, ``wia``, ``geo`` and unknown values count for
    nothing."""
    values = set(amr)
    if "mfa" in values:
        return True
    kinds = sum(1 for kind in (KNOWLEDGE, POSSESSION, INHERENCE) if values & kind)
    if kinds >= 2:
        return True
    return bool(values & {"hwk", "swk"}) and bool(values & USER_VERIFIED)


def phishing_resistant(amr: Iterable[str]) -> bool:
    """Whether a provider's ``amr`` shows what an organization requiring a passkey asks for: a
    hardware-secured key (``hwk``: a security key, a device-bound passkey, a smart card — bound to
    the site it signs for) in a multi-factor sign-in (``multi_factor``: with ``user``/``pin``/a
    biometric, or with a password). Not ``swk``: providers report a push approval (Okta Verify)
    or a software certificate with it, which a phishing site can relay; nor ``otp``/``sms``/
    ``mfa`` alone. (This portal's own passkey step accepts synced passkeys because it checks the
    WebAuthn ceremony itself; a provider's ``swk`` cannot be told apart from those.)"""
    values = set(amr)
    return "hwk" in values and multi_factor(values)


def session_amr(upstream: Iterable[str]) -> list[str]:
    """The portal session's ``amr``: ``fed``, then the provider's own values."""
    return [AMR, *(value for value in upstream if value != AMR)]


def next_step(
    amr: Iterable[str], candidate: LoginCandidate, access: LoginAccess
) -> LoginResult | None:
    """What must follow the provider's answer before the person is signed in (None: nothing),
    exactly as after a right password (domain/login/service.py ``second_step``) unless the
    provider's sign-in already meets the organization's requirement: a passkey requirement is met
    by ``phishing_resistant`` only; otherwise a ``multi_factor`` sign-in needs no second step
    here (an account's own TOTP included: the provider's factors stand in for it)."""
    values = set(amr)
    if access.passkey_required:
        if phishing_resistant(values):
            return None
    elif multi_factor(values):
        return None
    return login_service.second_step(candidate, access)


class FederationFailed(Exception):
    """The sign-in at the provider did not give us a person; ``str`` is fit to show."""


@dataclass(frozen=True, slots=True)
class Pending:
    """What the browser session keeps between the redirect and the callback."""

    connection_id: str
    state: str
    nonce: str
    verifier: str

    def as_data(self) -> dict[str, str]:
        return {
            "connection_id": self.connection_id,
            "state": self.state,
            "nonce": self.nonce,
            "verifier": self.verifier,
        }

    @classmethod
    def from_data(cls, data: Any) -> Pending | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                str(data["connection_id"]),
                str(data["state"]),
                str(data["nonce"]),
                str(data["verifier"]),
            )
        except KeyError:
            return None


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    first_name: str
    last_name: str
    groups: tuple[str, ...]
    subject: str
    # How the provider signed the person in (its ID token's ``amr``, RFC 8176), bounded.
    amr: tuple[str, ...] = ()


def email_domain(email: str) -> str | None:
    local, at, domain = email.strip().rpartition("@")
    if not at or not local:
        return None
    return normalize_domain(domain)


@dataclass(frozen=True, slots=True)
class Route:
    """Where home-realm discovery sends an address: its organization's connection."""

    connection_id: uuid.UUID
    organization_id: uuid.UUID
    # Members may not sign in with a password (but the Super Admin's break glass).
    enforced: bool


async def route(session: AsyncSession, email: str) -> Route | None:
    """The connection an address goes to (its domain verified, with a connection), or None."""
    domain = email_domain(email)
    if domain is None:
        return None
    found = await repo.route_for(session, domain)
    return Route(*found) if found else None


def route_sync(session: Session, email: str) -> Route | None:
    """``route`` in a synchronous transaction (the login form's, identity/pages/login.py)."""
    domain = email_domain(email)
    if domain is None:
        return None
    found = repo.route_for_sync(session, domain)
    return Route(*found) if found else None


def redirect_uri(public_url: str) -> str:
    return public_url.rstrip("/") + CALLBACK_PATH


def person_from_claims(claims: dict[str, Any], groups_claim: str | None) -> Person:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        raise FederationFailed("Your organization's sign-in service did not confirm your email.")
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    first = claims.get("given_name") if isinstance(claims.get("given_name"), str) else None
    last = claims.get("family_name") if isinstance(claims.get("family_name"), str) else None
    if first is None and last is None:
        first, _, last = str(name).partition(" ")
    groups_value = claims.get(groups_claim) if groups_claim else None
    groups = (
        tuple(g for g in groups_value if isinstance(g, str))
        if isinstance(groups_value, list)
        else ()
    )
    amr_value = claims.get("amr")
    amr = (
        tuple(dict.fromkeys(a for a in amr_value if isinstance(a, str) and AMR_VALUE.fullmatch(a)))[
            :MAX_AMR_VALUES
        ]
        if isinstance(amr_value, list)
        else ()
    )
    return Person(
        email=email.strip().lower(),
        first_name=(first or email.split("@")[0])[:100],
        last_name=(last or "")[:100],
        groups=groups,
        subject=str(claims["sub"]),
        amr=amr,
    )


def role_for(connection: SsoConnection, person: Person) -> Role:
    mapping = group_roles_of(connection)
    roles = {mapping[g] for g in person.groups if g in mapping}
    return Role.ADMIN if Role.ADMIN in roles else Role.USER


def provision(
    session: Session, connection: SsoConnection, person: Person, meta: RequestMeta
) -> tuple[uuid.UUID, int]:
    """The person's account (created on a first sign-in) and membership, in the caller's
    transaction; (user id, security stamp). Raises ``FederationFailed`` for an address outside
    the organization's verified domains or an account that may not sign in."""
    domain = email_domain(person.email)
    verified = session.scalar(
        select(SsoDomain.id).where(
            SsoDomain.organization_id == connection.organization_id,
            SsoDomain.name == domain,
            SsoDomain.verified_at.is_not(None),
        )
    )
    if domain is None or verified is None:
        raise FederationFailed(
            "Your organization's sign-in service answered for an address outside its domains."
        )
    now = utcnow()
    organization = connection.organization_id
    role = role_for(connection, person)
    user = session.scalar(select(User).where(User.email == person.email))
    details = {"issuer": connection.issuer, "subject": person.subject}
    if user is None:
        user = User(
            id=uuid7(),
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            status=UserStatus.ACTIVE,
            password_hash=None,
            activated_at=now,
        )
        session.add(user)
        session.flush()
        _store(
            session, entry("sso.account_created", meta=meta, **_about(user, organization, details))
        )
    elif user.status is UserStatus.DISABLED:
        raise FederationFailed("This account cannot sign in at the moment.")
    else:
        if user.status is UserStatus.PENDING:
            # Never activated (an open sign-up or invitation): the provider has just proven the
            # address, which is what activation proves.
            user.status, user.activated_at = UserStatus.ACTIVE, now
            _store(
                session,
                entry("sso.account_activated", meta=meta, **_about(user, organization, details)),
            )
        user.first_name, user.last_name = person.first_name, person.last_name
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization
        )
    )
    if membership is None:
        session.add(Membership(user_id=user.id, organization_id=organization, role=role))
        _store(
            session,
            entry(
                "sso.member_joined", meta=meta, **_about(user, organization, {"role": role.value})
            ),
        )
    elif (
        membership.role in (Role.ADMIN, Role.USER)
        and membership.role is not role
        and group_roles_of(connection)  # only a configured mapping changes roles
    ):
        change = {"from": membership.role.value, "to": role.value}
        _store(session, entry("sso.role_changed", meta=meta, **_about(user, organization, change)))
        membership.role = role
    user.last_login_at = now
    session.flush()
    signed_in = {**details, "amr": list(person.amr)}
    _store(session, entry("login.federated", meta=meta, **_about(user, organization, signed_in)))
    return user.id, user.security_stamp


def _about(user: User, organization_id: uuid.UUID, details: dict[str, Any]) -> EventFields:
    """An SSO event's fields: the person is actor and target, in the organization's log. (Each
    call names its action literally: tests/webhooks reads them to prove none of these synchronous
    events is a webhook event, which this path would never send. A person who joins through SSO
    is `sso.member_joined`, not the catalogue's `member.joined`.)"""
    return {
        "actor_user_id": user.id,
        "actor_email": user.email,
        "organization_id": organization_id,
        "target_type": "user",
        "target_id": user.id,
        "details": json.loads(json.dumps(details)),
    }


def _store(session: Session, row: dict[str, Any]) -> None:
    session.connection().execute(INSERT_EVENT, row)


async def load_connection(session: AsyncSession, connection_id: str) -> SsoConnection | None:
    try:
        parsed = uuid.UUID(connection_id)
    except ValueError:
        return None
    return await repo.get_connection(session, parsed)


async def break_glass(
    session: AsyncSession, connection: SsoConnection, email: str, meta: RequestMeta
) -> bool:
    """Whether a typed password may be checked although single sign-on is enforced: only the
    organization's Super Admin's (so that a broken provider cannot lock the organization out).
    The attempt is audited before the password is checked, in the caller's transaction."""
    user_id = await repo.super_admin_with_email(
        session, connection.organization_id, email.strip().lower()
    )
    if user_id is None:
        return False
    await add_event(
        session,
        entry(
            "sso.break_glass_attempted",
            meta=meta,
            actor_user_id=user_id,
            actor_email=email.strip().lower(),
            organization_id=connection.organization_id,
            target_type="user",
            target_id=user_id,
            details={"issuer": connection.issuer},
        ),
    )
    return True
