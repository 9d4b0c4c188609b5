"""Hostile input in every field of the account forms: a clear userError for the field, never a
500, a traceback or an accepted request."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import (
    ACTIVATE,
    CREATE_CUSTOMER,
    JOIN_PARTNER,
    REJECT,
    RESEND,
    customer_form,
    outbox_mails,
    partner_form,
    register,
)
from tests.factories import create_actor, create_step_code
from tests.support.server import LiveServer

HOSTILE = {
    "100 KB": "a" * 100_000,
    "NUL": "Acme\x00Corp",
    "bell": "Ada\x07",
    "escape sequence": "\x1b[31mred\x1b[0m",
    "header injection": "Ada\r\nBcc: victim@example.com",
    "right-to-left override": "Ada\u202eecilA",
    "lone surrogate": "Ada\ud800",
    "line separator": "Ada\u2028Lovelace",
}
FORM_FIELDS = ["organizationName", "country", "address", "phone", "firstName", "lastName", "email"]


async def _post(
    live: LiveServer, query: str, variables: dict[str, Any], token: str | None = None
) -> httpx.Response:
    # json.dumps escapes to ASCII, so a lone surrogate travels as "\ud800" the way a hostile
    # client would send it (httpx's own encoder cannot encode it at all).
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await live.client.post(
        "/graphql", content=json.dumps({"query": query, "variables": variables}), headers=headers
    )


# Refused by the HTTP layer as a whole (400 BAD_USER_INPUT), before any resolver: PostgreSQL
# cannot store them, so no request carrying them reaches the services.
REFUSED_BY_HTTP = {"NUL", "lone surrogate"}


async def _graphql(
    live: LiveServer, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any] | None:
    """The body of a 200 answer, or None for the HTTP layer's 400 (checked here)."""
    response = await _post(live, query, variables, token)
    assert "Traceback" not in response.text
    if response.status_code == 400:
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        return None
    assert response.status_code == 200, response.text[:500]
    body: dict[str, Any] = response.json()
    return body


def _assert_refused(body: dict[str, Any] | None, field: list[str] | None, label: str) -> None:
    if body is None:
        assert label in REFUSED_BY_HTTP, label
        return
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert not any(payload.get(k) for k in ("accepted", "activated", "partnerRequest")), payload
    assert payload["userErrors"], payload
    if field is not None:
        assert [e["field"] for e in payload["userErrors"]] == [field], payload


@pytest.mark.parametrize("mutation", ["createCustomerOrganization", "joinAsStepPartner"])
async def test_every_form_field_refuses_hostile_values(
    live: LiveServer, services: Services, mutation: str
) -> None:
    code = await create_step_code(services)
    fields = (
        FORM_FIELDS
        if mutation == "createCustomerOrganization"
        else [
            "stepPartnerCode",
            "companyName",
            *FORM_FIELDS[1:],
        ]
    )
    for field in fields:
        for label, value in HOSTILE.items():
            if mutation == "createCustomerOrganization":
                query, form = CREATE_CUSTOMER, customer_form(**{field: value})
            else:
                query, form = JOIN_PARTNER, partner_form(code, **{field: value})
            body = await _graphql(live, query, {"input": form})
            _assert_refused(body, ["input", field], label)
            if field != "email":
                assert await outbox_mails(live, form["email"]) == [], (field, label)


async def test_activation_refuses_hostile_values(live: LiveServer, services: Services) -> None:
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    good = {"token": mail.activation_token, "code": mail.activation_code}
    for field in ("token", "code", "newPassword"):
        for label, value in HOSTILE.items():
            variables = {"input": {**good, "newPassword": "violet rivers hum beneath 7 moons"}}
            variables["input"][field] = value
            body = await _graphql(live, ACTIVATE, variables)
            _assert_refused(body, None, label)
            if body is not None:
                assert body["data"]["activateAccount"]["userErrors"][0]["field"][0] == "input"


async def test_resend_and_reject_refuse_hostile_values(
    live: LiveServer, services: Services
) -> None:
    for label, value in HOSTILE.items():
        body = await _graphql(live, RESEND, {"email": value})
        _assert_refused(body, ["email"], label)
        if body is not None:
            assert body["data"]["resendActivation"]["userErrors"][0]["code"] == "INVALID_EMAIL"
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    code = await create_step_code(services)
    await live.graphql(JOIN_PARTNER, {"input": partner_form(code)})
    for label, value in HOSTILE.items():
        if label == "header injection":
            continue  # a reason may span lines; it is emailed as text, never as a header
        body = await _graphql(
            live,
            REJECT,
            {"id": "00000000-0000-0000-0000-000000000000", "reason": value},
            admin.token,
        )
        _assert_refused(body, ["reason"], label)
