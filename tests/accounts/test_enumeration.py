"""No enumeration: sign-up, partner join, resend and password reset answer a known email exactly
as an unknown one, with the same statements; only the mailbox learns the difference."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from domain.accounts.forms import InformationForm
from domain.accounts.password_reset import request_password_reset
from domain.accounts.registration import register_customer
from domain.accounts.resend import resend_activation
from domain.context import RequestMeta
from domain.enums import OrganizationStatus, Role, UserStatus
from domain.partners.join import PartnerJoinForm, join_as_step_partner
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
from tests.factories import (
    add_member,
    create_actor,
    create_organization,
    create_step_code,
    create_user,
)
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


# --- password reset: the same statements on every path ------------------------------------------

_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", re.IGNORECASE)


def _shape(statement: str) -> str:
    """The kind of a statement and its first table: what it costs, not its literal text
    (savepoint names and expanded IN lists differ between runs)."""
    verb = statement.split(None, 1)[0].upper()
    table = _TABLE.search(statement)
    return f"{verb} {table.group(1)}" if table and verb != "ROLLBACK" else verb


async def _statements(services: Services, call: Callable[[], Awaitable[None]]) -> Counter[str]:
    statements: list[str] = []

    def before_cursor_execute(
        _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        statements.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        await call()
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
    return Counter(_shape(statement) for statement in statements)


_META = RequestMeta(client_address="192.0.2.7")


async def _reset_statements(services: Services, email: str) -> Counter[str]:
    return await _statements(services, lambda: request_password_reset(services, _META, email))


@pytest.mark.parametrize("settings_overrides", [{}])  # the guard's real limit: 1 a minute
async def test_password_reset_sends_the_same_statements_on_every_path(services: Services) -> None:
    """The outside test told a known address the guard held back (a few ms) from an unknown one
    (a rehearsal, twice as long) by timing alone. Timing is flaky on a loaded machine; the work
    is not: every path must send the same statements to the same tables."""
    active = (await create_actor(services, with_password=True)).user.email
    async with services.db.unit_of_work() as session:
        pending = (await create_user(session, status=UserStatus.PENDING, password=None)).email
        disabled = (await create_user(session, services, status=UserStatus.DISABLED)).email
    await services.secrets.account_code_key()  # a cold cache's first fetch is nobody's path

    paths = {
        "unknown": await _reset_statements(services, unique_email()),
        "disabled": await _reset_statements(services, disabled),
        "active, mailed": await _reset_statements(services, active),
        "active, held back by the guard": await _reset_statements(services, active),
        "pending, mailed": await _reset_statements(services, pending),
        "pending, held back by the guard": await _reset_statements(services, pending),
    }
    expected = paths["unknown"]
    assert expected["INSERT account_token"] == 1 and expected["INSERT outbox_message"] == 1
    for path, shape in paths.items():
        assert shape == expected, path


# --- resend, sign-up, partner join: the same statements on every path ----------------------------


async def _known_addresses(services: Services) -> dict[str, str]:
    """An active, a pending and a disabled account; the secrets cache warmed. The pending one
    signed up (Super Admin of its pending organization): an account that only invitations made
    is nobody's yet, and a sign-up claims it (tests/members/test_invitation_offers.py)."""
    active = (await create_actor(services, with_password=True)).user.email
    async with services.db.unit_of_work() as session:
        pending_user = await create_user(session, status=UserStatus.PENDING, password=None)
        organization = await create_organization(session, status=OrganizationStatus.PENDING)
        await add_member(session, pending_user, organization, Role.SUPER_ADMIN)
        pending = pending_user.email
        disabled = (await create_user(session, services, status=UserStatus.DISABLED)).email
    await services.secrets.account_code_key()  # a cold cache's first fetch is nobody's path
    return {"active": active, "pending": pending, "disabled": disabled}


@pytest.mark.parametrize("settings_overrides", [{}])  # the guard's real limit: 1 a minute
async def test_resend_sends_the_same_statements_on_every_path(services: Services) -> None:
    """The same finding as password reset's: a held-back resend did no issuing work."""
    known = await _known_addresses(services)

    async def resend(email: str) -> Counter[str]:
        return await _statements(services, lambda: resend_activation(services, _META, email))

    paths = {
        "unknown": await resend(unique_email()),
        "disabled": await resend(known["disabled"]),
        "active, mailed": await resend(known["active"]),
        "active, held back by the guard": await resend(known["active"]),
        "pending, mailed": await resend(known["pending"]),
        "pending, held back by the guard": await resend(known["pending"]),
    }
    expected = paths["unknown"]
    assert expected["INSERT account_token"] == 1 and expected["INSERT outbox_message"] == 1
    for path, shape in paths.items():
        assert shape == expected, path


def _form(email: str) -> InformationForm:
    return InformationForm(
        organization_name=f"Acme {email}",
        country="DE",
        address="Hauptstraße 1, 10115 Berlin",
        phone="+49 30 1234567",
        first_name="Ada",
        last_name="Lovelace",
        email=email,
        accept_terms_of_service=True,
        accept_privacy_policy=True,
    )


@pytest.mark.parametrize("settings_overrides", [{}])
async def test_sign_up_sends_the_same_statements_for_every_email(services: Services) -> None:
    known = await _known_addresses(services)

    async def sign_up(email: str) -> Counter[str]:
        return await _statements(services, lambda: register_customer(services, _META, _form(email)))

    paths = {
        "new": await sign_up(unique_email()),
        "disabled": await sign_up(known["disabled"]),
        "active, mailed": await sign_up(known["active"]),
        "active, held back by the guard": await sign_up(known["active"]),
        "pending, mailed": await sign_up(known["pending"]),
        "pending, held back by the guard": await sign_up(known["pending"]),
    }
    expected = paths["new"]
    assert expected["INSERT organization"] == 1 and expected["INSERT outbox_message"] == 1
    for path, shape in paths.items():
        assert shape == expected, path


@pytest.mark.parametrize("settings_overrides", [{}])
async def test_partner_join_sends_the_same_statements_for_every_email(services: Services) -> None:
    known = await _known_addresses(services)
    codes = [await create_step_code(services) for _ in range(2)]
    new = unique_email()

    async def join(email: str, code: str = codes[0]) -> Counter[str]:
        form = PartnerJoinForm(step_partner_code=code, form=_form(email))
        return await _statements(services, lambda: join_as_step_partner(services, _META, form))

    paths = {
        "new": await join(new),
        # A second request from the address within the minute: its mail is held back.
        "new, held back by the guard": await join(new, codes[1]),
        "disabled": await join(known["disabled"]),
        "active, mailed": await join(known["active"]),
        "active, held back by the guard": await join(known["active"]),
        "pending, mailed": await join(known["pending"]),
        "pending, held back by the guard": await join(known["pending"]),
    }
    expected = paths["new"]
    assert expected["INSERT partner_request"] == 1 and expected["INSERT outbox_message"] == 1
    for path, shape in paths.items():
        assert shape == expected, path
