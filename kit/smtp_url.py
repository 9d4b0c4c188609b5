"""``PORTAL_SMTP_URL``: how the portal reaches its mail relay, parsed once and validated at start.

    smtp://[user:pass@]host[:port][?starttls=true][&ca_file=/path/ca.pem]
    smtps://[user:pass@]host[:port][?ca_file=/path/ca.pem]

* ``smtp://`` is plain SMTP (default port 25) unless ``starttls=true`` (default port 587), which
  *requires* the upgrade: a relay that does not offer STARTTLS is an error, never a silent
  downgrade. Plain means plain: we never upgrade opportunistically, because a relay with a
  certificate we cannot verify would then fail where the operator asked for no TLS at all.
* ``smtps://`` is implicit TLS from the first byte (default port 465).
* ``user`` and ``password`` are percent-decoded (``%40`` for ``@``, ``%3A`` for ``:``).
* ``ca_file`` trusts exactly that CA bundle (PEM) instead of the system's, for private relays and
  tests with a self-signed CA. Certificates are always verified, host names included.

Only the standard library is imported here so that ``settings`` can validate the URL at start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_KNOWN_PARAMETERS = {"starttls", "ca_file"}


@dataclass(frozen=True, slots=True)
class SmtpUrl:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str | None = None
    # Kept out of repr() so that the URL never prints its secret (logs, tracebacks).
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None

    @property
    def uses_tls(self) -> bool:
        return self.implicit_tls or self.starttls

    def describe(self) -> str:
        """A loggable description (no credentials)."""
        mode = "implicit TLS" if self.implicit_tls else "STARTTLS" if self.starttls else "plain"
        auth = ", AUTH" if self.username else ""
        return f"{self.host}:{self.port} ({mode}{auth})"


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"PORTAL_SMTP_URL parameter {name}={value!r} must be true or false")


def parse_smtp_url(url: str) -> SmtpUrl:
    """Parse and validate; ``ValueError`` says what is wrong and how to write it."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError(
            "PORTAL_SMTP_URL must look like smtp://[user:pass@]host:port[?starttls=true] "
            "or smtps://[user:pass@]host:port"
        )
    if parts.path not in {"", "/"} or parts.fragment:
        raise ValueError("PORTAL_SMTP_URL must not have a path or a fragment")
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False):
        if name not in _KNOWN_PARAMETERS:
            raise ValueError(
                f"PORTAL_SMTP_URL has an unknown parameter {name!r} "
                f"(known: {', '.join(sorted(_KNOWN_PARAMETERS))})"
            )
        parameters[name] = value
    implicit_tls = parts.scheme == "smtps"
    starttls = _flag("starttls", parameters["starttls"]) if "starttls" in parameters else False
    if implicit_tls and starttls:
        raise ValueError("PORTAL_SMTP_URL: smtps:// is already TLS; drop starttls=true")
    ca_file = parameters.get("ca_file") or None
    if ca_file is not None and not os.path.isfile(ca_file):
        raise ValueError(f"PORTAL_SMTP_URL: ca_file {ca_file!r} is not a readable file")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"PORTAL_SMTP_URL has an invalid port: {exc}") from None
    if port is None:
        port = 465 if implicit_tls else 587 if starttls else 25
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise ValueError("PORTAL_SMTP_URL has a password but no user name")
    return SmtpUrl(
        host=parts.hostname,
        port=port,
        implicit_tls=implicit_tls,
        starttls=starttls,
        username=username,
        password=password,
        ca_file=ca_file,
    )
