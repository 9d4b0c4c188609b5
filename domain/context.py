"""What a service needs to know about the request that is not a business input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where a request came from: recorded with consents and audit events, keys rate limits."""

    client_address: str | None = None
    user_agent: str | None = None
    request_id: str | None = None

    @classmethod
    def system(cls, reason: str = "system") -> RequestMeta:
        return cls(client_address=None, user_agent=reason, request_id=None)
