"""Who may call each query and mutation of the schema: PRODUCT.md §2 as a table, one row per
root field. tests/authz/test_rules_cover_schema.py fails for a field without a row, so a new
field cannot ship without saying who may call it.

A row names

* the **scope**: whose data the call reaches — the customer organization of the fixture world,
  its partner organization, either side of their mapping, the platform (internal admins), any
  signed-in caller's own session, or nobody in particular (public forms);
* the callers **allowed** there (everyone else with a path to the scope is FORBIDDEN, everyone
  without one finds the target exactly as missing as an id that never existed, the anonymous
  caller is UNAUTHENTICATED);
* callers who pass the policy but are refused by the object's **state** with a userError
  (``state``), e.g. a Super Admin cannot leave;
* how to build valid **arguments** naming the world's objects. Calls that consume what they touch
  (delete, remove, end, accept …) are given fresh objects on every call, so that the order of the
  walk does not matter; calls that would spend the caller's own standing (leave, transfer, delete
  the organization, end the mapping) run against a *mirror*: a fresh customer organization in which
  the customer's people hold the same roles, supported by the same partner and technician.

The expectations are written from §2, not read from domain/authz/policy.py: this table is what
the policy is checked against.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from db.models import PartnerAccessExtension, ScimToken, SsoConnection, SsoDomain
from domain.authz.api_scopes import ApiScope
from domain.enums import (
    OrganizationStatus,
    PartnerAccessExtensionStatus,
    PartnerMappingStatus,
    Role,
)
from domain.scim.service import TOKEN_PREFIX
from domain.sso.sealing import SSO_SEALING_KEY, seal
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from tests.authz.walk import (
    ALLOWED,
    FORBIDDEN,
    MISSING,
    UNAUTHENTICATED,
    Outcome,
    user_error,
)
from tests.authz.world import (
    ANON,
    CA,
    CS,
    CU,
    IA,
    PA,
    PS,
    PU,
    STAFF,
    STRANGER,
    SVC_A,
    SVC_U,
    TECH,
    Caller,
    World,
)
from tests.factories import create_actor, create_step_code, unique_email, unique_step_code

Builder = Callable[[World, Caller], Awaitable[dict[str, Any]]]


class Scope(StrEnum):
    PUBLIC = "public"  # anyone, with or without a token
    SIGNED_IN = "signed in"  # any valid token: the caller's own session
    PLATFORM = "platform"  # internal admins' business
    CUSTOMER = "customer"  # the world's customer organization
    PARTNER = "partner"  # the world's partner organization
    MAPPING = "mapping"  # either side of the partner-customer mapping


EVERYONE = frozenset(Caller)
SIGNED_IN = EVERYONE - {ANON}
# Who has a path to each scope (PRODUCT.md §2): the customer's members, its assigned technician,
# internal admins (who read any organization); the partner's staff (the technician included) and
# internal admins. Nobody else: not the partner's other staff in the customer, not a stranger.
REACHES: Mapping[Scope, frozenset[Caller]] = {
    Scope.PUBLIC: EVERYONE,
    Scope.SIGNED_IN: SIGNED_IN,
    Scope.PLATFORM: SIGNED_IN,
    Scope.CUSTOMER: frozenset({CS, CA, CU, TECH, IA, SVC_A, SVC_U}),
    Scope.PARTNER: frozenset({PS, PA, PU, TECH, STAFF, IA}),
    Scope.MAPPING: frozenset({CS, CA, CU, PS, PA, PU, TECH, STAFF, IA, SVC_A, SVC_U}),
}

# The §2 groups, for the customer organization. Its service accounts act with their role (ADMIN
# or USER) — within the API scopes that role holds (domain/service_accounts/scopes.py; the walk
# expects FORBIDDEN where a document needs another, tests/authz/test_walk.py).
READERS = frozenset({CS, CA, CU, TECH, IA, SVC_A, SVC_U})  # USER: read; internal admins: any
OPERATORS = frozenset({CS, CA, TECH, SVC_A})  # locations, devices, licenses; USER members
ADMINS = frozenset({CS, CA, SVC_A})  # ADMIN/USER members, the audit log
# Service accounts are managed by people only: a token must not mint credentials outliving it.
PEOPLE_ADMINS = frozenset({CS, CA})
# The customer's service accounts. What they find missing although their organization is in
# scope: a *mirror* (leave, transfer, delete, end a mapping, change its grant or answer an extension
# request: they belong to the world's customer alone) and an invitation (nobody can invite their
# address, so none is ever theirs).
SERVICE = frozenset({SVC_A, SVC_U})
SUPER_ADMIN = frozenset({CS})  # partner access, Super Admin transfer, removal
# ... and for the partner organization.
PARTNER_ADMINS = frozenset({PS, PA})  # customers, mappings, technicians


@dataclass(frozen=True)
class Rule:
    scope: Scope
    allowed: frozenset[Caller]
    arguments: Builder
    state: Mapping[Caller, str] = field(default_factory=dict)
    # Callers to whom the object looks missing although the scope reaches them (an id of
    # nobody's own, e.g. a session: nobody learns whether it is someone else's).
    missing: frozenset[Caller] = frozenset()
    # API scopes the object found needs besides the field's own (``node``: its type's): a
    # third-party token without them finds nothing.
    found_scopes: frozenset[str] = frozenset()

    def expected(self, caller: Caller) -> Outcome:
        if caller in self.missing:
            return MISSING
        if caller in self.state:
            return user_error(self.state[caller])
        if caller in self.allowed:
            return ALLOWED
        if caller is ANON:
            return UNAUTHENTICATED
        if caller in REACHES[self.scope]:
            return FORBIDDEN
        return MISSING


# --- argument builders ---------------------------------------------------------------------------


def given(make: Callable[[World], dict[str, Any]]) -> Builder:
    """Arguments that do not change between calls."""

    async def build(world: World, caller: Caller) -> dict[str, Any]:
        return make(world)

    return build


def nothing() -> Builder:
    return given(lambda w: {})


def in_customer() -> Builder:
    return given(lambda w: {"organizationId": w.customer_id})


def by_id(attribute: str) -> Builder:
    return given(lambda w: {"id": getattr(w, attribute)})


def input_of(make: Callable[[World], dict[str, Any]]) -> Builder:
    """``input:`` built afresh (unique names, serials, emails) for every call."""
    return given(lambda w: {"input": make(w)})


def fresh(make: Callable[[World], Awaitable[dict[str, Any]]], *, key: str = "input") -> Builder:
    """Arguments naming objects made for this call alone (the call may consume them)."""

    async def build(world: World, caller: Caller) -> dict[str, Any]:
        return {key: await make(world)}

    return build


def serial() -> str:
    return f"AZ-{uuid.uuid4().hex[:12].upper()}"


def mac() -> str:
    raw = uuid.uuid4().bytes[:6]
    # Locally administered, unicast.
    return ":".join(f"{b:02x}" for b in bytes([(raw[0] | 0x02) & 0xFE]) + raw[1:])


def signup(**extra: Any) -> dict[str, Any]:
    return {
        "country": "DE",
        "firstName": "Alex",
        "lastName": "Example",
        "email": unique_email("signup"),
        "acceptTermsOfService": True,
        "acceptPrivacyPolicy": True,
        **extra,
    }


async def _join_form(world: World) -> dict[str, Any]:
    code = await create_step_code(world.services)
    return signup(stepPartnerCode=code, companyName=world.unique("Installer"))


async def _partner_request(world: World, caller: Caller) -> dict[str, Any]:
    return {"id": await world.fresh_partner_request()}


async def _rejected_request(world: World, caller: Caller) -> dict[str, Any]:
    return {"id": await world.fresh_partner_request(), "reason": "Not a STEP partner."}


async def _to_suspend(world: World) -> dict[str, Any]:
    # Not the world's customer: suspending it would end everyone's access to it.
    organization_id = await world.fresh_organization(OrganizationStatus.ACTIVE)
    return {"organizationId": organization_id, "reason": "Unpaid invoices."}


async def _to_reactivate(world: World) -> dict[str, Any]:
    return {"organizationId": await world.fresh_organization(OrganizationStatus.SUSPENDED)}


async def _code_to_revoke(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_step_code()}


async def _empty_location(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_location()}


async def _empty_area(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_area()}


async def _area_to_move(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_area(), "locationId": world.default_location_id}


async def _device_to_move(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_device(), "areaId": world.area_id}


async def _device_to_remove(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_device()}


async def _key_to_redeem(world: World) -> dict[str, Any]:
    return {"organizationId": world.customer_id, "key": await world.fresh_license_key()}


async def _to_attach(world: World) -> dict[str, Any]:
    device_id = await world.fresh_device()
    return {"licenseId": await world.fresh_license(), "deviceId": device_id}


async def _to_detach(world: World) -> dict[str, Any]:
    device_id = await world.fresh_device()
    return {"licenseId": await world.fresh_license(attached_to=device_id), "deviceId": device_id}


async def _invitation(world: World) -> dict[str, Any]:
    return {"invitationId": await world.fresh_invitation()}


_OFFER = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id } userErrors { code } }
}
"""


async def _offer_to_caller(world: World, caller: Caller) -> dict[str, Any]:
    """An invitation addressed to the caller's own account, from an organization of its own (so
    that no caller is already a member of it)."""
    inviter = await create_actor(world.services, role=Role.SUPER_ADMIN)
    actor = world.actors.get(caller)
    # A service account has no address anyone can invite: it gets someone else's invitation.
    email = actor.user.email if actor and caller not in SERVICE else unique_email("nobody")
    body = await world.live.graphql(
        _OFFER, {"input": {"email": email, "role": "USER"}}, headers=inviter.headers
    )
    payload = body["data"]["inviteMember"]
    assert payload["userErrors"] == [], body
    return {"input": {"invitationId": world.named(payload["invitation"]["id"], "invitation")}}


async def _made_admin(world: World) -> dict[str, Any]:
    member = await world.fresh_member(Role.USER)
    return {"organizationId": world.customer_id, "userId": member, "role": "ADMIN"}


async def _removed(world: World) -> dict[str, Any]:
    return {"organizationId": world.customer_id, "userId": await world.fresh_member(Role.USER)}


async def _technician(world: World, *, assigned: bool) -> dict[str, Any]:
    return {"customerId": world.customer_id, "userId": await world.fresh_staff(assigned=assigned)}


async def _to_assign(world: World) -> dict[str, Any]:
    return await _technician(world, assigned=False)


async def _to_unassign(world: World) -> dict[str, Any]:
    return await _technician(world, assigned=True)


async def _live_scim_token(world: World, caller: Caller) -> dict[str, Any]:
    """A live SCIM token of the customer, made for this call (revoking consumes it)."""
    async with world.services.db.unit_of_work() as session:
        live = await session.scalar(
            select(ScimToken).where(
                ScimToken.organization_id == uuid.UUID(world.customer_id),
                ScimToken.revoked_at.is_(None),
            )
        )
        if live is None:
            token = TOKEN_PREFIX + new_token(32)
            session.add(
                ScimToken(
                    organization_id=uuid.UUID(world.customer_id),
                    token_hash=sha256_hex(token),
                    token_hint=token[-4:],
                )
            )
    return {"organizationId": world.customer_id}


async def _service_account(world: World) -> dict[str, Any]:
    return {"id": await world.fresh_service_account()}


async def _verified_domain(world: World, caller: Caller) -> dict[str, Any]:
    """A domain the customer verified already: verifying it again needs no DNS."""
    async with world.services.db.unit_of_work() as session:
        claim = SsoDomain(
            organization_id=world.customer.id,
            name=f"sso-{uuid.uuid4().hex[:10]}.example",
            token=uuid.uuid4().hex,
            verified_at=utcnow(),
        )
        session.add(claim)
    return {"id": str(claim.id)}


def _sso_connection(world: World) -> dict[str, Any]:
    # The portal itself is an OpenID provider: its discovery document answers over loopback.
    return {
        "organizationId": world.customer_id,
        "issuer": world.live.settings.issuer,
        "clientId": "portal",
        "clientSecret": "s3cret",
    }


async def _configured_sso(world: World, caller: Caller) -> dict[str, Any]:
    """The customer's connection, made for this call when it has none (removing consumes it)."""
    key = await world.services.secrets.get(SSO_SEALING_KEY)
    async with world.services.db.unit_of_work() as session:
        present = await session.scalar(
            select(SsoConnection.id).where(SsoConnection.organization_id == world.customer.id)
        )
        if present is None:
            connection_id = uuid.uuid4()
            session.add(
                SsoConnection(
                    id=connection_id,
                    organization_id=world.customer.id,
                    issuer=world.live.settings.issuer,
                    client_id="portal",
                    client_secret_sealed=seal(key, "s3cret", connection_id),
                )
            )
    return {"organizationId": world.customer_id}


async def _invite_partner(world: World, caller: Caller) -> dict[str, Any]:
    # The customer already has its partner (one per customer): the Super Admin, who may invite,
    # does so from a mirror that has none; the others are refused before the state is looked at.
    organization_id = world.customer_id
    if caller is CS:
        organization_id = (await world.mirror(mapping=None)).organization_id
    return {"input": {"organizationId": organization_id, "stepPartnerCode": world.partner_code}}


async def _delete_organization(world: World, caller: Caller) -> dict[str, Any]:
    # Only an empty organization can go: the Super Admin's own, emptied mirror; the others try a
    # populated mirror, and are refused before its contents are counted.
    if caller is CS:
        mirror = await world.mirror(mapping=None, members=(CS,))
    else:
        mirror = await world.mirror()
    return {"input": {"organizationId": mirror.organization_id, "confirmName": mirror.name}}


async def _leave(world: World, caller: Caller) -> dict[str, Any]:
    return {"input": {"organizationId": (await world.mirror()).organization_id}}


async def _transfer(world: World, caller: Caller) -> dict[str, Any]:
    mirror = await world.mirror()
    return {"input": {"organizationId": mirror.organization_id, "userId": world.user_id(CA)}}


def mapping_of_mirror(status: PartnerMappingStatus) -> Builder:
    async def build(world: World, caller: Caller) -> dict[str, Any]:
        mirror = await world.mirror(mapping=status)
        return {"input": {"mappingId": mirror.mapping_id}}

    return build


# --- webhooks ------------------------------------------------------------------------------------

_CREATE_WEBHOOK = """
mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } userErrors { code } }
}
"""
# One endpoint per world for the calls that do not consume it (an organization has at most 20).
_SHARED_ENDPOINT: dict[str, str] = {}


async def _new_webhook_endpoint(world: World) -> str:
    body = await world.call(
        CS,
        _CREATE_WEBHOOK,
        {
            "input": {
                "organizationId": world.customer_id,
                # Nothing listens there: the worker's attempts fail, which no rule looks at.
                "url": "http://127.0.0.1:9/hook",
                "events": ["device.registered"],
            }
        },
    )
    payload = body["data"]["createWebhookEndpoint"]
    assert payload["userErrors"] == [], payload
    return world.named(payload["endpoint"]["id"], "webhook_endpoint")


async def _webhook_endpoint(world: World) -> str:
    if world.customer_id not in _SHARED_ENDPOINT:
        _SHARED_ENDPOINT[world.customer_id] = await _new_webhook_endpoint(world)
    return _SHARED_ENDPOINT[world.customer_id]


def shared_webhook_endpoint(make: Callable[[str], dict[str, Any]]) -> Builder:
    async def build(world: World, caller: Caller) -> dict[str, Any]:
        return make(await _webhook_endpoint(world))

    return build


_DELETABLE_ENDPOINT: dict[str, str] = {}


async def _webhook_to_delete(world: World) -> dict[str, Any]:
    """An endpoint for this call to delete: the last one, unless a call deleted it (the cap of
    20 endpoints must survive a walk of every caller)."""
    from db.models import WebhookEndpoint

    last = _DELETABLE_ENDPOINT.get(world.customer_id)
    if last is not None:
        async with world.services.db.read_session() as session:
            if await session.get(WebhookEndpoint, uuid.UUID(last)) is not None:
                return {"id": last}
    _DELETABLE_ENDPOINT[world.customer_id] = await _new_webhook_endpoint(world)
    return {"id": _DELETABLE_ENDPOINT[world.customer_id]}


async def _webhook_delivery(world: World) -> dict[str, Any]:
    from db.enums import WebhookDeliveryStatus
    from db.models import WebhookDelivery

    endpoint_id = uuid.UUID(await _webhook_endpoint(world))
    async with world.services.db.unit_of_work() as session:
        delivery = WebhookDelivery(
            endpoint_id=endpoint_id,
            organization_id=world.customer.id,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type="device.registered",
            payload="{}",
            status=WebhookDeliveryStatus.DEAD,
            attempts=1,
        )
        session.add(delivery)
        await session.flush()
        delivery_id = str(delivery.id)
    return {"id": world.named(delivery_id, "webhook_delivery")}


def _in_days(days: int) -> str:
    return (utcnow() + timedelta(days=days)).isoformat()


async def _grant_change(world: World, caller: Caller) -> dict[str, Any]:
    # A mirror's grant: changing the world's own would narrow what its technician may do.
    mirror = await world.mirror(mapping=PartnerMappingStatus.ACTIVE)
    return {"input": {"mappingId": mirror.mapping_id, "accessExpiresAt": _in_days(100)}}


async def _with_pending_extension(world: World, caller: Caller) -> dict[str, Any]:
    mirror = await world.mirror(mapping=PartnerMappingStatus.ACTIVE)
    assert mirror.mapping_id is not None
    async with world.services.db.unit_of_work() as session:
        session.add(
            PartnerAccessExtension(
                mapping_id=uuid.UUID(mirror.mapping_id),
                requested_until=utcnow() + timedelta(days=500),
                status=PartnerAccessExtensionStatus.PENDING,
            )
        )
    return {"input": {"mappingId": mirror.mapping_id}}


# --- the table -----------------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    # --- the caller's own session
    "viewer": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    "landing": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    "products": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    # Two-factor login of the caller's own account: anyone signed in, for themselves. (The world's
    # people have no TOTP and no password: each answer is the state's refusal, after the policy
    # let them through.)
    "startTotpEnrollment": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"password": "not the password of anyone here"}),
        state=dict.fromkeys(SIGNED_IN, "INVALID_PASSWORD"),
    ),
    "confirmTotpEnrollment": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"code": "000000"}),
        state=dict.fromkeys(SIGNED_IN, "TOTP_ENROLLMENT_NOT_STARTED"),
    ),
    "disableTotp": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"code": "000000"}),
        state=dict.fromkeys(SIGNED_IN, "TOTP_NOT_ENABLED"),
    ),
    "regenerateRecoveryCodes": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"code": "000000"}),
        state=dict.fromkeys(SIGNED_IN, "TOTP_NOT_ENABLED"),
    ),
    # The caller's own names and password: anyone signed in, for themselves (the world's people
    # have no password: a change is refused as a wrong current password).
    "updateProfile": Rule(Scope.SIGNED_IN, SIGNED_IN, input_of(lambda w: {"firstName": "Ada"})),
    "changePassword": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(
            lambda w: {"currentPassword": "not the password", "newPassword": "x" * 20 + "Zq9!"}
        ),
        state=dict.fromkeys(SIGNED_IN, "INVALID_PASSWORD"),
    ),
    # The caller's own sessions: a session of nobody's is missing for everyone.
    "endSession": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"id": "00000000-0000-4000-8000-000000000000"}),
        missing=SIGNED_IN,
    ),
    "endOtherSessions": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    # Passkeys of the caller's own account: anyone signed in, for themselves. A passkey of
    # nobody's (or another account's) is missing for everyone; the world's people have none.
    "startPasskeyRegistration": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    "finishPasskeyRegistration": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"credential": "{}"}),
        state=dict.fromkeys(SIGNED_IN, "PASSKEY_NOT_CREATED"),
    ),
    "renamePasskey": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"id": "00000000-0000-4000-8000-000000000000", "name": "Laptop"}),
        missing=SIGNED_IN,
    ),
    "removePasskey": Rule(
        Scope.SIGNED_IN,
        frozenset(),
        input_of(lambda w: {"id": "00000000-0000-4000-8000-000000000000"}),
        missing=SIGNED_IN,
    ),
    # --- public forms: the same answer for everyone, token or not
    "createCustomerOrganization": Rule(
        Scope.PUBLIC, EVERYONE, input_of(lambda w: signup(organizationName=w.unique("Org")))
    ),
    "joinAsStepPartner": Rule(Scope.PUBLIC, EVERYONE, fresh(_join_form)),
    "resendActivation": Rule(
        Scope.PUBLIC, EVERYONE, given(lambda w: {"email": unique_email("resend")})
    ),
    # A made-up link: everyone may try, and everyone gets the same refusal of the code.
    "activateAccount": Rule(
        Scope.PUBLIC,
        frozenset(),
        input_of(
            lambda w: {
                "token": "x" * 43,
                "code": "ABCDEFGH",
                "newPassword": "a perfectly fine passphrase 93",
            }
        ),
        state=dict.fromkeys(EVERYONE, "INVALID_OR_EXPIRED_CODE"),
    ),
    "requestPasswordReset": Rule(
        Scope.PUBLIC, EVERYONE, given(lambda w: {"email": unique_email("forgot")})
    ),
    # A made-up link, refused alike for everyone.
    "resetPassword": Rule(
        Scope.PUBLIC,
        frozenset(),
        input_of(lambda w: {"token": "x" * 43, "newPassword": "a perfectly fine passphrase 93"}),
        state=dict.fromkeys(EVERYONE, "INVALID_OR_EXPIRED_TOKEN"),
    ),
    # --- the platform: internal admins
    "partnerRequests": Rule(Scope.PLATFORM, frozenset({IA}), nothing()),
    "approvePartnerRequest": Rule(Scope.PLATFORM, frozenset({IA}), _partner_request),
    "rejectPartnerRequest": Rule(Scope.PLATFORM, frozenset({IA}), _rejected_request),
    "issueLicenseKeys": Rule(
        Scope.PLATFORM,
        frozenset({IA}),
        input_of(lambda w: {"productKey": "HEALTHPRO", "termDays": 365}),
    ),
    # the console: organizations, suspension, STEP codes
    "organizations": Rule(Scope.PLATFORM, frozenset({IA}), nothing()),
    "organization": Rule(Scope.PLATFORM, frozenset({IA}), given(lambda w: {"id": w.customer_id})),
    "suspendOrganization": Rule(Scope.PLATFORM, frozenset({IA}), fresh(_to_suspend)),
    "reactivateOrganization": Rule(Scope.PLATFORM, frozenset({IA}), fresh(_to_reactivate)),
    "stepPartnerCodes": Rule(Scope.PLATFORM, frozenset({IA}), nothing()),
    "addStepPartnerCodes": Rule(
        Scope.PLATFORM,
        frozenset({IA}),
        input_of(lambda w: {"codes": [{"code": unique_step_code(), "company": "Installer"}]}),
    ),
    "revokeStepPartnerCode": Rule(Scope.PLATFORM, frozenset({IA}), fresh(_code_to_revoke)),
    "importStepPartnerCodes": Rule(
        Scope.PLATFORM,
        frozenset({IA}),
        input_of(lambda w: {"csv": f"code,company\n{unique_step_code()},Installer\n"}),
    ),
    "adminNotificationSettings": Rule(Scope.PLATFORM, frozenset({IA}), nothing()),
    "updateAdminNotificationSettings": Rule(
        Scope.PLATFORM, frozenset({IA}), input_of(lambda w: {"partnerRequestMail": True})
    ),
    # --- webhooks: the organization's Super Admin and Admins
    "webhookEventTypes": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    "webhookEndpoints": Rule(Scope.CUSTOMER, ADMINS, in_customer()),
    "webhookEndpoint": Rule(Scope.CUSTOMER, ADMINS, shared_webhook_endpoint(lambda e: {"id": e})),
    "webhookDeliveries": Rule(
        Scope.CUSTOMER, ADMINS, shared_webhook_endpoint(lambda e: {"endpointId": e})
    ),
    "createWebhookEndpoint": Rule(
        Scope.CUSTOMER,
        ADMINS,
        input_of(
            lambda w: {
                "organizationId": w.customer_id,
                "url": "http://127.0.0.1:9/hook",
                "events": ["device.removed"],
            }
        ),
    ),
    "updateWebhookEndpoint": Rule(
        Scope.CUSTOMER,
        ADMINS,
        shared_webhook_endpoint(lambda e: {"input": {"id": e, "description": "Changed"}}),
    ),
    "rotateWebhookSecret": Rule(
        Scope.CUSTOMER, ADMINS, shared_webhook_endpoint(lambda e: {"input": {"id": e}})
    ),
    "deleteWebhookEndpoint": Rule(Scope.CUSTOMER, ADMINS, fresh(_webhook_to_delete)),
    "replayWebhookDelivery": Rule(Scope.CUSTOMER, ADMINS, fresh(_webhook_delivery)),
    # --- the customer's data: read by its members, its technician and internal admins
    "licenses": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "license": Rule(Scope.CUSTOMER, READERS, by_id("license_id")),
    "licenseSummary": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "appTiles": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "members": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "invitations": Rule(Scope.CUSTOMER, READERS, in_customer()),
    # The caller's own invitations: only ever theirs.
    "myInvitations": Rule(Scope.SIGNED_IN, SIGNED_IN, nothing()),
    "locations": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "location": Rule(Scope.CUSTOMER, READERS, by_id("location_id")),
    "area": Rule(Scope.CUSTOMER, READERS, by_id("area_id")),
    # With a filter on the world's location and area: another tenant's match nothing.
    "devices": Rule(
        Scope.CUSTOMER,
        READERS,
        given(
            lambda w: {
                "organizationId": w.customer_id,
                "filter": {"locationId": w.default_location_id, "areaId": w.default_area_id},
            }
        ),
    ),
    "device": Rule(Scope.CUSTOMER, READERS, by_id("device_id")),
    # Any object by its id: here a device, found as ``device`` finds it (and with its scope).
    "node": Rule(
        Scope.CUSTOMER,
        READERS,
        by_id("device_id"),
        found_scopes=frozenset({ApiScope.DEVICES_READ.value}),
    ),
    "deviceCounts": Rule(Scope.CUSTOMER, READERS, in_customer()),
    "supportPartner": Rule(Scope.CUSTOMER, READERS, in_customer()),
    # The audit log: the organization's admins read their own; internal admins any.
    "auditEvents": Rule(
        Scope.CUSTOMER,
        ADMINS | {IA},
        given(lambda w: {"organizationId": w.customer_id, "actorId": w.user_id(CS)}),
    ),
    # --- locations and areas: Super Admin, Admins, technicians
    "createLocation": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(
            lambda w: {
                "organizationId": w.customer_id,
                "name": w.unique("Site"),
                "timeZone": "Europe/Berlin",
            }
        ),
    ),
    "updateLocation": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(lambda w: {"id": w.location_id, "name": w.unique("Site")}),
    ),
    "deleteLocation": Rule(Scope.CUSTOMER, OPERATORS, fresh(_empty_location)),
    "createArea": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(lambda w: {"locationId": w.location_id, "name": w.unique("Area")}),
    ),
    "renameArea": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(lambda w: {"id": w.area_id, "name": w.unique("Area")}),
    ),
    "moveArea": Rule(Scope.CUSTOMER, OPERATORS, fresh(_area_to_move)),
    "deleteArea": Rule(Scope.CUSTOMER, OPERATORS, fresh(_empty_area)),
    # --- devices: Super Admin, Admins, technicians
    "registerDevice": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(
            lambda w: {
                "organizationId": w.customer_id,
                "areaId": w.area_id,
                "kind": "CAMERA",
                "serialNumber": serial(),
                "macAddress": mac(),
                "model": "XNV-8080R",
            }
        ),
    ),
    "renameDevice": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(lambda w: {"id": w.device_id, "name": w.unique("Camera")}),
    ),
    "moveDevice": Rule(Scope.CUSTOMER, OPERATORS, fresh(_device_to_move)),
    "removeDevice": Rule(Scope.CUSTOMER, OPERATORS, fresh(_device_to_remove)),
    # --- licenses: Super Admin, Admins, technicians
    "redeemLicenseKey": Rule(Scope.CUSTOMER, OPERATORS, fresh(_key_to_redeem)),
    "attachLicense": Rule(Scope.CUSTOMER, OPERATORS, fresh(_to_attach)),
    "detachLicense": Rule(Scope.CUSTOMER, OPERATORS, fresh(_to_detach)),
    # --- members. Technicians manage USER members: these invitations and members are USERs.
    "inviteMember": Rule(
        Scope.CUSTOMER,
        OPERATORS,
        input_of(
            lambda w: {
                "organizationId": w.customer_id,
                "email": unique_email("invitee"),
                "role": "USER",
            }
        ),
    ),
    "resendInvitation": Rule(Scope.CUSTOMER, OPERATORS, fresh(_invitation)),
    "cancelInvitation": Rule(Scope.CUSTOMER, OPERATORS, fresh(_invitation)),
    # The invitee answers an invitation addressed to them (anyone's else is missing). Customer
    # accounts may join; the vendor's and partners' staff hear at acceptance that they cannot.
    "acceptInvitation": Rule(
        Scope.SIGNED_IN,
        frozenset({CS, CA, CU, STRANGER}),
        _offer_to_caller,
        state={
            IA: "INTERNAL_ACCOUNT_NOT_ALLOWED",
            **dict.fromkeys((PS, PA, PU, TECH, STAFF), "PARTNER_ACCOUNT_NOT_ALLOWED"),
        },
        missing=SERVICE,
    ),
    "declineInvitation": Rule(
        Scope.SIGNED_IN, SIGNED_IN - SERVICE, _offer_to_caller, missing=SERVICE
    ),
    # Making someone an ADMIN: the Super Admin and Admins only.
    "changeMemberRole": Rule(Scope.CUSTOMER, ADMINS, fresh(_made_admin)),
    "removeMember": Rule(Scope.CUSTOMER, OPERATORS, fresh(_removed)),
    # Everyone but the Super Admin may leave; a technician is no member to leave.
    "leaveOrganization": Rule(
        Scope.CUSTOMER,
        frozenset({CA, CU}),
        _leave,
        state={CS: "SUPER_ADMIN_CANNOT_LEAVE", TECH: "NOT_A_MEMBER"},
        missing=SERVICE,
    ),
    "transferSuperAdmin": Rule(Scope.CUSTOMER, SUPER_ADMIN, _transfer, missing=SERVICE),
    "deleteOrganization": Rule(Scope.CUSTOMER, SUPER_ADMIN, _delete_organization, missing=SERVICE),
    # Organization settings: the Super Admin (lifting a requirement needs no TOTP of one's own).
    "setOrganizationTwoFactorRequirement": Rule(
        Scope.CUSTOMER,
        SUPER_ADMIN,
        given(lambda w: {"input": {"organizationId": w.customer_id, "required": False}}),
    ),
    "setOrganizationPasskeyRequirement": Rule(
        Scope.CUSTOMER,
        SUPER_ADMIN,
        given(lambda w: {"input": {"organizationId": w.customer_id, "required": False}}),
    ),
    # Organization details: its Super Admin and Admins.
    "updateOrganization": Rule(
        Scope.CUSTOMER,
        ADMINS,
        given(lambda w: {"input": {"organizationId": w.customer_id, "phone": "+49 30 1234567"}}),
    ),
    # --- partner access: the customer's Super Admin invites its partner
    "invitePartner": Rule(Scope.CUSTOMER, SUPER_ADMIN, _invite_partner),
    # --- the partner's side: its Super Admin and Admins
    "partnerInvitations": Rule(
        Scope.PARTNER, PARTNER_ADMINS, given(lambda w: {"organizationId": w.partner_id})
    ),
    "createManagedCustomer": Rule(
        Scope.PARTNER,
        PARTNER_ADMINS,
        input_of(
            lambda w: {
                "organizationId": w.partner_id,
                "organizationName": w.unique("Managed"),
                "country": "DE",
                "acceptTermsOfService": True,
                "acceptPrivacyPolicy": True,
            }
        ),
    ),
    "acceptPartnerInvitation": Rule(
        Scope.PARTNER, PARTNER_ADMINS, mapping_of_mirror(PartnerMappingStatus.INVITED)
    ),
    "declinePartnerInvitation": Rule(
        Scope.PARTNER, PARTNER_ADMINS, mapping_of_mirror(PartnerMappingStatus.INVITED)
    ),
    "assignTechnician": Rule(Scope.PARTNER, PARTNER_ADMINS, fresh(_to_assign)),
    "unassignTechnician": Rule(Scope.PARTNER, PARTNER_ADMINS, fresh(_to_unassign)),
    # --- time-bound partner access: the customer's Super Admin sets the grant and answers the
    # partner's requests; the partner's admins ask (another side's mapping looks missing)
    "updatePartnerAccess": Rule(Scope.CUSTOMER, SUPER_ADMIN, _grant_change, missing=SERVICE),
    "requestPartnerAccessExtension": Rule(
        Scope.PARTNER, PARTNER_ADMINS, mapping_of_mirror(PartnerMappingStatus.ACTIVE)
    ),
    "approvePartnerAccessExtension": Rule(
        Scope.CUSTOMER, SUPER_ADMIN, _with_pending_extension, missing=SERVICE
    ),
    "declinePartnerAccessExtension": Rule(
        Scope.CUSTOMER, SUPER_ADMIN, _with_pending_extension, missing=SERVICE
    ),
    # --- either side ends the mapping: the customer's Super Admin, the partner's admins
    "endPartnerMapping": Rule(
        Scope.MAPPING,
        SUPER_ADMIN | PARTNER_ADMINS,
        mapping_of_mirror(PartnerMappingStatus.ACTIVE),
        missing=SERVICE,
    ),
    # --- machine access: the customer's Super Admin and Admins manage its service accounts
    "serviceAccounts": Rule(Scope.CUSTOMER, PEOPLE_ADMINS, in_customer()),
    "createServiceAccount": Rule(
        Scope.CUSTOMER,
        PEOPLE_ADMINS,
        input_of(
            lambda w: {"organizationId": w.customer_id, "name": w.unique("Robot"), "role": "USER"}
        ),
    ),
    "rotateServiceAccountSecret": Rule(Scope.CUSTOMER, PEOPLE_ADMINS, fresh(_service_account)),
    "revokeServiceAccount": Rule(Scope.CUSTOMER, PEOPLE_ADMINS, fresh(_service_account)),
    # --- enterprise single sign-on: the customer's Super Admin alone
    "singleSignOn": Rule(Scope.CUSTOMER, SUPER_ADMIN, in_customer()),
    "claimDomain": Rule(
        Scope.CUSTOMER,
        SUPER_ADMIN,
        input_of(
            lambda w: {
                "organizationId": w.customer_id,
                "domain": f"c{uuid.uuid4().hex[:10]}.example",
            }
        ),
    ),
    "verifyDomain": Rule(Scope.CUSTOMER, SUPER_ADMIN, _verified_domain),
    "configureSingleSignOn": Rule(Scope.CUSTOMER, SUPER_ADMIN, input_of(_sso_connection)),
    # --- SCIM provisioning: the customer's Super Admin alone holds its directory's token
    "scimTokens": Rule(Scope.CUSTOMER, SUPER_ADMIN, in_customer()),
    "createScimToken": Rule(Scope.CUSTOMER, SUPER_ADMIN, in_customer()),
    "revokeScimToken": Rule(Scope.CUSTOMER, SUPER_ADMIN, _live_scim_token),
    # --- enterprise single sign-on, continued: removing and testing (the Super Admin alone)
    "removeDomain": Rule(Scope.CUSTOMER, SUPER_ADMIN, _verified_domain),
    "removeSingleSignOn": Rule(Scope.CUSTOMER, SUPER_ADMIN, _configured_sso),
    "testSingleSignOn": Rule(Scope.CUSTOMER, SUPER_ADMIN, _configured_sso),
}
