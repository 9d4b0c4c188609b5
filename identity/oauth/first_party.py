"""The portal's own first-party clients (the web console), registered by the portal itself.

Every process runs ``ensure_first_party_client`` at start. The secret is a server secret
(domain/secrets.py: random on first use, the same in every process), so each process knows it
without configuration and the database still holds only its SHA-256. Registration is an insert
that ignores a conflict, then an update when the public URL (and so the redirect URI) changed:
idempotent, and safe when several processes start together.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.database import Database
from db.models import OAuthClient
from domain.secrets import ServerSecrets
from identity.oauth.clients import SUPPORTED_SCOPES, CreatedClient, validate_redirect_uri
from kit.crypto import sha256_hex
from kit.ids import uuid7


async def ensure_first_party_client(
    db: Database,
    secrets: ServerSecrets,
    *,
    client_id: str,
    name: str,
    redirect_uri: str,
    post_logout_redirect_uri: str,
) -> CreatedClient:
    """A confidential, first-party (no consent screen) client with exactly these URIs."""
    redirect_uris = [validate_redirect_uri(redirect_uri)]
    logout_uris = [validate_redirect_uri(post_logout_redirect_uri)]
    secret = (await secrets.get(f"oauth-client-secret:{client_id}")).hex()
    wanted = {
        "client_secret_hash": sha256_hex(secret),
        "name": name,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": logout_uris,
        "public": False,
        "first_party": True,
        "scope": " ".join(SUPPORTED_SCOPES),
    }
    insert = pg_insert if db.is_postgresql else sqlite_insert
    async with db.unit_of_work() as session:
        await session.execute(
            insert(OAuthClient)
            .values(id=uuid7(), client_id=client_id, **wanted)
            .on_conflict_do_nothing(index_elements=["client_id"])
        )
        row = (
            await session.execute(
                select(
                    OAuthClient.client_secret_hash,
                    OAuthClient.redirect_uris,
                    OAuthClient.post_logout_redirect_uris,
                    OAuthClient.first_party,
                ).where(OAuthClient.client_id == client_id)
            )
        ).one()
        if tuple(row) != (
            wanted["client_secret_hash"],
            redirect_uris,
            logout_uris,
            True,
        ):
            await session.execute(
                update(OAuthClient).where(OAuthClient.client_id == client_id).values(**wanted)
            )
    return CreatedClient(client_id, secret)
