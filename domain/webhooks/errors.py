"""The userErrors of webhooks (stable codes; messages safe to show)."""

from __future__ import annotations

from domain.errors import UserError

URL_FIELD = ("input", "url")
EVENTS_FIELD = ("input", "events")
ID_FIELD = ("input", "id")

# Also raised with the codes of addresses.RefusedAddress: INVALID_URL, INSECURE_URL,
# PRIVATE_ADDRESS.
UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE"
NO_EVENT_TYPES = "NO_EVENT_TYPES"
TOO_MANY_ENDPOINTS = "TOO_MANY_ENDPOINTS"
ENDPOINT_DISABLED = "ENDPOINT_DISABLED"
DESCRIPTION_TOO_LONG = "DESCRIPTION_TOO_LONG"


def too_many_endpoints(limit: int) -> UserError:
    return UserError(
        TOO_MANY_ENDPOINTS,
        f"An organization can have at most {limit} webhook endpoints. Delete one first.",
        ("input", "organizationId"),
    )


def endpoint_disabled() -> UserError:
    return UserError(
        ENDPOINT_DISABLED,
        "The endpoint is disabled. Enable it first; then replay its deliveries.",
        ("input", "id"),
    )
