"""The TLS context our HTTP clients verify servers with, built once per process.

httpx builds a fresh ``SSLContext`` for every client it creates, loading certifi's CA bundle into
it: ~25 ms of CPU, paid per SSO discovery, per token exchange with an organization's provider and
per webhook worker. One context serves every client (``SSLContext`` is safe to share), with
exactly what httpx would have used (``httpx.create_ssl_context``).
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def client_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """httpx's default for ``verify=True`` (``trust_env``: honour SSL_CERT_FILE/SSL_CERT_DIR)."""
    return httpx.create_ssl_context(trust_env=trust_env)
