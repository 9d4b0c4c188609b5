"""One HTTP attempt: to the address that was checked, no redirects, bounded in time.

The connection goes to the resolved and checked address (addresses.py), with the URL's host in
``Host`` and, for https, in the TLS server name (so the certificate is still checked against the
name): a second DNS answer never gets a say. A redirect is an answer like any other non-2xx: a
receiver that redirects fails, it does not send us elsewhere. The body we read back is capped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from dataclasses import dataclass

import httpx

from domain.webhooks.addresses import AddressPolicy, RefusedAddress, parse_url, resolve
from kit.tls import client_context

_RESPONSE_READ_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Attempt:
    status: int | None  # the receiver's HTTP status; None when there was no answer
    duration_ms: int
    error: str | None  # None: delivered (2xx)
    # The URL or its addresses are refused (retried: DNS answers and endpoints change).
    refused: bool = False
    # Retrying cannot help (the body is over the limit): DEAD at once.
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def _host_for_url(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    return f"[{address}]" if address.version == 6 else str(address)


class Transport:
    """An httpx client for one worker loop (its connection pool is keyed by checked address)."""

    def __init__(self, policy: AddressPolicy, *, timeout: float) -> None:
        self._policy = policy
        self._timeout = timeout
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: it would see (and reach) anything
            verify=client_context(trust_env=False),
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def post(self, url: str, headers: dict[str, str], body: bytes) -> Attempt:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            async with asyncio.timeout(self._timeout):
                target = parse_url(url, self._policy)
                address = await resolve(target, self._policy)
                default_port = 443 if target.scheme == "https" else 80
                host_header = target.host if ":" not in target.host else f"[{target.host}]"
                if target.port != default_port:
                    host_header = f"{host_header}:{target.port}"
                pinned = f"{target.scheme}://{_host_for_url(address)}:{target.port}{target.path}"
                extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
                request = self._client.build_request(
                    "POST",
                    pinned,
                    content=body,
                    headers={**headers, "Host": host_header},
                    extensions=extensions,
                )
                response = await self._client.send(request, stream=True)
                try:
                    read = 0
                    async for chunk in response.aiter_raw():
                        read += len(chunk)
                        if read >= _RESPONSE_READ_LIMIT:
                            break
                finally:
                    await response.aclose()
        except RefusedAddress as exc:
            return Attempt(None, elapsed(), f"refused: {exc}", refused=True)
        except TimeoutError:
            return Attempt(None, elapsed(), f"no answer within {self._timeout:g} s")
        except httpx.TimeoutException:
            return Attempt(None, elapsed(), f"no answer within {self._timeout:g} s")
        except httpx.HTTPError as exc:
            return Attempt(None, elapsed(), f"{type(exc).__name__}: {exc}"[:300])
        status = response.status_code
        if 200 <= status < 300:
            return Attempt(status, elapsed(), None)
        if 300 <= status < 400:
            return Attempt(status, elapsed(), f"HTTP {status}: redirects are not followed")
        return Attempt(status, elapsed(), f"HTTP {status}")
