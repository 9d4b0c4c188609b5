"""kit/tls.py: one verifying context per process, as strict as httpx's own default."""

from __future__ import annotations

import ssl

import httpx

from kit.tls import client_context


def test_one_context_verifies_as_httpx_does() -> None:
    context = client_context()
    assert client_context() is context
    assert client_context(trust_env=False) is client_context(trust_env=False)
    for trust_env in (True, False):
        ours, default = (
            client_context(trust_env=trust_env),
            httpx.create_ssl_context(trust_env=trust_env),
        )
        assert ours.verify_mode is ssl.CERT_REQUIRED is default.verify_mode
        assert ours.check_hostname and default.check_hostname
        assert ours.minimum_version == default.minimum_version
        assert len(ours.get_ca_certs()) == len(default.get_ca_certs()) > 0
