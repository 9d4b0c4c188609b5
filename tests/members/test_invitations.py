"""Inviting people: new emails activate into membership, existing accounts are asked (accept /
decline); the 50-organization cap and the partner rules at acceptance, expiry, resend and cancel."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models import AccountToken, Invitation, User
from domain.enums import InvitationStatus, OrganizationType, Role, UserStatus
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import GOOD_PASSWORD, activate, outbox_mails
from tests.factories import Actor, add_member, create_actor, create_organization, unique_email
from tests.identity import oidc
from tests.members.support import (
    ACCEPT,
    CANCEL,
    INVITATIONS,
    INVITE,
    MEMBERS,
    MY_INVITATIONS,
    RESEND,
    VIEWER,
    activation_link,
    audit_actions,
    create_cast,
    role_of,
)
from tests.support.gql import call, codes, error_code, mutate, nodes
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink
from tests.support.tokens import mint_access_token


async def invite(
    live: LiveServer, actor: Actor, email: str, role: str = "USER", **extra: Any
) -> Any:
    return await mutate(live, actor, INVITE, email=email, role=role, **extra)


async def log_in(live: LiveServer, services: Services, email: str, password: str) -> str:
    """An access token the way a browser app gets one: the hosted login, code + PKCE."""
    client = await oidc.register_client(services)
    request = oidc.AuthRequest(client)
    async with oidc.Browser(live.url) as browser:
        page = await browser.navigate("GET", request.url())
        params = oidc.callback_params(await browser.login(page, email, password))
    response = await oidc.exchange_code(live.client, request, params["code"])
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def offer_of(live: LiveServer, actor: Actor) -> str:
    """The id of the one invitation waiting for ``actor``'s answer."""
    body = await call(live, actor, MY_INVITATIONS)
    assert "errors" not in body, body
    (offer,) = body["data"]["myInvitations"]
    offer_id: str = offer["id"]
    return offer_id


async def accept(live: LiveServer, actor: Actor) -> Any:
    return await mutate(live, actor, ACCEPT, invitationId=await offer_of(live, actor))


async def user_by_email(services: Services, email: str) -> User:
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


async def test_a_new_email_activates_into_membership(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    cast = await create_cast(services)
    org = cast.organization
    email = unique_email("newcomer")

    payload = await invite(live, cast.admin, email.upper(), "ADMIN", firstName="Ada")
    assert payload["userErrors"] == [] and payload["member"] is None
    invitation = payload["invitation"]
    assert invitation["email"] == email and invitation["role"] == "ADMIN"
    assert invitation["status"] == "PENDING"
    assert invitation["invitedBy"]["id"] == str(cast.admin.user.id)
    listed = nodes(await call(live, cast.user, INVITATIONS), "invitations")
    assert [i["id"] for i in listed] == [invitation["id"]]

    (mail,) = await smtp.wait_for(email, subject="invited you")
    assert org.name in mail.text and "Hello Ada" in mail.text
    assert "7 days" in mail.text
    token, code = activation_link(mail.text)
    assert f"{live.url}/activate?token={token}" in mail.html
    pending = await user_by_email(services, email)
    assert pending.status is UserStatus.PENDING and await role_of(services, pending.id, org) is None

    result = await activate(live, token, code)
    assert result["activated"] is True, result
    assert await role_of(services, pending.id, org) is Role.ADMIN
    accepted = nodes(
        await call(live, cast.user, INVITATIONS, {"status": "ACCEPTED"}), "invitations"
    )
    assert [i["id"] for i in accepted] == [invitation["id"]]
    assert nodes(await call(live, cast.user, INVITATIONS), "invitations") == []
    actions = await audit_actions(services, org)
    assert actions.count("invitation.sent") == 1 and actions.count("invitation.accepted") == 1

    # The new member signs in (the hosted login, code + PKCE) and acts with that fresh token:
    # an ADMIN invites someone.
    token = await log_in(live, services, email, GOOD_PASSWORD)
    newcomer = Actor(pending, org, Role.ADMIN, token)
    body = await call(live, newcomer, MEMBERS, {"role": "ADMIN"})
    assert email in {m["user"]["email"] for m in nodes(body, "members")}
    assert (await invite(live, newcomer, unique_email("third")))["userErrors"] == []


async def test_an_existing_account_is_asked(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    cast = await create_cast(services)
    someone = await create_actor(services, role=Role.USER)  # a member of another customer

    payload = await invite(live, cast.super_admin, someone.user.email, "ADMIN")
    assert payload["userErrors"] == [] and payload["member"] is None
    assert payload["invitation"]["status"] == "PENDING"
    assert await role_of(services, someone, cast.organization) is None
    (mail,) = await smtp.wait_for(someone.user.email, subject="invited you to")
    assert cast.organization.name in mail.text and "/activate" not in mail.text

    accepted = await accept(live, someone)
    assert accepted["userErrors"] == [], accepted
    assert accepted["member"]["user"]["id"] == str(someone.user.id)
    assert accepted["member"]["role"] == "ADMIN"
    assert await role_of(services, someone, cast.organization) is Role.ADMIN
    actions = await audit_actions(services, cast.organization)
    assert actions.count("invitation.sent") == 1 and actions.count("invitation.accepted") == 1

    # Their token reaches the new organization on the very next request.
    body = await live.graphql(VIEWER, token=someone.token)
    assert str(cast.organization.id) in {o["id"] for o in body["data"]["viewer"]["organizations"]}
    # Inviting them again: already a member.
    assert codes(await invite(live, cast.admin, someone.user.email)) == ["ALREADY_MEMBER"]


async def test_duplicates_roles_and_input(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    email = unique_email("twice")
    assert (await invite(live, cast.admin, email))["userErrors"] == []
    assert codes(await invite(live, cast.admin, email, "ADMIN")) == ["ALREADY_INVITED"]
    assert codes(await invite(live, cast.admin, cast.user.user.email)) == ["ALREADY_MEMBER"]

    for role in ("SUPER_ADMIN", "TECHNICIAN", "INTERNAL_ADMIN"):
        payload = await invite(live, cast.super_admin, unique_email(), role)
        assert codes(payload) == ["INVALID_ROLE"], payload
    payload = await invite(live, cast.admin, "not an email", "SUPER_ADMIN", firstName="x" * 101)
    assert sorted(codes(payload)) == ["INVALID_EMAIL", "INVALID_ROLE", "TOO_LONG"]
    assert {tuple(e["field"]) for e in payload["userErrors"]} == {
        ("input", "email"),
        ("input", "role"),
        ("input", "firstName"),
    }

    # Technicians invite users, not admins; users and internal admins invite nobody.
    assert (await invite(live, cast.technician, unique_email()))["userErrors"] == []
    org = str(cast.organization.id)
    for actor, role in (
        (cast.technician, "ADMIN"),
        (cast.user, "USER"),
        (cast.internal_admin, "USER"),
    ):
        body = await call(
            live,
            actor,
            INVITE,
            {"input": {"email": unique_email(), "role": role, "organizationId": org}},
        )
        assert error_code(body) == "FORBIDDEN", body
    named = await invite(live, cast.stranger, unique_email(), organizationId=org)
    missing = await invite(live, cast.stranger, unique_email(), organizationId=str(uuid.uuid4()))
    assert named == missing and codes(named) == ["NOT_FOUND"]


async def test_fifty_customer_organizations_at_most(live: LiveServer, services: Services) -> None:
    cast = await create_cast(services)
    limit = services.settings.max_customer_organizations_per_user
    assert limit == 50
    busy = await create_actor(services, role=Role.USER)
    async with services.db.unit_of_work() as session:
        for _ in range(limit - 2):
            organization = await create_organization(session, with_default_location=False)
            await add_member(session, busy.user, organization, Role.USER)
    # 49 now: one more fits, the next does not — which only the account's owner learns.
    assert (await invite(live, cast.admin, busy.user.email))["userErrors"] == []
    assert (await accept(live, busy))["userErrors"] == []
    other = await create_actor(services, role=Role.SUPER_ADMIN)
    assert (await invite(live, other, busy.user.email))["userErrors"] == []
    assert codes(await accept(live, busy)) == ["TOO_MANY_ORGANIZATIONS"]
    assert await role_of(services, busy, other.organization) is None


async def test_partner_accounts_stay_with_their_partner(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    partner = await create_actor(
        services, role=Role.SUPER_ADMIN, organization_type=OrganizationType.PARTNER
    )
    other_partner = await create_actor(
        services, role=Role.SUPER_ADMIN, organization_type=OrganizationType.PARTNER
    )
    staff = await create_actor(services, role=Role.USER, organization=partner.organization)
    customer_member = await create_actor(services, role=Role.USER)

    # Partner staff into a customer (even the one they are technician of), or a second partner;
    # a customer's member into a partner; the vendor's internal admins anywhere. The inviter is
    # told nothing; the invitee cannot accept.
    for inviter, invitee, code in (
        (cast.admin, staff, "PARTNER_ACCOUNT_NOT_ALLOWED"),
        (cast.admin, cast.technician, "PARTNER_ACCOUNT_NOT_ALLOWED"),
        (other_partner, staff, "PARTNER_ACCOUNT_NOT_ALLOWED"),
        (partner, customer_member, "PARTNER_ACCOUNT_NOT_ALLOWED"),
        (cast.admin, cast.internal_admin, "INTERNAL_ACCOUNT_NOT_ALLOWED"),
    ):
        assert (await invite(live, inviter, invitee.user.email))["userErrors"] == []
        body = await call(live, invitee, MY_INVITATIONS)
        for offer in body["data"]["myInvitations"]:
            answer = await mutate(live, invitee, ACCEPT, invitationId=offer["id"])
            assert codes(answer) == [code], (invitee.user.email, answer)
        assert await role_of(services, invitee, inviter.organization) is None

    # A new email invited by a partner and by a customer: it joins the one whose link it
    # follows, and then cannot take the other.
    email = unique_email("staff")
    assert (await invite(live, cast.admin, email))["userErrors"] == []
    assert (await invite(live, partner, email, "ADMIN"))["userErrors"] == []
    user = await user_by_email(services, email)
    async with services.db.read_session() as session:
        token_row = await session.scalar(
            select(AccountToken).where(
                AccountToken.user_id == user.id, AccountToken.superseded_at.is_(None)
            )
        )
    assert token_row is not None and token_row.invitation_id is not None
    mails = await outbox_mails(live, email)
    assert (await activate(live, *activation_link(mails[-1].text)))["activated"] is True
    assert await role_of(services, user.id, partner.organization) is Role.ADMIN
    newcomer = Actor(
        user, partner.organization, Role.ADMIN, await mint_access_token(services, user.id)
    )
    assert codes(await accept(live, newcomer)) == ["PARTNER_ACCOUNT_NOT_ALLOWED"]
    assert await role_of(services, user.id, cast.organization) is None


async def test_expiry_resend_and_reinvite(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    cast = await create_cast(services)
    org = cast.organization
    email = unique_email("late")
    invitation = (await invite(live, cast.admin, email))["invitation"]
    (first,) = await smtp.wait_for(email, subject="invited you")
    async with services.db.read_session() as session:
        token_row = await session.scalar(
            select(AccountToken).where(AccountToken.user_id == (await _user_id(services, email)))
        )
    assert token_row is not None
    lifetime = token_row.expires_at - token_row.created_at
    assert abs(lifetime - timedelta(days=7)) < timedelta(minutes=1)

    # Seven days later (moved in the database): expired, and it cannot be activated into a
    # membership.
    await _expire(services, invitation["id"])
    listed = nodes(await call(live, cast.admin, INVITATIONS), "invitations")
    assert [i["status"] for i in listed] == ["EXPIRED"]
    token, code = activation_link(first.text)
    result = await activate(live, token, code)
    assert result["activated"] is False
    assert codes(result) == ["INVITATION_EXPIRED"], result
    user = await user_by_email(services, email)
    assert user.status is UserStatus.PENDING and await role_of(services, user.id, org) is None

    # A resend revives it: a new email, seven more days; the old code is dead.
    payload = await mutate(live, cast.super_admin, RESEND, invitationId=invitation["id"])
    assert payload["userErrors"] == [] and payload["invitation"]["status"] == "PENDING"
    assert payload["invitation"]["invitedBy"]["id"] == str(cast.super_admin.user.id)
    first_mail, second = await smtp.wait_for(email, 2, subject="invited you")
    assert first_mail.message_id != second.message_id
    assert codes(await activate(live, token, code)) == ["INVALID_OR_EXPIRED_CODE"]
    token, code = activation_link(second.text)
    assert (await activate(live, token, code))["activated"] is True
    assert await role_of(services, user.id, org) is Role.USER
    assert "invitation.resent" in await audit_actions(services, org)

    # Inviting again after an invitation expired replaces it.
    again = unique_email("again")
    old = (await invite(live, cast.admin, again))["invitation"]
    await _expire(services, old["id"])
    new = (await invite(live, cast.admin, again, "ADMIN"))["invitation"]
    assert new["status"] == "PENDING" and new["id"] != old["id"]
    body = await call(live, cast.admin, INVITATIONS, {"status": "EXPIRED"})
    assert [i["id"] for i in nodes(body, "invitations")] == [old["id"]]


async def test_cancel(live: LiveServer, services: Services, smtp: SmtpSink) -> None:
    cast = await create_cast(services)
    email = unique_email("cancelled")
    invitation = (await invite(live, cast.admin, email, "ADMIN"))["invitation"]
    (mail,) = await smtp.wait_for(email, subject="invited you")

    # A technician may not withdraw an ADMIN invitation; nobody else finds it.
    body = await call(live, cast.technician, CANCEL, {"input": {"invitationId": invitation["id"]}})
    assert error_code(body) == "FORBIDDEN"
    foreign = await mutate(live, cast.stranger, CANCEL, invitationId=invitation["id"])
    for fake in (str(uuid.uuid4()), "x"):
        assert await mutate(live, cast.stranger, CANCEL, invitationId=fake) == foreign
    assert codes(foreign) == ["NOT_FOUND"]
    assert codes(await mutate(live, cast.stranger, RESEND, invitationId=invitation["id"])) == [
        "NOT_FOUND"
    ]

    payload = await mutate(live, cast.admin, CANCEL, invitationId=invitation["id"])
    assert payload["userErrors"] == [] and payload["invitation"]["status"] == "CANCELLED"
    token, code = activation_link(mail.text)
    assert codes(await activate(live, token, code)) == ["INVITATION_EXPIRED"]
    for document in (CANCEL, RESEND):
        again = await mutate(live, cast.admin, document, invitationId=invitation["id"])
        assert codes(again) == ["INVITATION_NOT_PENDING"]
    assert "invitation.cancelled" in await audit_actions(services, cast.organization)
    # The address can be invited again.
    assert (await invite(live, cast.admin, email))["userErrors"] == []


async def test_an_invitation_past_its_time_is_resent_to_an_activated_account(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    """Invited to two organizations; one invitation expires before the person activates with
    the other. Resending the expired one asks the (now active) account, as any existing one."""
    cast = await create_cast(services)
    other = await create_actor(services, role=Role.ADMIN)
    # A real organization has its Super Admin (one without gets it from its first invitation).
    await create_actor(services, role=Role.SUPER_ADMIN, organization=other.organization)
    email = unique_email("two")
    first = (await invite(live, cast.admin, email))["invitation"]
    assert (await invite(live, other, email))["userErrors"] == []
    await _expire(services, first["id"])
    latest = (await smtp.wait_for(email, 2, subject="invited you"))[-1]
    assert (await activate(live, *activation_link(latest.text)))["activated"] is True
    user = await user_by_email(services, email)
    assert await role_of(services, user.id, other.organization) is Role.USER
    assert await role_of(services, user.id, cast.organization) is None

    payload = await mutate(live, cast.admin, RESEND, invitationId=first["id"])
    assert payload["userErrors"] == [], payload
    assert payload["invitation"]["status"] == "PENDING" and payload["member"] is None
    assert await role_of(services, user.id, cast.organization) is None
    await smtp.wait_for(email, subject="invited you to")
    member = Actor(user, other.organization, Role.USER, await mint_access_token(services, user.id))
    assert (await accept(live, member))["userErrors"] == []
    assert await role_of(services, user.id, cast.organization) is Role.USER


@pytest.mark.parametrize("settings_overrides", [{"rate_limit_invitation": "3/hour"}])
async def test_invitations_are_rate_limited_per_inviter(
    live: LiveServer, services: Services
) -> None:
    cast = await create_cast(services)
    limit = 3
    for _ in range(limit):
        assert (await invite(live, cast.technician, unique_email()))["userErrors"] == []
    assert codes(await invite(live, cast.technician, unique_email())) == ["RATE_LIMITED"]
    # Another inviter is not affected.
    assert (await invite(live, cast.admin, unique_email()))["userErrors"] == []


async def _user_id(services: Services, email: str) -> uuid.UUID:
    return (await user_by_email(services, email)).id


async def _expire(services: Services, invitation_id: str) -> None:
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Invitation)
            .where(Invitation.id == uuid.UUID(invitation_id))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    async with services.db.read_session() as session:
        row = await session.get(Invitation, uuid.UUID(invitation_id))
    assert row is not None and row.status is InvitationStatus.PENDING


async def test_racing_invitations_end_one_way(live: LiveServer, services: Services) -> None:
    """Two admins invite the same new email at once: one invitation. An account with room for
    one more organization accepts two invitations at once: it joins one."""
    cast = await create_cast(services)
    email = unique_email("race")
    bodies = await asyncio.gather(
        call(live, cast.admin, INVITE, {"input": {"email": email, "role": "USER"}}),
        call(live, cast.super_admin, INVITE, {"input": {"email": email, "role": "ADMIN"}}),
    )
    outcomes = sorted(codes(next(iter(b["data"].values()))) for b in bodies)
    assert outcomes == [[], ["ALREADY_INVITED"]], bodies
    listed = nodes(await call(live, cast.admin, INVITATIONS), "invitations")
    assert [i["email"] for i in listed] == [email]

    busy = await create_actor(services, role=Role.USER)
    async with services.db.unit_of_work() as session:
        for _ in range(services.settings.max_customer_organizations_per_user - 2):
            organization = await create_organization(session, with_default_location=False)
            await add_member(session, busy.user, organization, Role.USER)
    inviters = [await create_actor(services, role=Role.ADMIN) for _ in range(2)]
    for inviter in inviters:  # organizations that have their Super Admin
        await create_actor(services, role=Role.SUPER_ADMIN, organization=inviter.organization)
    for inviter in inviters:
        assert (await invite(live, inviter, busy.user.email))["userErrors"] == []
    offers = (await call(live, busy, MY_INVITATIONS))["data"]["myInvitations"]
    bodies = await asyncio.gather(
        *(call(live, busy, ACCEPT, {"input": {"invitationId": o["id"]}}) for o in offers)
    )
    outcomes = sorted(codes(next(iter(b["data"].values()))) for b in bodies)
    assert outcomes == [[], ["TOO_MANY_ORGANIZATIONS"]], bodies
    joined = [await role_of(services, busy, inviter.organization) for inviter in inviters]
    assert sorted(map(str, joined)) == ["None", "USER"]
