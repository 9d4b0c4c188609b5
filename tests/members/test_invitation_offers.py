"""Invitations are offers (SECURITY.md): nothing an inviter does decides what a sign-up creates, an
existing account is asked (accept / decline), and the inviter learns only what they typed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from db.models import Invitation, Membership, Organization, User
from domain.enums import InvitationStatus, OrganizationType, Role, UserStatus
from runtime import Services
from tests.accounts.journeys import (
    ACTIVATE,
    CREATE_CUSTOMER,
    GOOD_PASSWORD,
    JOIN_PARTNER,
    activate,
    customer_form,
    outbox_mails,
    partner_form,
)
from tests.accounts.journeys import RESEND as RESEND_ACTIVATION
from tests.factories import Actor, create_actor, create_step_code, unique_email
from tests.members.support import (
    ACCEPT,
    DECLINE,
    INVITE,
    MY_INVITATIONS,
    RESEND,
    activation_link,
    create_cast,
    role_of,
)
from tests.support.gql import call, codes, mutate, payload_for
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token


async def _user(services: Services, email: str) -> User:
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


async def _memberships(services: Services, user_id: Any) -> dict[str, Role]:
    async with services.db.read_session() as session:
        rows = await session.execute(
            select(Organization.name, Membership.role)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user_id)
        )
    return {name: role for name, role in rows}


async def _invitation(services: Services, invitation_id: str) -> Invitation:
    async with services.db.read_session() as session:
        row = await session.get(Invitation, uuid.UUID(invitation_id))
    assert row is not None
    return row


async def _signed_in(services: Services, email: str) -> Actor:
    """The account with a token, working in its first organization."""
    user = await _user(services, email)
    async with services.db.read_session() as session:
        organization = await session.scalar(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
            .limit(1)
        )
    assert organization is not None
    return Actor(user, organization, Role.USER, await mint_access_token(services, user.id))


async def test_an_invitation_does_not_capture_a_later_sign_up(
    live: LiveServer, services: Services
) -> None:
    """Finding 2: an attacker invites the victim's address (with a name of their choosing) into an
    organization named like the victim's company; the victim then signs up their own company."""
    cast = await create_cast(services)
    attacker = cast.super_admin
    victim = unique_email("victim")
    invited = await mutate(
        live, attacker, INVITE, email=victim, role="ADMIN", firstName="Mallory", lastName="Owned"
    )
    assert invited["userErrors"] == []
    # The inviter's names are not the account's.
    assert (await _user(services, victim)).first_name == ""

    form = customer_form(
        email=victim, organizationName="Victim Company GmbH", firstName="Vera", lastName="Vance"
    )
    payload = await payload_for(live, None, CREATE_CUSTOMER, {"input": form})
    assert payload == {"accepted": True, "userErrors": []}
    mail = (await outbox_mails(live, victim))[-1]
    assert mail.template == "activation" and "Victim Company GmbH" in mail.text
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert result["activated"] is True, result

    user = await _user(services, victim)
    assert user.status is UserStatus.ACTIVE
    assert (user.first_name, user.last_name) == ("Vera", "Vance")
    # Their own organization, as its Super Admin; not the attacker's.
    assert await _memberships(services, user.id) == {"Victim Company GmbH": Role.SUPER_ADMIN}
    assert await role_of(services, user.id, cast.organization) is None
    # The invitation is still a separate offer, shown with who sent it, and can be declined.
    victim_actor = await _signed_in(services, victim)
    body = await call(live, victim_actor, MY_INVITATIONS)
    (offer,) = body["data"]["myInvitations"]
    assert offer["id"] == invited["invitation"]["id"]
    assert offer["organization"]["name"] == cast.organization.name
    assert offer["invitedBy"]["email"] == attacker.user.email and offer["role"] == "ADMIN"
    declined = await mutate(live, victim_actor, DECLINE, invitationId=offer["id"])
    assert declined["userErrors"] == [] and declined["invitation"]["status"] == "DECLINED"
    assert (await call(live, victim_actor, MY_INVITATIONS))["data"]["myInvitations"] == []
    assert codes(await mutate(live, victim_actor, ACCEPT, invitationId=offer["id"])) == [
        "INVITATION_NOT_PENDING"
    ]
    assert await role_of(services, user.id, cast.organization) is None


async def test_an_invitation_does_not_capture_a_partner_join(
    live: LiveServer, services: Services
) -> None:
    """The partner join likewise: the request goes ahead and approval claims the account."""
    cast = await create_cast(services)
    email = unique_email("installer")
    assert (await mutate(live, cast.admin, INVITE, email=email, role="USER"))["userErrors"] == []
    before = len(await outbox_mails(live, email))
    code = await create_step_code(services)
    payload = await payload_for(
        live,
        None,
        JOIN_PARTNER,
        {"input": partner_form(code, email=email, firstName="Ina", lastName="Stall")},
    )
    assert payload["accepted"] is True and payload["userErrors"] == [], payload
    mails = (await outbox_mails(live, email))[before:]
    assert [m.template for m in mails] == ["partner_request_received"]


async def test_the_invitation_link_accepts_that_invitation_only(
    live: LiveServer, services: Services
) -> None:
    """An account made by invitations: its link accepts the invitation it was mailed for; the
    others stay offers; the invitee's name is not the inviter's."""
    first = await create_actor(services, role=Role.SUPER_ADMIN)
    second = await create_actor(services, role=Role.SUPER_ADMIN)
    email = unique_email("invitee")
    one = await mutate(live, first, INVITE, email=email, role="ADMIN", firstName="Eve")
    two = await mutate(live, second, INVITE, email=email, role="USER", firstName="Bob")
    mails = [m for m in await outbox_mails(live, email) if m.template == "invitation"]
    assert "Hello Bob" in mails[-1].text and second.organization.name in mails[-1].text
    token, code = activation_link(mails[-1].text)
    assert (await activate(live, token, code))["activated"] is True

    user = await _user(services, email)
    assert (user.first_name, user.last_name) == ("", "")
    assert await role_of(services, user.id, second.organization) is Role.USER
    assert await role_of(services, user.id, first.organization) is None
    invitee = await _signed_in(services, email)
    (offer,) = (await call(live, invitee, MY_INVITATIONS))["data"]["myInvitations"]
    assert offer["id"] == one["invitation"]["id"]
    assert two["invitation"]["id"] != offer["id"]
    accepted = await mutate(live, invitee, ACCEPT, invitationId=offer["id"])
    assert accepted["userErrors"] == [], accepted
    assert accepted["member"]["role"] == "ADMIN"
    assert accepted["invitation"]["status"] == "ACCEPTED"
    assert await role_of(services, user.id, first.organization) is Role.ADMIN


async def test_an_existing_account_is_asked_and_the_inviter_learns_nothing(
    live: LiveServer, services: Services
) -> None:
    """Finding 7: no one joins at once, no first name comes back, vendor and partner staff get
    the same answer as anyone else; the invitee hears why they cannot accept."""
    cast = await create_cast(services)
    someone = await create_actor(services, role=Role.USER)
    partner = await create_actor(
        services, role=Role.SUPER_ADMIN, organization_type=OrganizationType.PARTNER
    )
    staff = await create_actor(services, role=Role.USER, organization=partner.organization)

    answers = []
    for email in (
        someone.user.email,
        cast.internal_admin.user.email,
        staff.user.email,
        cast.technician.user.email,
        unique_email("nobody"),
    ):
        payload = await mutate(live, cast.admin, INVITE, email=email, role="USER")
        assert payload["userErrors"] == [], (email, payload)
        assert payload["member"] is None
        invitation = payload["invitation"]
        assert invitation["email"] == email and invitation["status"] == "PENDING"
        answers.append({k: v for k, v in invitation.items() if k not in {"id", "email"}})
        answers[-1].pop("invitedAt"), answers[-1].pop("expiresAt")
    assert all(answer == answers[0] for answer in answers), answers
    assert await role_of(services, someone, cast.organization) is None

    # The existing account was asked by mail, and answers in its own session.
    (mail,) = [m for m in await outbox_mails(live, someone.user.email)]
    assert mail.template == "invitation_offer" and "/activate" not in mail.text
    assert cast.admin.user.email in mail.text and cast.organization.name in mail.text
    (offer,) = (await call(live, someone, MY_INVITATIONS))["data"]["myInvitations"]
    # Nobody else can answer it, nor see it.
    assert codes(await mutate(live, cast.user, ACCEPT, invitationId=offer["id"])) == ["NOT_FOUND"]
    assert codes(await mutate(live, cast.user, DECLINE, invitationId=offer["id"])) == ["NOT_FOUND"]
    assert (await call(live, cast.user, MY_INVITATIONS))["data"]["myInvitations"] == []
    accepted = await mutate(live, someone, ACCEPT, invitationId=offer["id"])
    assert accepted["userErrors"] == [] and accepted["member"]["role"] == "USER"
    assert await role_of(services, someone, cast.organization) is Role.USER

    # Staff accounts learn at acceptance that they cannot join; the inviter never does.
    for actor, code in (
        (cast.internal_admin, "INTERNAL_ACCOUNT_NOT_ALLOWED"),
        (staff, "PARTNER_ACCOUNT_NOT_ALLOWED"),
    ):
        (offer,) = (await call(live, actor, MY_INVITATIONS))["data"]["myInvitations"]
        assert codes(await mutate(live, actor, ACCEPT, invitationId=offer["id"])) == [code]
        assert (await _invitation(services, offer["id"])).status is InvitationStatus.PENDING

    # Resending stays an offer too.
    other = await create_actor(services, role=Role.USER)
    sent = await mutate(live, cast.admin, INVITE, email=other.user.email, role="USER")
    resent = await mutate(live, cast.admin, RESEND, invitationId=sent["invitation"]["id"])
    assert resent["userErrors"] == [] and resent["member"] is None
    assert resent["invitation"]["status"] == "PENDING"
    assert await role_of(services, other, cast.organization) is None


async def test_the_invitee_names_themselves_and_a_resend_keeps_the_invitation(
    live: LiveServer, services: Services
) -> None:
    """An account an invitation made: asking for a new activation email mails the invitation's
    link again (a plain link would activate into nothing); the invitee names themselves."""
    inviter = await create_actor(services, role=Role.SUPER_ADMIN)
    email = unique_email("named")
    invited = await mutate(live, inviter, INVITE, email=email, role="USER", firstName="Mallory")
    assert invited["userErrors"] == []
    resent = await payload_for(live, None, RESEND_ACTIVATION, {"email": email})
    assert resent == {"accepted": True, "userErrors": []}
    mail = (await outbox_mails(live, email))[-1]
    assert mail.template == "invitation" and inviter.organization.name in mail.text
    token, code = activation_link(mail.text)
    too_long = await payload_for(
        live,
        None,
        ACTIVATE,
        {
            "input": {
                "token": token,
                "code": code,
                "newPassword": GOOD_PASSWORD,
                "firstName": "x" * 101,
            }
        },
    )
    assert codes(too_long) == ["TOO_LONG"], too_long
    result = await payload_for(
        live,
        None,
        ACTIVATE,
        {
            "input": {
                "token": token,
                "code": code,
                "newPassword": GOOD_PASSWORD,
                "firstName": "Nora",
                "lastName": "Named",
            }
        },
    )
    assert result["activated"] is True, result
    user = await _user(services, email)
    assert (user.first_name, user.last_name) == ("Nora", "Named")
    assert await role_of(services, user.id, inviter.organization) is Role.USER
