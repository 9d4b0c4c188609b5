"""The TXT records of a name, asked of PORTAL_DNS_RESOLVER or of the system's resolver.

Bounded by a lifetime (SECURITY.md: every wait on another system is bounded). A name that does
not exist, or has no TXT record, answers an empty list; a server that does not answer (a timeout,
SERVFAIL, no resolver at all) raises ``DnsUnavailable``, so that the person is told to retry
rather than that the record is wrong.
"""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

from settings import parse_host_port


class DnsUnavailable(Exception):
    """No DNS server answered."""


def _resolver(server: str | None, timeout: float) -> dns.asyncresolver.Resolver:
    try:
        resolver = dns.asyncresolver.Resolver(configure=server is None)
    except dns.resolver.NoResolverConfiguration as exc:
        raise DnsUnavailable("no system resolver") from exc
    if server is not None:
        host, port = parse_host_port(server)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port)]
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


async def txt_records(name: str, *, server: str | None, lifetime: float) -> list[str]:
    """Every TXT record of ``name``, each one's strings joined (RFC 7208 §3.3)."""
    resolver = _resolver(server, lifetime)
    try:
        answer = await resolver.resolve(name, "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.resolver.NoNameservers, dns.exception.Timeout) as exc:
        raise DnsUnavailable(str(exc)) from exc
    except dns.exception.DNSException as exc:
        raise DnsUnavailable(str(exc)) from exc
    records = []
    for rdata in answer:
        strings = getattr(rdata, "strings", ())
        records.append(b"".join(strings).decode("utf-8", errors="replace"))
    return records
