"""GET /legal/terms and /legal/privacy: the documents the sign-up forms link to.

The version shown is the one the consent records store (``PORTAL_TERMS_OF_SERVICE_VERSION``,
``PORTAL_PRIVACY_POLICY_VERSION``), so what a person read is what their acceptance names.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from identity.provider import identity_of


async def terms_page(request: Request) -> Response:
    provider = identity_of(request)
    return provider.pages.render(
        "legal_terms.html",
        title="Terms of Service",
        version=provider.services.settings.terms_of_service_version,
    )


async def privacy_page(request: Request) -> Response:
    provider = identity_of(request)
    return provider.pages.render(
        "legal_privacy.html",
        title="Privacy Policy and Agreement",
        version=provider.services.settings.privacy_policy_version,
    )
