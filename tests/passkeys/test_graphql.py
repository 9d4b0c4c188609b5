"""The passkey mutations and ``Viewer.passkeys`` over GraphQL: the registration options (the RP
id and origin from ``PORTAL_PUBLIC_URL``, a discoverable credential with user verification
required, the account's passkeys excluded, a challenge stored once and server-side), and the
refusals that need no browser: an answer that is no credential, another account's passkey, a
name too long, the last passkey while an organization requires one. (Registration and sign-in
with a real authenticator: tests/console/test_passkeys.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, Organization, OutboxMessage, Passkey, PasskeyChallenge
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor
from tests.support.gql import USER_ERRORS, codes, data, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import free_port
from tests.support.webauthn import b64url, give_passkey

START = f"mutation {{ startPasskeyRegistration {{ optionsJson {USER_ERRORS} }} }}"
FINISH = f"""mutation($input: FinishPasskeyRegistrationInput!) {{
  finishPasskeyRegistration(input: $input) {{ passkey {{ id }} {USER_ERRORS} }} }}"""
RENAME = f"""mutation($input: RenamePasskeyInput!) {{
  renamePasskey(input: $input) {{ passkey {{ id name }} {USER_ERRORS} }} }}"""
REMOVE = f"""mutation($input: RemovePasskeyInput!) {{
  removePasskey(input: $input) {{ removedPasskeyId {USER_ERRORS} }} }}"""
LIST = "{ viewer { passkeys { id name lastUsedAt synced } } }"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"public_url": f"http://localhost:{free_port()}"}


async def test_registration_options_for_the_public_url(
    live: LiveServer, member: Actor, services: Services
) -> None:
    await give_passkey(services, member, "Old laptop")
    payload = await payload_for(live, member, START)
    assert payload["userErrors"] == []
    options = json.loads(payload["optionsJson"])
    assert options["rp"] == {"id": "localhost", "name": "Cloud Portal"}
    assert options["user"]["name"] == member.user.email
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["attestation"] == "none"
    assert [c["id"] for c in options["excludeCredentials"]] == [b64url(b"credential of Old laptop")]
    async with services.db.read_session() as session:
        stored = (await session.scalars(select(PasskeyChallenge))).one()
    assert stored.purpose == "register" and stored.user_id == member.user.id
    assert stored.challenge_hash != options["challenge"]  # only its hash is kept

    # What comes back must be a credential.
    payload = await payload_for(live, member, FINISH, {"input": {"credential": "not json"}})
    assert codes(payload) == ["PASSKEY_NOT_CREATED"]
    assert payload["userErrors"][0]["field"] == ["input", "credential"]


async def test_rename_list_and_remove_only_ones_own(
    live: LiveServer, member: Actor, services: Services
) -> None:
    own = await give_passkey(services, member, "Laptop")
    other = await create_actor(services)
    theirs = await give_passkey(services, other, "Theirs")

    renamed = await payload_for(
        live, member, RENAME, {"input": {"id": own, "name": "  Work  laptop "}}
    )
    assert renamed == {"passkey": {"id": own, "name": "Work laptop"}, "userErrors": []}
    too_long = await payload_for(live, member, RENAME, {"input": {"id": own, "name": "x" * 101}})
    assert codes(too_long) == ["PASSKEY_NAME_INVALID"]
    assert codes(
        await payload_for(live, member, RENAME, {"input": {"id": theirs, "name": "Mine"}})
    ) == ["NOT_FOUND"]
    assert codes(await payload_for(live, member, REMOVE, {"input": {"id": theirs}})) == [
        "NOT_FOUND"
    ]

    listed = (await data(live, member, LIST))["viewer"]["passkeys"]
    assert listed == [{"id": own, "name": "Work laptop", "lastUsedAt": None, "synced": False}]

    # While an organization requires passkeys, the last one stays.
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(require_passkey=True)
        )
    kept = await payload_for(live, member, REMOVE, {"input": {"id": own}})
    assert codes(kept) == ["LAST_PASSKEY_REQUIRED"]
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(require_passkey=False)
        )
    removed = await payload_for(live, member, REMOVE, {"input": {"id": own}})
    assert removed == {"removedPasskeyId": own, "userErrors": []}
    assert (await data(live, member, LIST))["viewer"]["passkeys"] == []
    async with services.db.read_session() as session:
        subjects = list(
            await session.scalars(
                select(OutboxMessage.subject).where(OutboxMessage.recipient == member.user.email)
            )
        )
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.actor_user_id == member.user.id)
                .order_by(AuditEvent.occurred_at)
            )
        )
    assert subjects == ["A passkey was removed from your Cloud Portal account"]
    assert actions == ["passkey.renamed", "passkey.removed"]
    async with services.db.read_session() as session:
        left = await session.scalar(select(func.count()).select_from(Passkey))
    assert left == 1  # the other account's


CHANGE_PASSWORD = f"""mutation($input: ChangePasswordInput!) {{
  changePassword(input: $input) {{ changed {USER_ERRORS} }} }}"""


async def test_a_new_password_keeps_the_passkeys_and_says_so(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, with_password=True)
    await give_passkey(services, actor, "Laptop")
    await give_passkey(services, actor, "Phone")
    changed = await payload_for(
        live,
        actor,
        CHANGE_PASSWORD,
        {
            "input": {
                "currentPassword": DEFAULT_PASSWORD,
                "newPassword": "a fresh passphrase nobody guesses 4417",
            }
        },
    )
    assert changed == {"changed": True, "userErrors": []}
    async with services.db.read_session() as session:
        notice = (
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.recipient == actor.user.email,
                    OutboxMessage.template == "password_changed",
                )
            )
        ).one()
        left = await session.scalar(
            select(func.count()).select_from(Passkey).where(Passkey.user_id == actor.user.id)
        )
    assert left == 2
    assert (
        "Your 2 passkeys still sign you in: a new password never removes them." in notice.text_body
    )


def registration_answer(challenge: str, origin: str) -> str:
    """A ``navigator.credentials.create()`` answer signed on ``origin`` (its attestation is never
    read: the origin is checked first)."""
    client_data = json.dumps(
        {"type": "webauthn.create", "challenge": challenge, "origin": origin}
    ).encode()
    raw_id = b"made elsewhere"
    return json.dumps(
        {
            "id": b64url(raw_id),
            "rawId": b64url(raw_id),
            "type": "public-key",
            "response": {"clientDataJSON": b64url(client_data), "attestationObject": "oA"},
            "clientExtensionResults": {},
        }
    )


async def test_a_registration_made_on_another_origin_is_refused_and_its_challenge_spent(
    live: LiveServer, member: Actor, services: Services
) -> None:
    options = json.loads((await payload_for(live, member, START))["optionsJson"])
    answer = registration_answer(options["challenge"], "https://portal.example.net")
    refused = await payload_for(live, member, FINISH, {"input": {"credential": answer}})
    assert codes(refused) == ["PASSKEY_NOT_CREATED"]
    again = await payload_for(live, member, FINISH, {"input": {"credential": answer}})
    assert codes(again) == ["PASSKEY_CEREMONY_EXPIRED"]
    async with services.db.read_session() as session:
        details = list(
            await session.scalars(
                select(AuditEvent.details).where(
                    AuditEvent.action == "passkey.registration_refused"
                )
            )
        )
        kept = await session.scalar(select(func.count()).select_from(Passkey))
    assert details == [{"reason": "wrong_origin"}]
    assert kept == 0
