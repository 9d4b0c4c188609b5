"""'Create an Organization now', end to end over HTTP: sign up, read the email, activate."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import AuditEvent, ConsentRecord, Location, Membership, Organization, User
from domain.enums import ConsentDocument, OrganizationStatus, OrganizationType, Role, UserStatus
from runtime import Services
from tests.accounts.journeys import activate, delivered, register
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def test_customer_signs_up_and_activates(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    tag = uuid.uuid4().hex[:8]  # the SMTP server is shared by the session: unique recipients
    form = await register(live, email=f"  Ada.Lovelace+{tag}@Example.COM ")
    email = f"ada.lovelace+{tag}@example.com"

    (mail,) = await delivered(smtp, email)
    assert "activate" in mail.subject.lower()
    assert f"{live.url}/activate?token=" in mail.text
    assert f"{live.url}/activate?token={mail.activation_token}" in mail.html
    assert len(mail.activation_code) == 8

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == email))).one()
        assert user.status is UserStatus.PENDING and user.password_hash is None
        membership = (
            await session.scalars(select(Membership).where(Membership.user_id == user.id))
        ).one()
        assert membership.role is Role.SUPER_ADMIN
        organization = await session.get(Organization, membership.organization_id)
        assert organization is not None
        assert organization.type is OrganizationType.CUSTOMER
        assert organization.status is OrganizationStatus.PENDING
        assert organization.name == form["organizationName"]
        assert organization.country == "DE"
        location = (
            await session.scalars(
                select(Location).where(Location.organization_id == organization.id)
            )
        ).one()
        assert location.is_default and location.time_zone == "Europe/Berlin"
        consents = (
            await session.scalars(
                select(ConsentRecord).where(ConsentRecord.organization_id == organization.id)
            )
        ).all()
        assert {c.document for c in consents} == {
            ConsentDocument.TERMS_OF_SERVICE,
            ConsentDocument.PRIVACY_POLICY,
        }
        for consent in consents:
            assert consent.user_id == user.id
            assert consent.email == email
            assert consent.client_address == "127.0.0.1"
            assert consent.user_agent and consent.user_agent.startswith("python-httpx")
            assert consent.version == services.settings.terms_of_service_version or (
                consent.version == services.settings.privacy_policy_version
            )

    result = await activate(live, mail.activation_token, mail.activation_code.lower())
    assert result == {
        "activated": True,
        "message": "Your account is verified successfully.",
        "userErrors": [],
    }

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == email))).one()
        assert user.status is UserStatus.ACTIVE and user.activated_at is not None
        assert user.password_hash and user.password_hash.startswith("$argon2id$")
        organization = await session.get(Organization, membership.organization_id)
        assert organization is not None and organization.status is OrganizationStatus.ACTIVE
        actions = set(await session.scalars(select(AuditEvent.action)))
    assert {"organization.registered", "account.activated", "organization.activated"} <= actions
    assert (
        await services.hasher.verify(user.password_hash, "violet rivers hum beneath 7 moons")
    ).ok

    # The link is single use.
    again = await activate(live, mail.activation_token, mail.activation_code)
    assert again["activated"] is False
    assert again["userErrors"][0]["code"] == "INVALID_OR_EXPIRED_CODE"
