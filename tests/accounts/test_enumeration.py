"""No enumeration: sign-up, partner join and resend answer a known email exactly as an unknown
one; only the mailbox learns the difference."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import (
    CREATE_CUSTOMER,
    JOIN_PARTNER,
    RESEND,
    customer_form,
    outbox_mails,
    partner_form,
    unique_email,
)
from tests.factories import create_actor, create_step_code
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # A second mail to one address within a minute is the point of two of these tests; the mail
    # guard's own limits are tested in test_mail_guard.py.
    return {"mail_per_recipient_per_minute": 5}


async def _raw(live: LiveServer, query: str, variables: dict[str, Any]) -> httpx.Response:
    return await live.client.post("/graphql", json={"query": query, "variables": variables})


def _comparable(response: httpx.Response) -> tuple[int, str, str | None]:
    # The whole answer: status, body, and the headers that could differ (not the request id).
    return response.status_code, response.text, response.headers.get("content-type")


async def test_sign_up_answers_a_known_email_like_a_new_one(
    live: LiveServer, services: Services
) -> None:
    active = await create_actor(services, role=Role.SUPER_ADMIN)
    known = await _raw(live, CREATE_CUSTOMER, {"input": customer_form(email=active.user.email)})
    unknown = await _raw(live, CREATE_CUSTOMER, {"input": customer_form()})
    assert _comparable(known) == _comparable(unknown)
    assert known.json() == {
        "data": {"createCustomerOrganization": {"accepted": True, "userErrors": []}}
    }
    # The owner of the known address is told by mail, and nothing new was created for them.
    (notice,) = await outbox_mails(live, active.user.email)
    assert notice.template == "already_registered"
    assert f"{live.url}/login" in notice.text


async def test_a_pending_account_signing_up_again_gets_a_fresh_activation(
    live: LiveServer, services: Services
) -> None:
    email = unique_email()
    first = await _raw(live, CREATE_CUSTOMER, {"input": customer_form(email=email)})
    second = await _raw(live, CREATE_CUSTOMER, {"input": customer_form(email=email)})
    assert _comparable(first) == _comparable(second)
    old, new = await outbox_mails(live, email)
    assert old.template == new.template == "activation"
    assert old.activation_token != new.activation_token


async def test_partner_join_answers_a_known_email_like_a_new_one(
    live: LiveServer, services: Services
) -> None:
    active = await create_actor(services, role=Role.ADMIN)
    code = await create_step_code(services)
    known = await _raw(live, JOIN_PARTNER, {"input": partner_form(code, email=active.user.email)})
    unknown_email = unique_email()
    unknown = await _raw(live, JOIN_PARTNER, {"input": partner_form(code, email=unknown_email)})
    assert _comparable(known) == _comparable(unknown)
    assert known.json()["data"]["joinAsStepPartner"] == {"accepted": True, "userErrors": []}
    (notice,) = await outbox_mails(live, active.user.email)
    assert notice.template == "already_registered"
    (received,) = await outbox_mails(live, unknown_email)
    assert received.template == "partner_request_received"


async def test_resend_answers_every_email_alike(live: LiveServer, services: Services) -> None:
    active = await create_actor(services)
    pending = unique_email()
    await _raw(live, CREATE_CUSTOMER, {"input": customer_form(email=pending)})
    answers = [
        await _raw(live, RESEND, {"email": email})
        for email in (unique_email(), pending, active.user.email)
    ]
    assert len({_comparable(a) for a in answers}) == 1
    assert answers[0].json() == {"data": {"resendActivation": {"accepted": True, "userErrors": []}}}
    first, again = await outbox_mails(live, pending)
    assert again.template == "activation" and again.activation_code != first.activation_code
    (notice,) = await outbox_mails(live, active.user.email)
    assert notice.template == "already_registered"
