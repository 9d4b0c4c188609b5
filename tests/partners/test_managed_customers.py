"""A partner admin creates a customer organization on the customer's behalf."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import Area, ConsentRecord, Location, Membership, PartnerMapping
from domain.enums import OrganizationType, PartnerMappingStatus, Role
from runtime import Services
from tests.factories import create_actor
from tests.partners.support import (
    CREATE_MANAGED,
    END,
    SUPPORT_PARTNER,
    add_staff,
    create_partner,
    managed_form,
)
from tests.support.gql import codes, payload_of
from tests.support.server import LiveServer


async def test_the_partner_supports_it_and_the_creator_is_its_technician(
    live: LiveServer, services: Services
) -> None:
    partner, _ = await create_partner(services, role=Role.ADMIN)
    form = managed_form(organizationName="  Harbor Logistics  ", country="de")
    created = payload_of(
        await live.graphql(CREATE_MANAGED, {"input": form}, headers=partner.headers)
    )
    assert created["userErrors"] == []
    customer = created["customer"]
    assert customer["name"] == "Harbor Logistics" and customer["country"] == "DE"
    assert customer["organization"]["type"] == "CUSTOMER"
    assert customer["organization"]["status"] == "PENDING"  # until its Super Admin activates
    assert customer["locationCount"] == 1  # the default location
    assert [t["node"]["user"]["email"] for t in customer["technicians"]["edges"]] == [
        partner.user.email
    ]

    customer_id = uuid.UUID(customer["id"])
    async with services.db.read_session() as session:
        mapping = await session.scalar(
            select(PartnerMapping).where(PartnerMapping.customer_organization_id == customer_id)
        )
        assert mapping is not None
        assert mapping.status is PartnerMappingStatus.ACTIVE
        assert mapping.partner_organization_id == partner.organization.id
        assert str(mapping.id) == customer["mappingId"]
        members = (
            await session.scalars(
                select(Membership).where(Membership.organization_id == customer_id)
            )
        ).all()
        assert members == []  # no Super Admin until the first invited person joins
        consents = (
            await session.scalars(
                select(ConsentRecord).where(ConsentRecord.organization_id == customer_id)
            )
        ).all()
        assert {c.document.value for c in consents} == {"TERMS_OF_SERVICE", "PRIVACY_POLICY"}
        assert {c.user_id for c in consents} == {partner.user.id}
        assert await session.scalar(
            select(Area.id).join(Location).where(Location.organization_id == customer_id)
        )

    # The creator works in it as its technician at once (same token: access is read per request).
    as_technician = {
        "Authorization": f"Bearer {partner.token}",
        "X-Organization-Id": customer["id"],
    }
    viewer = await live.graphql(
        "{ viewer { role organization { id type } } }", headers=as_technician
    )
    assert viewer["data"]["viewer"]["role"] == "TECHNICIAN"
    support = await live.graphql(SUPPORT_PARTNER, headers=as_technician)
    assert support["data"]["supportPartner"]["partner"]["id"] == str(partner.organization.id)

    # Nobody else could reach it yet, so the partner may not walk away.
    refused = payload_of(
        await live.graphql(
            END, {"input": {"mappingId": customer["mappingId"]}}, headers=partner.headers
        )
    )
    assert codes(refused) == ["CUSTOMER_HAS_NO_SUPER_ADMIN"]


async def test_the_form_is_validated_and_only_partner_admins_may(
    live: LiveServer, services: Services
) -> None:
    partner, _ = await create_partner(services)
    bad = managed_form(
        organizationName=" ",
        country="Atlantis",
        phone="call me",
        acceptTermsOfService=False,
        acceptPrivacyPolicy=False,
    )
    payload = payload_of(
        await live.graphql(CREATE_MANAGED, {"input": bad}, headers=partner.headers)
    )
    assert payload["customer"] is None
    assert {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]} == {
        (("input", "organizationName"), "REQUIRED"),
        (("input", "country"), "INVALID_COUNTRY"),
        (("input", "phone"), "INVALID_PHONE"),
        (("input", "acceptTermsOfService"), "TERMS_NOT_ACCEPTED"),
        (("input", "acceptPrivacyPolicy"), "PRIVACY_NOT_ACCEPTED"),
    }

    partner_user = await add_staff(services, partner, Role.USER)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    for actor in (partner_user, customer):
        body = await live.graphql(CREATE_MANAGED, {"input": managed_form()}, headers=actor.headers)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    other = await create_actor(services, organization_type=OrganizationType.PARTNER)
    body = await live.graphql(
        CREATE_MANAGED,
        {"input": managed_form(organizationId=str(other.organization.id))},
        headers=partner.headers,
    )
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    async with services.db.read_session() as session:
        assert (await session.scalars(select(PartnerMapping))).all() == []
