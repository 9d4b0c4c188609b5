"""'Join as a STEP Partner', end to end over HTTP: the code check, the request, the internal
admin's review, and activation of the Partner Super Admin."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, ConsentRecord, Membership, Organization, PartnerRequest, User
from domain.enums import OrganizationStatus, OrganizationType, Role, UserStatus
from runtime import Services
from tests.accounts.journeys import (
    APPROVE,
    JOIN_PARTNER,
    PARTNER_REQUESTS,
    REJECT,
    activate,
    delivered,
    outbox_mails,
    partner_form,
)
from tests.factories import create_actor, create_step_code
from tests.support.gql import codes, payload_for
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def _admin_token(services: Services) -> str:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    return admin.token


async def test_partner_joins_is_approved_and_activates(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    code = await create_step_code(services, "step-gold-0042".upper())
    form = partner_form(" step-gold-0042 ", companyName="Installers United Ltd", country="gb")
    payload = await payload_for(live, None, JOIN_PARTNER, {"input": form})
    assert payload == {"accepted": True, "userErrors": []}

    (received,) = await delivered(smtp, form["email"])
    assert "received" in received.subject.lower()
    assert "Installers United Ltd" in received.text and code in received.text

    admin = await _admin_token(services)
    listing = await payload_for(live, admin, PARTNER_REQUESTS, {"status": "PENDING"})
    (edge,) = listing["edges"]
    request = edge["node"]
    assert request["status"] == "PENDING"
    assert request["stepPartnerCode"] == code
    assert request["contactEmail"] == form["email"]
    assert request["companyName"] == "Installers United Ltd"
    assert request["country"] == "GB"
    assert request["organization"] is None and request["reviewedAt"] is None

    approved = await payload_for(live, admin, APPROVE, {"id": request["id"]})
    assert approved["userErrors"] == []
    node = approved["partnerRequest"]
    assert node["status"] == "APPROVED" and node["reviewedAt"] is not None
    assert node["organization"]["type"] == "PARTNER"
    assert node["organization"]["status"] == "PENDING"
    assert node["organization"]["name"] == "Installers United Ltd"

    _received, activation = await delivered(smtp, form["email"], 2)
    assert "approved" in activation.subject.lower()
    result = await activate(live, activation.activation_token, activation.activation_code)
    assert result["activated"] is True, result

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == form["email"]))).one()
        assert user.status is UserStatus.ACTIVE
        membership = (
            await session.scalars(select(Membership).where(Membership.user_id == user.id))
        ).one()
        assert membership.role is Role.SUPER_ADMIN
        organization = await session.get(Organization, membership.organization_id)
        assert organization is not None
        assert organization.type is OrganizationType.PARTNER
        assert organization.status is OrganizationStatus.ACTIVE
        assert str(organization.id) == node["organization"]["id"]
        consents = (
            await session.scalars(
                select(ConsentRecord).where(ConsentRecord.organization_id == organization.id)
            )
        ).all()
        assert len(consents) == 2 and all(c.user_id == user.id for c in consents)
        assert all(c.client_address == "127.0.0.1" for c in consents)
        actions = set(await session.scalars(select(AuditEvent.action)))
    assert {"partner_request.created", "partner_request.approved", "account.activated"} <= actions

    # The code now belongs to a partner organization: nobody can join with it again.
    again = await payload_for(live, None, JOIN_PARTNER, {"input": partner_form(code)})
    assert again["accepted"] is False
    assert again["userErrors"] == [
        {
            "field": ["input", "stepPartnerCode"],
            "message": again["userErrors"][0]["message"],
            "code": "INVALID_STEP_CODE",
        }
    ]


async def test_unknown_revoked_and_used_codes_are_refused_alike(
    live: LiveServer, services: Services
) -> None:
    revoked = await create_step_code(services, revoked=True)
    answers = []
    for code in ("NO-SUCH-CODE", revoked):
        form = partner_form(code)
        payload = await payload_for(live, None, JOIN_PARTNER, {"input": form})
        assert codes(payload) == ["INVALID_STEP_CODE"]
        assert payload["userErrors"][0]["field"] == ["input", "stepPartnerCode"]
        assert await outbox_mails(live, form["email"]) == []
        answers.append(payload)
    assert answers[0] == answers[1]
    async with services.db.read_session() as session:
        refusals = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "step_code.refused")
            )
        ).all()
        requests = await session.scalar(select(func.count()).select_from(PartnerRequest))
    assert sorted(e.details["reason"] for e in refusals) == ["revoked", "unknown"]
    assert all(e.client_address == "127.0.0.1" for e in refusals)
    assert requests == 0


async def test_the_form_reports_a_bad_code_with_every_other_bad_field(
    live: LiveServer, services: Services
) -> None:
    form = partner_form("UNKNOWN-1", email="not an email", country="XX")
    payload = await payload_for(live, None, JOIN_PARTNER, {"input": form})
    assert {(*e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("input", "stepPartnerCode", "INVALID_STEP_CODE"),
        ("input", "email", "INVALID_EMAIL"),
        ("input", "country", "INVALID_COUNTRY"),
    }


async def test_wrong_codes_are_rate_limited_per_address(
    live: LiveServer, services: Services
) -> None:
    good = await create_step_code(services)
    limit = int(services.settings.rate_limit_step_code.split("/")[0])
    for attempt in range(limit):
        payload = await payload_for(
            live, None, JOIN_PARTNER, {"input": partner_form(f"GUESS-{attempt}")}
        )
        assert codes(payload) == ["INVALID_STEP_CODE"]
    # Past the limit even a valid code is not looked at from this address.
    payload = await payload_for(live, None, JOIN_PARTNER, {"input": partner_form(good)})
    assert codes(payload) == ["RATE_LIMITED"]


@pytest.mark.parametrize("settings_overrides", storages({"rate_limit_step_code": "5/hour"}))
async def test_a_concurrent_burst_of_codes_cannot_pass_the_limit(
    live: LiveServer, services: Services
) -> None:
    await fresh_limits(live.settings)
    good = await create_step_code(services)
    forms = [partner_form(f"GUESS-{n}") for n in range(30)]
    forms.insert(20, partner_form(good))
    answers = await asyncio.gather(
        *(payload_for(live, None, JOIN_PARTNER, {"input": form}) for form in forms)
    )
    # Each attempt reserves its failure before the code is looked up: at most 5 wrong codes were
    # evaluated; the right one, if it got a place, gave it back.
    async with services.db.read_session() as session:
        looked_up = await session.scalar(
            select(func.count()).where(AuditEvent.action == "step_code.refused")
        )
    assert looked_up is not None and looked_up <= 5
    limited = [a for a in answers if codes(a) == ["RATE_LIMITED"]]
    assert len(limited) >= len(forms) - 6
    right = answers[20]
    assert right["accepted"] or codes(right) == ["RATE_LIMITED"]


async def test_rejection_mails_the_reason(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    code = await create_step_code(services)
    form = partner_form(code)
    await payload_for(live, None, JOIN_PARTNER, {"input": form})
    admin = await _admin_token(services)
    listing = await payload_for(live, admin, PARTNER_REQUESTS, {})
    request_id = listing["edges"][0]["node"]["id"]
    reason = "We could not confirm your STEP membership.\nPlease contact your distributor."
    rejected = await payload_for(live, admin, REJECT, {"id": request_id, "reason": reason})
    assert rejected["userErrors"] == []
    assert rejected["partnerRequest"]["status"] == "REJECTED"
    assert rejected["partnerRequest"]["reason"] == reason
    assert rejected["partnerRequest"]["organization"] is None

    _received, rejection = await delivered(smtp, form["email"], 2)
    assert rejection.subject == "Your STEP partner request"
    assert "We could not confirm your STEP membership." in rejection.text
    assert "Please contact your distributor." in rejection.html

    # A decided request stays decided.
    again = await payload_for(live, admin, APPROVE, {"id": request_id})
    assert codes(again) == ["ALREADY_REVIEWED"] and again["partnerRequest"] is None
    again = await payload_for(live, admin, REJECT, {"id": request_id, "reason": "x"})
    assert codes(again) == ["ALREADY_REVIEWED"]
    async with services.db.read_session() as session:
        assert (
            await session.scalar(
                select(func.count())
                .select_from(Organization)
                .where(Organization.type == OrganizationType.PARTNER)
            )
            == 0
        )
