"""WebAuthn in tests: Chromium's virtual authenticator (CDP), and assertions forged in Python
with a virtual credential's private key (which CDP hands out) — for the refusals a real browser
will not produce (another origin, a replayed or a cloned answer)."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from playwright.async_api import CDPSession, Page

from db.models import Passkey
from runtime import Services
from tests.factories import Actor

# The flags of an assertion: user present (0x01) and user verified (0x04).
UP_UV = 0x05


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class VirtualAuthenticator:
    cdp: CDPSession
    id: str

    async def credentials(self) -> list[dict[str, Any]]:
        answer = await self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})
        credentials: list[dict[str, Any]] = answer["credentials"]
        return credentials

    async def only_credential(self) -> dict[str, Any]:
        found = await self.credentials()
        assert len(found) == 1, found
        return found[0]

    async def add(self, credential: dict[str, Any]) -> None:
        await self.cdp.send(
            "WebAuthn.addCredential", {"authenticatorId": self.id, "credential": credential}
        )

    async def remove(self, credential_id: str) -> None:
        await self.cdp.send(
            "WebAuthn.removeCredential",
            {"authenticatorId": self.id, "credentialId": credential_id},
        )


async def virtual_authenticator(page: Page, **options: Any) -> VirtualAuthenticator:
    """A platform authenticator (CTAP2, internal) with resident keys and user verification, that
    answers without a prompt."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable", {"enableUI": False})
    added = await cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
                **options,
            }
        },
    )
    return VirtualAuthenticator(cdp, added["authenticatorId"])


def forge_assertion(
    credential: dict[str, Any],
    *,
    challenge: str,
    origin: str,
    rp_id: str,
    sign_count: int,
    flags: int = UP_UV,
) -> str:
    """A ``navigator.credentials.get()`` answer, as JSON, signed with ``credential``'s private
    key (a CDP credential: base64 ``credentialId``, ``privateKey`` PKCS#8, ``userHandle``)."""
    client_data = json.dumps(
        {"type": "webauthn.get", "challenge": challenge, "origin": origin, "crossOrigin": False},
        separators=(",", ":"),
    ).encode()
    auth_data = (
        hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count)
    )
    key = serialization.load_der_private_key(base64.b64decode(credential["privateKey"]), None)
    signed = auth_data + hashlib.sha256(client_data).digest()
    # Chromium's virtual authenticator picks the first algorithm the options list (EdDSA first in
    # py_webauthn's default list), else ES256.
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(signed)
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey), type(key)
        signature = key.sign(signed, ec.ECDSA(hashes.SHA256()))
    raw_id = base64.b64decode(credential["credentialId"])
    response: dict[str, Any] = {
        "clientDataJSON": b64url(client_data),
        "authenticatorData": b64url(auth_data),
        "signature": b64url(signature),
    }
    if credential.get("userHandle"):
        response["userHandle"] = b64url(base64.b64decode(credential["userHandle"]))
    return json.dumps(
        {
            "id": b64url(raw_id),
            "rawId": b64url(raw_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }
    )


async def give_passkey(services: Services, actor: Actor, name: str) -> str:
    """A stored passkey of ``actor`` (no usable key: for listing, renaming and removing)."""
    async with services.db.unit_of_work() as session:
        passkey = Passkey(
            user_id=actor.user.id,
            credential_id=b64url(f"credential of {name}".encode()),
            public_key=b"\x01" * 77,
            sign_count=0,
            name=name,
            transports="internal hybrid",
        )
        session.add(passkey)
        await session.flush()
        return str(passkey.id)
