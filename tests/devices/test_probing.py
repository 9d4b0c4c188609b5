"""Probing for serial numbers is bounded: after a few "taken" answers every registration by that
user (or from that address) is refused for a while, so the refusal itself tells nothing more."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.enums import Role
from runtime import Services
from tests.devices.queries import REGISTER
from tests.devices.support import registration
from tests.factories import create_actor
from tests.support.gql import codes, data, ok, user_errors
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "rate_limit_device_conflict": "2/hour",
        "rate_limit_device_conflict_per_address": "3/hour",
    }


async def test_taken_answers_are_rate_limited(live: LiveServer, services: Services) -> None:
    holder = await create_actor(services, role=Role.ADMIN)
    await ok(live, holder, REGISTER, registration("HELD-0001", "02:00:00:00:01:01"))
    prober = await create_actor(services, role=Role.ADMIN)
    for n in range(2):
        errors = await user_errors(
            live, prober, REGISTER, registration("HELD-0001", f"02:00:00:00:02:0{n}")
        )
        assert codes(errors) == ["SERIAL_NUMBER_TAKEN"]
    # The budget is spent: taken or not, the answer is now the same refusal.
    for serial in ("HELD-0001", "FREE-0001"):
        errors = await user_errors(
            live, prober, REGISTER, registration(serial, "02:00:00:00:03:01")
        )
        assert codes(errors) == ["RATE_LIMITED"], serial
    # Another user from the same address still registers until the address's budget is spent.
    await ok(live, holder, REGISTER, registration("FREE-0002", "02:00:00:00:04:01"))
    errors = await user_errors(
        live, holder, REGISTER, registration("HELD-0001", "02:00:00:00:04:02")
    )
    assert codes(errors) == ["SERIAL_NUMBER_TAKEN"]
    errors = await user_errors(
        live, holder, REGISTER, registration("FREE-0003", "02:00:00:00:04:03")
    )
    assert codes(errors) == ["RATE_LIMITED"]


@pytest.mark.parametrize(
    "settings_overrides",
    storages(
        {"rate_limit_device_conflict": "3/hour", "rate_limit_device_conflict_per_address": "5/hour"}
    ),
)
async def test_a_concurrent_burst_cannot_pass_the_budget(
    live: LiveServer, services: Services
) -> None:
    await fresh_limits(live.settings)
    holder = await create_actor(services, role=Role.ADMIN)
    await ok(live, holder, REGISTER, registration("HELD-0001", "02:00:00:00:01:01"))
    prober = await create_actor(services, role=Role.ADMIN)
    results = await asyncio.gather(
        *(
            data(live, prober, REGISTER, registration("HELD-0001", f"02:00:00:00:05:{n:02x}"))
            for n in range(30)
        )
    )
    answers = [codes(payload) for r in results for payload in r.values()]
    # Each registration reserves its "taken" answer before the serial is looked up.
    assert answers.count(["SERIAL_NUMBER_TAKEN"]) <= 3
    assert answers.count(["RATE_LIMITED"]) >= 27
