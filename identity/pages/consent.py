"""GET/POST /consent: a third-party client asks for the user's permission (remembered per user,
client and scope)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import AccessDeniedError
from starlette.requests import Request
from starlette.responses import Response

from domain.authz.api_scopes import ApiScope
from identity import repository
from identity.oauth.authorize import error_page, is_authorize_return
from identity.oauth.models import EndUser
from identity.oauth.requests import PortalRequest
from identity.pages.forms import Submission, read_submission, see_other
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession

# Every scope a client can be registered for, in plain words (a test checks none is missing):
# the page lists exactly the scopes the token will carry.
SCOPE_DESCRIPTIONS = {
    "openid": "Know who you are (your account identifier)",
    "profile": "See your name",
    "email": "See your email address",
    "offline_access": "Keep this access when you are not using it, without asking you again",
    ApiScope.ORGANIZATIONS_READ: "See your account, your organizations and your role in each",
    ApiScope.ORGANIZATIONS_WRITE: (
        "Change your organizations' settings, leave or delete them, and hand over the "
        "Super Admin role"
    ),
    ApiScope.DEVICES_READ: "See your locations, areas and devices",
    ApiScope.DEVICES_WRITE: "Add, change and remove locations, areas and devices",
    ApiScope.LICENSES_READ: "See your licenses",
    ApiScope.LICENSES_WRITE: "Redeem license keys and attach licenses to devices or detach them",
    ApiScope.MEMBERS_READ: "See the members of your organizations and their invitations",
    ApiScope.MEMBERS_WRITE: "Invite members, change their roles and remove them",
    ApiScope.PARTNERS_READ: (
        "See your support partner, partner invitations, and the customers you support"
    ),
    ApiScope.PARTNERS_WRITE: (
        "Invite or end partner access, create managed customers and assign technicians"
    ),
    ApiScope.AUDIT_READ: "See the audit log",
    ApiScope.ACCOUNT_SECURITY: "Change your two-factor login",
    ApiScope.PLATFORM_ADMIN: "Run the platform as an internal administrator",
}


async def _validated(
    provider: IdentityProvider, request: Request, session: BrowserSession, return_to: str
) -> tuple[PortalRequest, object] | Response:
    """Re-validate the pending authorization request (it came through the browser)."""
    query = parse_qsl(urlsplit(return_to).query, keep_blank_values=True)
    oauth_request = PortalRequest(
        "GET", provider.services.settings.issuer + return_to, request.headers, query, []
    )
    await provider.clients.get(oauth_request.first("client_id"))
    assert session.user_id is not None and session.authenticated_at is not None
    user = EndUser(session.user_id, session.authenticated_at, session.amr, session.id)
    try:
        grant = provider.server.get_consent_grant(oauth_request, user)
    except OAuth2Error as error:
        if error.redirect_uri:
            return provider.server.error_redirect(error)
        return error_page(provider, error)
    return oauth_request, grant


async def consent_page(request: Request) -> Response:
    provider = identity_of(request)
    return_to = request.query_params.get("return_to")
    session = await provider.sessions.load(request)
    if not is_authorize_return(return_to) or session is None or not session.authenticated:
        return see_other("login")
    assert return_to is not None and session.user_id is not None
    validated = await _validated(provider, request, session, return_to)
    if isinstance(validated, Response):
        return validated
    oauth_request, _grant = validated
    client = oauth_request.client
    async with provider.services.db.read_session() as db:
        email = await repository.user_email(db, session.user_id)
    return provider.pages.render(
        "consent.html",
        title="Allow access",
        client_name=client.name,
        email=email or "",
        scope_descriptions=[
            SCOPE_DESCRIPTIONS[s]
            for s in (oauth_request.scope or "").split()
            if s in SCOPE_DESCRIPTIONS
        ],
        csrf_token=session.csrf_token,
        return_to=return_to,
    )


async def consent_submit(request: Request) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    session = submitted.session
    return_to = submitted.fields.get("return_to")
    if not is_authorize_return(return_to) or not session.authenticated:
        return see_other("login")
    assert return_to is not None and session.user_id is not None
    validated = await _validated(provider, request, session, return_to)
    if isinstance(validated, Response):
        return validated
    oauth_request, grant = validated
    if submitted.fields.get("decision") != "allow":
        denied = AccessDeniedError(
            redirect_uri=grant.redirect_uri,  # type: ignore[attr-defined]
            state=oauth_request.payload.state,
        )
        return provider.server.error_redirect(denied)
    async with provider.services.db.unit_of_work() as db:
        await repository.save_consent(
            db, session.user_id, oauth_request.client.client_id, oauth_request.scope or ""
        )
    return see_other(return_to)
