"""Use cases: an organization's SCIM token (its Super Admin creates, lists and revokes it) and the
users its directory provisions with that token (RFC 7643/7644; the HTTP face is web/scim.py).

The token is shown once and kept as SHA-256 (256 random bits: no slow hash needed, SECURITY.md);
one token is live per organization, a new one replaces it. A provisioned user is a membership of
the token's organization: a new account (PENDING, no password) or an existing one, which keeps
everything it has (its other organizations, its name, its role here if it was a member already).
``active: false`` suspends that one membership (domain.authz: it grants nothing from the next
request), DELETE ends it; the account always stays. The directory never changes an account's
email or name, which other organizations see too: what it sends is kept on the SCIM resource.
Every change is audited, with the token as actor (``details.scim_token``).

Groups are of two kinds: the roles (Admins, Users: fixed, joining one sets the member's role) and
the groups the directory creates itself (Okta "Push groups", Entra ID), which carry members of the
organization but give no role and no access.

A person the directory makes an active member (created, or reactivated) whose account cannot sign
in yet (PENDING: never activated, no password) is mailed a welcome in the same transaction (the
outbox): "sign in with your company account" when the organization's single sign-on covers the
address's verified domain (the first sign-in there activates the account, domain.sso), otherwise
an activation link and code that set a password (domain.accounts: single use, expiring, locked
after wrong tries, replaced by a newer one). An account that can already sign in gets no mail (the
portal has no "added to an organization" notice), nor does an inactive member.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, ScimGroup, ScimGroupMember, ScimToken, ScimUser, User
from domain.accounts.mailing import ActivationLink, send_activation
from domain.accounts.validation import InvalidEmail, normalize_email
from domain.audit.service import record, record_by
from domain.authz.policy import Action
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.enums import Role, UserStatus
from domain.errors import Forbidden, NotFound
from domain.scim import errors
from domain.scim import repository as repo
from domain.scim.repository import Caller, Filter, Member
from domain.sso.federation import route
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from kit.ids import uuid7
from kit.text import fold
from mail import outbox
from mail.catalog import ProvisionedMail, ProvisionedSsoMail
from settings import Settings

# Recognizable by secret scanners.
TOKEN_PREFIX = "cpscim_"  # noqa: S105 (a prefix, not a secret)
TOKENS_LISTED = 20
_ORGANIZATION = ("organizationId",)
NAME_MAX = 100

GROUP_NAME_MAX = 255
EXTERNAL_ID_MAX = 255
GROUP_MEMBERS_MAX = 1000
MEMBER_DISPLAY_MAX = 320

__all__ = ["Caller", "Filter", "Member", "Welcome"]


# --- the token ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token row with the token just made for it (shown once, never stored)."""

    row: ScimToken
    token: str


async def _organization(
    session: AsyncSession, principal: Principal, organization_id: str | uuid.UUID | None
) -> uuid.UUID:
    access = await organization_access(
        session, principal, organization_id, Action.SCIM_MANAGE, field=_ORGANIZATION
    )
    if principal.is_service_account:
        # A leaked machine token must not mint a directory's token that outlives it.
        raise Forbidden("service accounts do not manage SCIM tokens")
    return access.organization_id


async def create_token(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
) -> IssuedToken:
    """A new token for the organization; the live one, if any, is revoked in the same step."""
    organization = await _organization(session, principal, organization_id)
    now = utcnow()
    previous = await repo.live_token(session, organization)
    if previous is not None:
        previous.revoked_at = now
        previous.revoked_by_id = principal.user_id
        await session.flush()
    token = TOKEN_PREFIX + new_token(32)
    row = ScimToken(
        id=uuid7(),
        organization_id=organization,
        token_hash=sha256_hex(token),
        token_hint=token[-4:],
        created_by_id=principal.user_id,
    )
    if not await repo.add_token(session, row):
        # A concurrent creation won: the caller may simply try again.
        raise Forbidden("another SCIM token was created at the same time")
    await record_by(
        session,
        principal,
        meta,
        "scim.token_created",
        target=("scim_token", row.id),
        organization_id=organization,
        details={"hint": row.token_hint, "replaced": str(previous.id) if previous else None},
    )
    return IssuedToken(row, token)


async def revoke_token(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
) -> ScimToken:
    """Revoke the organization's live token: its next request is refused."""
    organization = await _organization(session, principal, organization_id)
    row = await repo.live_token(session, organization)
    if row is None:
        raise NotFound("SCIM token", _ORGANIZATION)
    row.revoked_at = utcnow()
    row.revoked_by_id = principal.user_id
    await session.flush()
    await record_by(
        session,
        principal,
        meta,
        "scim.token_revoked",
        target=("scim_token", row.id),
        organization_id=organization,
        details={"hint": row.token_hint},
    )
    return row


async def list_tokens(
    session: AsyncSession, principal: Principal, *, organization_id: str | None
) -> list[ScimToken]:
    organization = await _organization(session, principal, organization_id)
    return await repo.tokens(session, organization, TOKENS_LISTED)


async def authenticate(session: AsyncSession, token: str) -> Caller | None:
    """The caller behind a bearer token (a live token of a usable customer organization), its
    use recorded; None otherwise."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    caller = await repo.caller(session, sha256_hex(token))
    if caller is not None:
        await repo.mark_used(session, caller.token_id, utcnow())
    return caller


# --- users --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserData:
    """What a directory sends for a user (already checked against the schema by the web layer).
    ``attributes`` is the rest of the resource as it will be returned (name, displayName, emails)."""

    user_name: str
    external_id: str | None = None
    active: bool = True
    emails: tuple[str, ...] = ()
    given_name: str | None = None
    family_name: str | None = None
    display_name: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def _email(data: UserData, *, allow_test_domains: bool) -> str:
    for candidate in (data.user_name, *data.emails):
        try:
            return normalize_email(candidate, allow_test_domains=allow_test_domains)
        except InvalidEmail:
            continue
    raise errors.no_email()


def _names(data: UserData, email: str) -> tuple[str, str]:
    first = (data.given_name or "").strip()
    last = (data.family_name or "").strip()
    if not first and not last and data.display_name:
        first, _, last = data.display_name.strip().partition(" ")
    if not first:
        first = email.partition("@")[0]
    return first[:NAME_MAX], last[:NAME_MAX]


async def _record_by_token(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    action: str,
    target: tuple[str, Any],
    details: dict[str, Any],
) -> None:
    """Every SCIM change's audit event: no person acted, the directory's token did."""
    target_type, target_id = target
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=None,
        actor_email=None,
        organization_id=caller.organization_id,
        target_type=target_type,
        target_id=target_id,
        details={
            "scim_token": str(caller.token_id),
            "scim_token_hint": caller.token_hint,
            **details,
        },
    )


async def _audit(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    action: str,
    user: ScimUser,
    details: dict[str, Any] | None = None,
) -> None:
    about = {"scim_id": str(user.id), "user_name": user.user_name, **(details or {})}
    await _record_by_token(session, caller, meta, action, ("user", user.user_id), about)


async def get_user(session: AsyncSession, caller: Caller, scim_id: str) -> ScimUser:
    found = await repo.scim_user(session, caller.organization_id, _parse(scim_id))
    if found is None:
        raise errors.not_found()
    return found


async def lock_user(session: AsyncSession, caller: Caller, scim_id: str) -> ScimUser:
    found = await repo.scim_user(session, caller.organization_id, _parse(scim_id), lock=True)
    if found is None:
        raise errors.not_found()
    return found


async def list_users(
    session: AsyncSession, caller: Caller, where: Filter | None, *, offset: int, limit: int
) -> tuple[int, list[ScimUser]]:
    return await repo.page(session, caller.organization_id, where, offset=offset, limit=limit)


def _parse(scim_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(scim_id)
    except ValueError:
        raise errors.not_found() from None


@dataclass(frozen=True, slots=True)
class Welcome:
    """What the welcome mail needs: the settings (links, lifetimes) and the code key, fetched
    before the unit of work (domain.secrets)."""

    settings: Settings
    code_key: bytes


async def _welcome(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    user: ScimUser,
    welcome: Welcome,
    *,
    reason: str,
) -> None:
    """Mail the welcome of a member just made active, if their account cannot sign in yet."""
    account = await repo.account(session, user.user_id)
    if account is None or account.status is not UserStatus.PENDING:
        return
    settings = welcome.settings
    organization_name = await repo.organization_name(session, caller.organization_id)
    connection = await route(session, account.email)
    if connection is not None and connection.organization_id == caller.organization_id:
        await outbox.enqueue(
            session,
            mail=ProvisionedSsoMail(
                first_name=account.first_name,
                organization_name=organization_name,
                email=account.email,
                login_url=settings.public_url.rstrip("/") + "/login",
            ),
            to=account.email,
            public_url=settings.public_url,
        )
        details: dict[str, Any] = {"mail": ProvisionedSsoMail.template, "reason": reason}
    else:

        def compose(link: ActivationLink) -> ProvisionedMail:
            return ProvisionedMail(
                first_name=account.first_name,
                organization_name=organization_name,
                activation_url=link.activation_url,
                code=link.code,
                expires_in=link.expires_in,
                resend_url=settings.public_url.rstrip("/") + "/activate/resend",
            )

        # Sent for the directory's administrator, not a stranger: not held back by the guard
        # (like an invitation). The code lives as long as an invitation's; a newer one (a
        # reactivation, a resend) replaces it.
        issued = await send_activation(
            session,
            settings,
            user=account,
            code_key=welcome.code_key,
            organization_name=organization_name,
            compose=compose,
            guarded=False,
            ttl_seconds=settings.invitation_ttl_seconds,
        )
        assert issued is not None  # unguarded: always issued
        details = {"mail": ProvisionedMail.template, "reason": reason, "token_id": str(issued.id)}
    await _audit(session, caller, meta, "scim.user_welcomed", user, details)


async def create_user(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    data: UserData,
    *,
    allow_test_domains: bool,
    welcome: Welcome,
) -> ScimUser:
    organization = caller.organization_id
    if await repo.user_name_taken(session, organization, fold(data.user_name)):
        raise errors.user_name_taken()
    email = _email(data, allow_test_domains=allow_test_domains)
    now = utcnow()
    account = await repo.account_by_email(session, email)
    joined = False
    if account is None:
        first, last = _names(data, email)
        # No password: the person signs in through the organization's single sign-on, or sets
        # one with the activation link of the welcome mail (below).
        account = User(
            id=uuid7(),
            email=email,
            first_name=first,
            last_name=last,
            status=UserStatus.PENDING,
            password_hash=None,
        )
        if not await repo.add_rows(session, account):
            raise errors.user_name_taken()
    membership = await repo.membership_of(session, organization, account.id)
    if membership is None:
        membership = Membership(
            id=uuid7(), user_id=account.id, organization_id=organization, role=Role.USER
        )
        joined = True
    elif await repo.is_linked(session, membership.id):
        raise errors.already_provisioned()
    if not data.active:
        if membership.role is Role.SUPER_ADMIN:
            raise errors.super_admin()
        membership.suspended_at = now
    user = ScimUser(
        id=uuid7(),
        organization_id=organization,
        membership_id=membership.id,
        user_id=account.id,
        user_name=data.user_name,
        external_id=data.external_id,
        active=data.active,
        attributes=data.attributes,
        version=1,
    )
    rows: tuple[object, ...] = (membership, user) if joined else (user,)
    if not await repo.add_rows(session, *rows):
        raise errors.user_name_taken()
    await _audit(
        session,
        caller,
        meta,
        "scim.user_provisioned",
        user,
        {"joined": joined, "role": membership.role.value, "active": data.active},
    )
    if data.active:
        await _welcome(session, caller, meta, user, welcome, reason="created")
    return user


async def replace_user(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    user: ScimUser,
    data: UserData,
    *,
    welcome: Welcome,
) -> ScimUser:
    """Replace a (locked) user's resource: userName, externalId, the kept attributes, and
    ``active`` (which suspends or restores the membership)."""
    if await repo.user_name_taken(
        session, caller.organization_id, fold(data.user_name), other_than=user.id
    ):
        raise errors.user_name_taken()
    changed = [
        name
        for name, before, after in (
            ("userName", user.user_name, data.user_name),
            ("externalId", user.external_id, data.external_id),
            ("attributes", _without_active(user.attributes), _without_active(data.attributes)),
        )
        if before != after
    ]
    activation: str | None = None
    if data.active != user.active:
        membership = await repo.membership(session, user.membership_id)
        if membership is None:
            raise errors.not_found()
        if membership.role is Role.SUPER_ADMIN and not data.active:
            raise errors.super_admin()
        membership.suspended_at = None if data.active else utcnow()
        activation = "scim.user_reactivated" if data.active else "scim.user_deactivated"
    if not changed and activation is None and user.attributes == data.attributes:
        return user
    user.user_name = data.user_name
    user.external_id = data.external_id
    user.attributes = data.attributes
    user.active = data.active
    user.version += 1
    await session.flush()
    if changed:
        await _audit(session, caller, meta, "scim.user_updated", user, {"changed": changed})
    if activation is not None:
        await _audit(session, caller, meta, activation, user)
    if activation == "scim.user_reactivated":
        await _welcome(session, caller, meta, user, welcome, reason="reactivated")
    return user


def _without_active(attributes: dict[str, Any]) -> dict[str, Any]:
    # ``active`` is audited as a deactivation or reactivation of its own.
    return {key: value for key, value in attributes.items() if key != "active"}


async def delete_user(
    session: AsyncSession, caller: Caller, meta: RequestMeta, scim_id: str
) -> None:
    """End the membership (the account and its other organizations stay)."""
    user = await lock_user(session, caller, scim_id)
    membership = await repo.membership(session, user.membership_id)
    if membership is None:
        raise errors.not_found()
    if membership.role is Role.SUPER_ADMIN:
        raise errors.super_admin()
    await _audit(session, caller, meta, "scim.user_deleted", user, {"role": membership.role.value})
    await repo.delete_membership(session, membership)


# --- groups: the roles a directory may hand out (fixed) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """A SCIM Group that is one of the portal's roles: fixed, neither created nor deleted."""

    id: str
    display_name: str
    role: Role


GROUPS = (Group("admins", "Admins", Role.ADMIN), Group("users", "Users", Role.USER))


def fixed_group(group_id: str) -> Group | None:
    """The role group with this id, if it is one (a directory's own groups have UUIDs)."""
    return next((g for g in GROUPS if g.id == group_id), None)


async def group_members(session: AsyncSession, caller: Caller, chosen: Group) -> list[ScimUser]:
    return await repo.users_with_role(session, caller.organization_id, chosen.role)


async def change_group(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    chosen: Group,
    *,
    added: set[str],
    removed: set[str],
) -> None:
    """Members added to a group get its role; removed from Admins, they are Users again. Nobody
    leaves Users but into Admins (every member has a role), and the Super Admin is not moved."""
    if removed and chosen.role is Role.USER:
        raise errors.ScimFault(
            400, errors.MUTABILITY, "A member leaves Users only by joining Admins."
        )
    for scim_id, role in [
        *((i, chosen.role) for i in sorted(added)),
        *((i, Role.USER) for i in sorted(removed)),
    ]:
        try:
            user = await repo.scim_user(
                session, caller.organization_id, uuid.UUID(scim_id), lock=True
            )
        except ValueError:
            user = None
        if user is None:
            raise errors.ScimFault(400, errors.INVALID_VALUE, f"No such user: {scim_id}.")
        membership = await repo.membership(session, user.membership_id)
        if membership is None:
            raise errors.not_found()
        if membership.role is role:
            continue
        if membership.role is Role.SUPER_ADMIN:
            raise errors.super_admin()
        before = membership.role
        membership.role = role
        user.version += 1
        await session.flush()
        await _audit(
            session,
            caller,
            meta,
            "scim.user_role_changed",
            user,
            {"from": before.value, "to": role.value, "group": chosen.display_name},
        )


# --- groups: the directory's own ------------------------------------------------------------------
#
# A directory (Okta "Push groups", Entra ID) creates, renames and deletes its own groups, and sets
# their members: users it provisioned in this organization. Such a group gives no role and no
# access: it only mirrors the directory's grouping. Its displayName is unique in the organization
# (case-insensitively, the role groups' names included). Every change is audited.


@dataclass(frozen=True, slots=True)
class GroupData:
    """What a directory sends for one of its groups (already parsed by the web layer)."""

    display_name: str
    external_id: str | None = None
    # (the member's SCIM id, the display name sent with it)
    members: tuple[tuple[str, str | None], ...] = ()


def _group_id(group_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(group_id)
    except ValueError:
        raise errors.group_not_found() from None


async def get_group(session: AsyncSession, caller: Caller, group_id: str) -> ScimGroup:
    found = await repo.scim_group(session, caller.organization_id, _group_id(group_id))
    if found is None:
        raise errors.group_not_found()
    return found


async def lock_group(session: AsyncSession, caller: Caller, group_id: str) -> ScimGroup:
    found = await repo.scim_group(session, caller.organization_id, _group_id(group_id), lock=True)
    if found is None:
        raise errors.group_not_found()
    return found


def _matches(chosen: Group, where: Filter | None) -> bool:
    if where is None:
        return True
    if where.attribute == "displayName":
        return fold(chosen.display_name) == fold(where.value)
    return where.attribute == "id" and chosen.id == where.value


async def list_groups(
    session: AsyncSession, caller: Caller, where: Filter | None, *, offset: int, limit: int
) -> tuple[int, list[Group | ScimGroup]]:
    """(total matching, one page): the role groups first, then the directory's own."""
    fixed = [g for g in GROUPS if _matches(g, where)]
    page: list[Group | ScimGroup] = list(fixed[offset : offset + limit])
    total, own = await repo.group_page(
        session,
        caller.organization_id,
        where,
        offset=max(0, offset - len(fixed)),
        limit=limit - len(page),
    )
    return total + len(fixed), [*page, *own]


async def members_of(
    session: AsyncSession, groups: list[ScimGroup]
) -> dict[uuid.UUID, list[Member]]:
    return await repo.group_members(session, [g.id for g in groups])


def _checked(data: GroupData) -> GroupData:
    name = data.display_name.strip()
    if not name:
        raise errors.ScimFault(400, errors.INVALID_VALUE, "displayName is required.")
    if len(name) > GROUP_NAME_MAX:
        raise errors.ScimFault(
            400, errors.INVALID_VALUE, f"displayName has at most {GROUP_NAME_MAX} characters."
        )
    if data.external_id is not None and len(data.external_id) > EXTERNAL_ID_MAX:
        raise errors.ScimFault(
            400, errors.INVALID_VALUE, f"externalId has at most {EXTERNAL_ID_MAX} characters."
        )
    if len({value for value, _ in data.members}) > GROUP_MEMBERS_MAX:
        raise errors.ScimFault(
            400, errors.INVALID_VALUE, f"A group has at most {GROUP_MEMBERS_MAX} members."
        )
    if any(len(display or "") > MEMBER_DISPLAY_MAX for _, display in data.members):
        raise errors.ScimFault(
            400,
            errors.INVALID_VALUE,
            f"A member's display has at most {MEMBER_DISPLAY_MAX} characters.",
        )
    return GroupData(name, data.external_id, data.members)


async def _name_free(
    session: AsyncSession, caller: Caller, name: str, other_than: uuid.UUID | None = None
) -> None:
    key = fold(name)
    if any(fold(g.display_name) == key or g.id == key for g in GROUPS):
        raise errors.group_name_taken()
    if await repo.group_name_taken(session, caller.organization_id, key, other_than):
        raise errors.group_name_taken()


async def _members(
    session: AsyncSession, caller: Caller, members: tuple[tuple[str, str | None], ...]
) -> dict[uuid.UUID, str | None]:
    """SCIM id → display of ``members``, each a user of the caller's organization."""
    wanted: dict[uuid.UUID, str | None] = {}
    for value, display in members:
        try:
            wanted[uuid.UUID(value)] = display
        except ValueError:
            raise errors.not_a_member(value) from None
    found = {u.id for u in await repo.users_of(session, caller.organization_id, list(wanted))}
    for key in sorted(wanted):
        if key not in found:
            raise errors.not_a_member(str(key))
    return wanted


async def _audit_group(
    session: AsyncSession,
    caller: Caller,
    meta: RequestMeta,
    action: str,
    group: ScimGroup,
    details: dict[str, Any] | None = None,
) -> None:
    about = {"display_name": group.display_name, **(details or {})}
    await _record_by_token(session, caller, meta, action, ("scim_group", group.id), about)


async def create_group(
    session: AsyncSession, caller: Caller, meta: RequestMeta, data: GroupData
) -> ScimGroup:
    data = _checked(data)
    await _name_free(session, caller, data.display_name)
    members = await _members(session, caller, data.members)
    group = ScimGroup(
        id=uuid7(),
        organization_id=caller.organization_id,
        display_name=data.display_name,
        external_id=data.external_id,
        version=1,
    )
    rows = [
        ScimGroupMember(id=uuid7(), group_id=group.id, scim_user_id=m, display=members[m])
        for m in sorted(members)
    ]
    # The group first: its members' rows refer to it.
    if not await repo.add_rows(session, group):  # a racing twin took the name
        raise errors.group_name_taken()
    if not await repo.add_rows(session, *rows):  # a member deleted at the same time
        raise errors.ScimFault(409, None, "The group's members changed at the same time.")
    await _audit_group(
        session,
        caller,
        meta,
        "scim.group_created",
        group,
        {"external_id": data.external_id, "members": sorted(str(m) for m in members)},
    )
    return group


async def replace_group(
    session: AsyncSession, caller: Caller, meta: RequestMeta, group: ScimGroup, data: GroupData
) -> ScimGroup:
    """Replace a (locked) group: its displayName, externalId and members."""
    data = _checked(data)
    if fold(data.display_name) != group.display_name_key:
        await _name_free(session, caller, data.display_name, other_than=group.id)
    wanted = await _members(session, caller, data.members)
    listed = await repo.group_members(session, [group.id])
    current = {m.user.id: m.display for m in listed[group.id]}
    added = sorted(wanted.keys() - current.keys())
    removed = sorted(current.keys() - wanted.keys())
    renamed = sorted(k for k in wanted.keys() & current.keys() if wanted[k] != current[k])
    changed = [
        name
        for name, before, after in (
            ("displayName", group.display_name, data.display_name),
            ("externalId", group.external_id, data.external_id),
        )
        if before != after
    ]
    if not changed and not added and not removed and not renamed:
        return group
    before_name = group.display_name
    group.display_name = data.display_name
    group.external_id = data.external_id
    group.version += 1
    if not await repo.add_rows(session, group):  # a racing twin took the name
        raise errors.group_name_taken()
    await repo.remove_group_members(session, group.id, removed)
    for key in renamed:
        await repo.set_member_display(session, group.id, key, wanted[key])
    rows = [
        ScimGroupMember(id=uuid7(), group_id=group.id, scim_user_id=m, display=wanted[m])
        for m in added
    ]
    if not await repo.add_rows(session, *rows):
        raise errors.ScimFault(409, None, "The group's members changed at the same time.")
    details: dict[str, Any] = {"changed": changed}
    if "displayName" in changed:
        details["from"] = before_name
    if added:
        details["added"] = [str(m) for m in added]
    if removed:
        details["removed"] = [str(m) for m in removed]
    if renamed:
        details["displays_changed"] = [str(m) for m in renamed]
    await _audit_group(session, caller, meta, "scim.group_updated", group, details)
    return group


async def delete_group(
    session: AsyncSession, caller: Caller, meta: RequestMeta, group: ScimGroup
) -> None:
    """Delete a (locked) group: its members stay members of the organization."""
    await _audit_group(session, caller, meta, "scim.group_deleted", group)
    await repo.delete_group(session, group)
