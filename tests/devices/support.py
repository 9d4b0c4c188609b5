"""Registering devices over GraphQL, for the device tests and the tests of what devices touch."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.devices.queries import REGISTER
from tests.factories import Actor
from tests.support.gql import ok
from tests.support.server import LiveServer


def registration(serial: str, mac: str, **more: Any) -> dict[str, Any]:
    return {
        "input": {
            "kind": "CAMERA",
            "serialNumber": serial,
            "macAddress": mac,
            "model": "M1",
            **more,
        }
    }


async def register(live: LiveServer, actor: Actor, serial: str, **more: Any) -> dict[str, Any]:
    # A locally administered unicast address derived from the serial number.
    digest = hashlib.sha256(serial.encode()).digest()
    mac = "02:" + ":".join(f"{b:02x}" for b in digest[:5])
    payload = await ok(
        live,
        actor,
        REGISTER,
        {
            "input": {
                "kind": "CAMERA",
                "serialNumber": serial,
                "macAddress": more.pop("macAddress", mac),
                "model": "XNV-8080R",
                **more,
            }
        },
    )
    device: dict[str, Any] = payload["device"]
    return device
