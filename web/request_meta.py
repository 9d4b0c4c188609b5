"""Where a request came from, believing X-Forwarded-For only from configured proxies."""

from __future__ import annotations

from starlette.requests import Request

from domain.context import RequestMeta

MAX_USER_AGENT = 500


def client_address(request: Request, trusted_proxies: list[str]) -> str | None:
    peer = request.client.host if request.client else None
    if peer is not None and peer in trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        # Walk from the right past our own proxies: the first untrusted hop is the client.
        for hop in reversed(hops):
            if hop not in trusted_proxies:
                return hop[:64]
    return peer


def request_meta(request: Request, trusted_proxies: list[str]) -> RequestMeta:
    agent = request.headers.get("user-agent")
    return RequestMeta(
        client_address=client_address(request, trusted_proxies),
        user_agent=agent[:MAX_USER_AGENT] if agent else None,
        request_id=getattr(request.state, "request_id", None),
    )
