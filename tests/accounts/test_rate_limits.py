"""Registration, resend and activation are rate limited per account and per client address.
The refusals are visible (RATE_LIMITED) because they depend only on the requests made, never on
whether the email has an account."""

from __future__ import annotations

from typing import Any

import pytest

from runtime import Services
from tests.accounts.journeys import (
    CREATE_CUSTOMER,
    RESEND,
    activate,
    customer_form,
    outbox_mails,
    register,
    unique_email,
)
from tests.factories import create_actor
from tests.support.gql import codes, payload_for
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "rate_limit_registration": "2/hour",
        "rate_limit_registration_per_address": "4/hour",
        "rate_limit_resend": "2/hour",
        "rate_limit_resend_per_address": "100/hour",
        "rate_limit_activation": "3/hour",
        "rate_limit_activation_failures_per_address": "3/hour",
    }


@pytest.mark.parametrize(
    "settings_overrides",
    [{"rate_limit_registration": "2/hour", "rate_limit_registration_per_address": "100/hour"}],
)
async def test_registration_is_limited_per_email_alike_for_known_and_unknown(
    live: LiveServer, services: Services
) -> None:
    known = (await create_actor(services)).user.email
    unknown = unique_email()
    answers: dict[str, list[Any]] = {}
    for email in (known, unknown):
        answers[email] = [
            await payload_for(live, None, CREATE_CUSTOMER, {"input": customer_form(email=email)})
            for _ in range(3)
        ]
    assert answers[known] == answers[unknown]
    assert [codes(a) for a in answers[known]] == [[], [], ["RATE_LIMITED"]]


async def test_registration_is_limited_per_address(live: LiveServer, services: Services) -> None:
    results = [
        await payload_for(live, None, CREATE_CUSTOMER, {"input": customer_form()}) for _ in range(5)
    ]
    assert [r["accepted"] for r in results] == [True] * 4 + [False]
    assert codes(results[-1]) == ["RATE_LIMITED"]


async def test_resend_is_limited_per_email(live: LiveServer, services: Services) -> None:
    email = unique_email()
    results = [await payload_for(live, None, RESEND, {"email": email}) for _ in range(3)]
    assert [codes(r) for r in results] == [[], [], ["RATE_LIMITED"]]


async def test_activation_is_limited_per_account(live: LiveServer, services: Services) -> None:
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    wrong = ("2" if mail.activation_code[0] != "2" else "3") + mail.activation_code[1:]
    for _ in range(3):
        assert codes(await activate(live, mail.activation_token, wrong)) == [
            "INVALID_OR_EXPIRED_CODE"
        ]
    assert codes(await activate(live, mail.activation_token, mail.activation_code)) == [
        "RATE_LIMITED"
    ]


async def test_failed_activations_are_limited_per_address(
    live: LiveServer, services: Services
) -> None:
    for _ in range(3):
        assert codes(await activate(live, "no-such-token", "ABCDEFGH")) == [
            "INVALID_OR_EXPIRED_CODE"
        ]
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    assert codes(await activate(live, mail.activation_token, mail.activation_code)) == [
        "RATE_LIMITED"
    ]
