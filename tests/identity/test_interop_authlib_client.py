"""The same flow with Authlib's own client (httpx), validating the ID token against the JWKS."""

from __future__ import annotations

import base64
import hashlib

from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.identity.oidc import Browser, callback_params, register_client
from tests.support.server import LiveServer


def at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


async def test_authlib_client_code_flow_with_pkce(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.USER, with_password=True)
    registered = await register_client(services)
    metadata = (await live.client.get("/.well-known/openid-configuration")).json()
    oauth = AsyncOAuth2Client(
        client_id=registered.client_id,
        client_secret=registered.client_secret,
        scope="openid profile email offline_access",
        redirect_uri=registered.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    async with oauth:
        verifier = generate_token(64)
        url, state = oauth.create_authorization_url(
            metadata["authorization_endpoint"], nonce="n-0S6_WzA2Mj", code_verifier=verifier
        )
        async with Browser(live.url) as browser:
            page = await browser.navigate("GET", url)
            answer = await browser.login(page, actor.user.email)
        params = callback_params(answer, registered.redirect_uri)
        assert params["state"] == state and params["iss"] == metadata["issuer"]
        token = await oauth.fetch_token(
            metadata["token_endpoint"],
            authorization_response=answer.headers["location"],
            code_verifier=verifier,
        )

        keys = KeySet.import_key_set((await live.client.get(metadata["jwks_uri"])).json())
        id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
        assert id_token.header["kid"] in {k.kid for k in keys.keys}
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": registered.client_id},
            sub={"essential": True, "value": str(actor.user.id)},
            nonce={"essential": True, "value": "n-0S6_WzA2Mj"},
            auth_time={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(id_token.claims)
        assert id_token.claims["at_hash"] == at_hash(token["access_token"])

        info = await oauth.get(metadata["userinfo_endpoint"])
        assert info.json()["email"] == actor.user.email

        viewer = await live.graphql(
            "{ viewer { user { email } role } }", token=token["access_token"]
        )
        assert viewer["data"]["viewer"] == {"user": {"email": actor.user.email}, "role": "USER"}

        refreshed = await oauth.refresh_token(
            metadata["token_endpoint"], refresh_token=token["refresh_token"]
        )
        assert refreshed["refresh_token"] != token["refresh_token"]
        revoked = await oauth.revoke_token(
            metadata["revocation_endpoint"], token=refreshed["access_token"]
        )
        assert revoked.status_code == 200
        after = await live.graphql("{ viewer { role } }", token=refreshed["access_token"])
        assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
