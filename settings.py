"""The one configuration object of Cloud Portal.

Every knob is an environment variable prefixed with ``PORTAL_``; the contract's variables
(PRODUCT.md §3) keep their names and defaults. ``Settings()`` validates at start and fails loudly
with a message that says how to fix the value — a typo must not silently serve on a default.
"""

from __future__ import annotations

import ipaddress
import os
from email.utils import parseaddr
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kit.smtp_url import SmtpUrl, parse_smtp_url


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, e.g. under ``taskset``)."""
    return len(os.sched_getaffinity(0))


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_host_port(value: str, default_port: int = 53) -> tuple[str, int]:
    """``host:port``, ``[v6]:port``, ``host`` or a bare IPv6 address → (host, port)."""
    value = value.strip()
    host, port = value, default_port
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{value!r} is not host:port")
            port = _port(rest[1:], value)
    elif value.count(":") == 1:
        host, raw = value.split(":")
        port = _port(raw, value)
    if not host:
        raise ValueError(f"{value!r} names no host")
    return host, port


def _port(raw: str, value: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"{value!r}: the port must be a number from 1 to 65535")
    return int(raw)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore", frozen=True)

    # --- the contract (PRODUCT.md §3) -------------------------------------------------------
    database_url: str = "sqlite+aiosqlite:///./var/portal.db"
    public_url: str = "http://127.0.0.1:8000"
    smtp_url: SecretStr | None = None
    mail_from: str = "Cloud Portal <no-reply@localhost>"
    redis_url: SecretStr | None = None
    env: Environment = Environment.DEVELOPMENT
    # Prefix of every key the portal writes to Redis: several deployments (or test runs) may share
    # one Redis server without counting each other's attempts.
    redis_key_prefix: str = Field(default="portal", min_length=1, max_length=64)

    # --- storage ------------------------------------------------------------------------------
    mail_dir: str = "var/mail"
    # Connections each process keeps (it may open as many again under bursts). Unset: 10 on
    # PostgreSQL, 2 on SQLite, where more cost memory and buy nothing (db/database.py says why).
    db_pool_size: int | None = Field(default=None, ge=1, le=200)
    db_echo: bool = False
    # Every wait on the database is bounded (SECURITY.md): a server that accepts connections but
    # never answers (a partition, a failover, a full disk) costs a request these, then a 503.
    # Opening a connection (TCP and the PostgreSQL handshake):
    db_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=120)
    # Waiting for a pooled connection when all are busy:
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # PostgreSQL cancels a statement running longer than this (statement_timeout) …
    db_statement_timeout_seconds: float = Field(default=15.0, gt=0, le=3600)
    # … and the client gives up on a server that has not answered for this long (asyncpg's
    # command_timeout; it also bounds a silent server, which cannot cancel anything).
    db_command_timeout_seconds: float = Field(default=20.0, gt=0, le=3600)
    # Redis (rate limits): connecting, and each command.
    redis_connect_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    redis_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    # /readyz answers 503 when the database (and Redis, when configured) has not answered within
    # this: a load balancer's health check must get an answer, not a hang.
    readiness_timeout_seconds: float = Field(default=1.5, gt=0, le=30)

    # --- HTTP ---------------------------------------------------------------------------------
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto we believe (comma separated IPs).
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    # Unset: JSON lines in production (for a log collector), text in development (for people).
    log_format: LogFormat | None = None
    # On SIGTERM/SIGINT a process first drains: /readyz answers 503 "draining" while everything
    # else is still served, so the load balancer takes the process out of rotation before it stops
    # accepting connections. Unset: 5 s in production, 0 in development (Ctrl-C stops at once).
    shutdown_drain_seconds: float | None = Field(default=None, ge=0, le=300)
    # Then it stops accepting and lets the requests in flight finish for at most this long.
    shutdown_grace_seconds: int = Field(default=20, ge=0, le=600)
    # A client must send a request's headers within this (slowloris), and a kept-alive
    # connection that sends nothing for this long is closed.
    http_header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    http_keep_alive_seconds: float = Field(default=5.0, gt=0, le=300)

    # --- accounts -------------------------------------------------------------------------------
    activation_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    activation_max_attempts: int = Field(default=5, ge=1)
    # Failed activation tries on one account across resends before activation by code pauses.
    activation_account_max_failures: int = Field(default=20, ge=1)
    password_reset_ttl_seconds: int = Field(default=3600, ge=60)
    invitation_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    password_min_length: int = Field(default=15, ge=8)
    password_max_length: int = Field(default=256, ge=64)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_memory_kib: int = Field(default=19 * 1024, ge=8 * 1024)
    argon2_parallelism: int = Field(default=1, ge=1)
    # How many Argon2 computations may run at once in this process: each holds ~19 MiB. By default
    # 2, or 1 on a process pinned to one core: two hashes time-sliced on one core evict each other's
    # 19 MiB from the caches (measured: 48 ms of CPU per login against 35 ms with one at a time).
    hash_concurrency: int = Field(default_factory=lambda: min(2, _usable_cpus()), ge=1, le=64)
    max_customer_organizations_per_user: int = Field(default=50, ge=1)
    # Versions of the legal documents a sign-up accepts; recorded with every consent.
    terms_of_service_version: str = Field(default="2026-01", min_length=1, max_length=40)
    privacy_policy_version: str = Field(default="2026-01", min_length=1, max_length=40)
    # zxcvbn's estimate (log10 of guesses) a password must reach: 8 is its "score 3",
    # "safely unguessable" for an online attack and costly offline against Argon2id.
    password_min_guesses_log10: float = Field(default=8.0, ge=0, le=20)

    # --- mail -----------------------------------------------------------------------------------
    # PORTAL_SMTP_URL also takes `?ca_file=/path/ca.pem`: trust exactly that CA bundle (a private
    # relay, the tests' self-signed CA) instead of the system's. See mail/smtp_url.py.
    # Outbox worker loops in each server process (0: this process sends no mail).
    outbox_workers: int = Field(default=1, ge=0, le=32)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    # How long a claimed message stays with its worker; a crashed worker's rows come back after it.
    outbox_lease_seconds: int = Field(default=60, ge=2)
    # Tries per message (failures the relay blames on the message) before it goes DEAD.
    outbox_max_attempts: int = Field(default=10, ge=1)
    outbox_batch_size: int = Field(default=20, ge=1, le=500)
    # Retry n waits a random time in [d/2, d], d = min(max, base * 2**(n-1)): 5 s … 30 min.
    outbox_retry_base_seconds: float = Field(default=5.0, gt=0)
    outbox_retry_max_seconds: float = Field(default=1800.0, gt=0)
    # While the relay is unreachable (an outage, not the message's fault) a worker loop pauses
    # with backoff up to this long; no message is charged an attempt.
    outbox_outage_max_pause_seconds: float = Field(default=15.0, gt=0)
    # Wipe the bodies of sent mail: they hold activation codes and reset links in clear text,
    # which must not outlive their delivery (SECURITY.md: codes are kept only as hashes).
    outbox_scrub_sent: bool = True
    # Sent and dead messages are deleted this long after creation (the mail-bombing guard needs 1).
    outbox_retention_days: int = Field(default=30, ge=1)
    # Per SMTP command; a whole delivery is bounded by twice this.
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    # A message whose end of DATA went out but whose reply never came (a timeout, a dropped
    # connection) may have been delivered: it is tried again only after this long, once the
    # relay has had time to deliver it or to forget it (docs/PRODUCTION.md, "Mail").
    outbox_unknown_retry_seconds: float = Field(default=1800.0, gt=0, le=24 * 3600)
    mail_per_recipient_per_minute: int = Field(default=1, ge=1)
    mail_per_recipient_per_day: int = Field(default=5, ge=1)

    # --- webhooks (domain/webhooks/, docs/WEBHOOKS.md) ----------------------------------------
    # Delivery loops in each server process (0: this process delivers no webhooks).
    webhook_workers: int = Field(default=1, ge=0, le=32)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1, le=500)
    # A claimed delivery stays with its worker this long; must outlive one attempt (the timeout).
    webhook_lease_seconds: int = Field(default=30, ge=2)
    # The whole request (connect, send, wait, read the answer), per attempt.
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_max_payload_bytes: int = Field(default=256 * 1024, ge=1024)
    # Retry n waits a random time in [d/2, d], d = min(max, base * 2**(n-1)): 5 s … 8 h …
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=8 * 3600.0, gt=0)
    # … until the event is this old: then the delivery is DEAD (about 3 days of tries).
    webhook_give_up_seconds: int = Field(default=3 * 24 * 3600, ge=1)
    # An endpoint whose deliveries have failed without a single success for this long is
    # disabled and its organization's admins are mailed.
    webhook_disable_after_seconds: int = Field(default=3 * 24 * 3600, ge=1)
    # After a rotation the previous secret keeps signing, next to the new one, for this long.
    webhook_rotation_overlap_seconds: int = Field(default=24 * 3600, ge=0)
    # Receivers on loopback (a developer's machine, the tests): unset, allowed in development
    # only. Private, link-local and metadata addresses are refused whatever this says.
    webhook_allow_loopback: bool | None = None
    # Plain http:// receivers: unset, allowed in development only.
    webhook_allow_http: bool | None = None
    # Deliveries (any status) are deleted this long after creation.
    webhook_retention_days: int = Field(default=30, ge=1)

    # --- rate limits ("N/period" strings understood by the `limits` library) ----------------
    # Per account (the email typed) and, far more loosely, per client address: one office behind
    # one NAT address (or one test runner on loopback) signs up many organizations; a script
    # does tens of thousands. The per-account limits and the mail guard bound what reaches a
    # mailbox; the per-address ones bound scripts.
    rate_limit_registration: str = "10/hour"
    # Per SCIM token: a directory's full sync of a large organization stays well inside it.
    rate_limit_scim: str = "1200/minute"
    rate_limit_registration_per_address: str = "1000/hour"
    # Wrong STEP partner codes per client address (right ones are not counted). Past it every
    # code is refused for a while, right ones too (else the answer would still tell them apart).
    rate_limit_step_code: str = "30/hour"
    # Activation attempts per account; failed ones (unknown link, wrong code) per address. Each
    # code locks after 5 wrong tries anyway: the address budget bounds guessing across links.
    rate_limit_activation: str = "30/hour"
    rate_limit_activation_failures_per_address: str = "300/hour"
    rate_limit_resend: str = "10/hour"
    rate_limit_resend_per_address: str = "1000/hour"
    # Invitations sent or resent per inviting user (each one mails a stranger's address).
    rate_limit_invitation: str = "50/hour"
    # Reset requests per account (the email typed) and per client address; also reset-page
    # submissions per account, and failed ones (a dead link) per address.
    rate_limit_password_reset: str = "10/hour"  # noqa: S105 (a rate, not a password)
    rate_limit_password_reset_per_address: str = "1000/hour"  # noqa: S105
    # Failed logins per client address (against spraying: many accounts, few passwords each);
    # successful ones are free. Per account, failures are throttled by growing delays below.
    rate_limit_login_per_address: str = "1000/hour"
    login_failures_before_delay: int = Field(default=5, ge=1)
    login_failure_hard_cap: int = Field(default=100, ge=5)
    # The delay after the first failure past the threshold; it doubles with each further one.
    login_delay_base_seconds: float = Field(default=1.0, gt=0)
    login_delay_max_seconds: float = Field(default=15 * 60.0, gt=0)
    # Wrong proofs (password, TOTP or recovery code) per account when changing its own two-factor
    # settings through GraphQL (a stolen access token must not be a way to guess codes).
    rate_limit_two_factor: str = "10/hour"
    # How long a half-finished login (right password, second factor or its setup to come) lasts.
    two_factor_login_seconds: int = Field(default=10 * 60, ge=60, le=3600)
    # Wrong codes on one half-finished login before it must start again with the password.
    two_factor_login_max_tries: int = Field(default=5, ge=1)

    # --- licenses -------------------------------------------------------------------------------
    # A license whose term ends within this many days shows as EXPIRING_SOON.
    license_expiring_soon_days: int = Field(default=30, ge=0, le=365)
    # Failed license-key redemptions per client address (and per user) before refusing more.
    rate_limit_license_redeem: str = "10/hour"

    # --- devices --------------------------------------------------------------------------------
    # Registrations refused because the serial number or MAC address is taken, per user (and per
    # client address), before every registration is refused for a while: answering "taken" tells
    # whether a device exists somewhere, so probing for that is bounded.
    rate_limit_device_conflict: str = "20/hour"
    rate_limit_device_conflict_per_address: str = "100/hour"

    # --- identity -------------------------------------------------------------------------------
    access_token_ttl_seconds: int = Field(default=600, ge=300, le=900)
    id_token_ttl_seconds: int = Field(default=600, ge=60)
    authorization_code_ttl_seconds: int = Field(default=60, ge=10, le=600)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=3600, le=30 * 24 * 3600)
    # For this long after a refresh token is rotated out, the same client presenting it again (a
    # lost response, a retry after a timeout, a second tab) gets a new pair of the same family
    # instead of revoking it (Okta's grace period, Auth0's reuse interval); 0 is strict.
    refresh_reuse_grace_seconds: int = Field(default=30, ge=0, le=300)
    session_idle_seconds: int = Field(default=30 * 60, ge=60)
    session_absolute_seconds: int = Field(default=12 * 3600, ge=300)
    signing_key_bits: int = Field(default=2048, ge=2048)
    # Several processes share the signing keys (identity/keys.py): each reloads them this often,
    # and a new key (`server.py rotate-keys`) signs only once it has been in the database this
    # long, so that every process publishes it in its JWKS before any token carries its kid.
    signing_key_reload_seconds: float = Field(default=60.0, gt=0, le=240)
    signing_key_publish_seconds: float = Field(default=65.0, ge=0, le=250)
    # Audience of the access tokens GraphQL accepts (RFC 9068 `aud`).
    api_audience: str = "cloud-portal-api"
    # How long a process trusts its cached copy of an OAuth client (a disabled client is refused
    # by every process within this time).
    oauth_client_cache_seconds: float = Field(default=10.0, ge=0)

    # --- enterprise single sign-on (domain/sso) -------------------------------------------
    # The DNS server (`host:port`, `[v6]:port` or just `host` for port 53) that domain
    # verification asks for TXT records. Unset: the system's resolver (/etc/resolv.conf).
    dns_resolver: str | None = None
    # Bounds on a DNS lookup and on fetching an upstream provider's discovery document or keys.
    dns_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    sso_http_timeout_seconds: float = Field(default=10.0, gt=0, le=60)

    # --- the web console (console/) ----------------------------------------------------------
    # Unset: the console calls this process's own GraphQL endpoint in-process (ASGI, no network
    # hop). Set to an https:// .../graphql URL to run the console against a remote API.
    console_api_url: str | None = None

    # --- GraphQL --------------------------------------------------------------------------------
    graphql_max_depth: int = Field(default=12, ge=2)
    graphql_max_aliases: int = Field(default=30, ge=1)
    graphql_max_tokens: int = Field(default=2000, ge=100)
    graphql_max_cost: int = Field(default=5000, ge=100)
    graphql_max_page_size: int = Field(default=100, ge=1, le=1000)
    graphql_max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # A SCIM request's body (one user, or one PATCH): far below GraphQL's.
    scim_max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    graphql_max_operations: int = Field(default=10, ge=1)
    graphql_max_fragments: int = Field(default=50, ge=1)

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("dns_resolver")
    @classmethod
    def _dns_resolver(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None:
            parse_host_port(value)  # raises ValueError with the reason
        return value

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: list[str]) -> list[str]:
        # Exact origins only: a wildcard or a URL with a path would be a different (unsafe or
        # never matching) rule than the one written down.
        origins = []
        for origin in value:
            parts = urlsplit(origin)
            if (
                parts.scheme not in {"http", "https"}
                or not parts.hostname
                or parts.path not in {"", "/"}
                or parts.query
                or parts.fragment
                or parts.username
            ):
                raise ValueError(
                    f"PORTAL_CORS_ORIGINS: {origin!r} is not an origin; list exact origins such "
                    "as https://app.example.com,https://admin.example.com (no paths, no *)"
                )
            origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
        return origins

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(
                "PORTAL_PUBLIC_URL must be an absolute http(s) URL such as https://portal.example.com"
            )
        if parts.query or parts.fragment:
            raise ValueError("PORTAL_PUBLIC_URL must not carry a query or a fragment")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not (
            value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")
        ):
            raise ValueError(
                "PORTAL_DATABASE_URL must start with sqlite+aiosqlite:/// or postgresql+asyncpg://"
            )
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        parse_smtp_url(value.get_secret_value())  # raises ValueError with a fix-it message
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str) -> str:
        if "\r" in value or "\n" in value or "@" not in parseaddr(value)[1]:
            raise ValueError(
                "PORTAL_MAIL_FROM must be an address such as no-reply@example.com "
                "or 'Cloud Portal <no-reply@example.com>'"
            )
        return value

    @model_validator(mode="after")
    def _production_rules(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            parts = urlsplit(self.public_url)
            if parts.scheme != "https" and not is_loopback_host(parts.hostname):
                raise ValueError(
                    "PORTAL_ENV=production refuses an http:// PORTAL_PUBLIC_URL that is not "
                    "loopback: serve behind TLS and set PORTAL_PUBLIC_URL=https://…"
                )
            if self.smtp_url is None:
                # Without a relay mail goes to the console sender: activation codes and reset
                # links would land in the logs and in .eml files under PORTAL_MAIL_DIR.
                raise ValueError(
                    "PORTAL_ENV=production needs PORTAL_SMTP_URL: without it every mail, with its "
                    "activation code or password reset link, would be written to the log and to "
                    ".eml files. Set PORTAL_SMTP_URL=smtps://user:…@relay.example.com:465 (or "
                    "smtp://relay.example.com:587?starttls=true); see docs/PRODUCTION.md"
                )
            else:
                smtp = parse_smtp_url(self.smtp_url.get_secret_value())
                if smtp.username and not smtp.uses_tls and not is_loopback_host(smtp.host):
                    raise ValueError(
                        "PORTAL_ENV=production refuses to send SMTP credentials in clear text: "
                        "use smtps:// or add ?starttls=true to PORTAL_SMTP_URL"
                    )
        if self.db_command_timeout_seconds < self.db_statement_timeout_seconds:
            raise ValueError(
                "PORTAL_DB_COMMAND_TIMEOUT_SECONDS must be at least "
                "PORTAL_DB_STATEMENT_TIMEOUT_SECONDS: the server cancels a slow statement first "
                "(its connection stays usable); the client's own timeout is for a silent server"
            )
        if self.signing_key_publish_seconds < self.signing_key_reload_seconds:
            raise ValueError(
                "PORTAL_SIGNING_KEY_PUBLISH_SECONDS must be at least "
                "PORTAL_SIGNING_KEY_RELOAD_SECONDS: a new key may sign only once every process "
                "has loaded it"
            )
        # A delivery (bounded by twice the SMTP timeout) must fit in a lease, or a slow send
        # would let another worker claim the same message.
        if self.outbox_lease_seconds < 2 * self.smtp_timeout_seconds + 1:
            raise ValueError(
                "PORTAL_OUTBOX_LEASE_SECONDS must be at least 2 * PORTAL_SMTP_TIMEOUT_SECONDS + 1"
            )
        if self.webhook_lease_seconds < self.webhook_timeout_seconds + 2:
            raise ValueError(
                "PORTAL_WEBHOOK_LEASE_SECONDS must be at least PORTAL_WEBHOOK_TIMEOUT_SECONDS + 2"
            )
        if self.webhook_retention_days * 86400 <= self.webhook_give_up_seconds:
            raise ValueError(
                "PORTAL_WEBHOOK_RETENTION_DAYS must reach past PORTAL_WEBHOOK_GIVE_UP_SECONDS: "
                "deliveries still being retried would be deleted"
            )
        return self

    # --- derived ------------------------------------------------------------------------------
    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def json_logs(self) -> bool:
        if self.log_format is None:
            return self.production
        return self.log_format is LogFormat.JSON

    @property
    def drain_seconds(self) -> float:
        if self.shutdown_drain_seconds is None:
            return 5.0 if self.production else 0.0
        return self.shutdown_drain_seconds

    @property
    def issuer(self) -> str:
        return self.public_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def smtp(self) -> SmtpUrl | None:
        """The parsed PORTAL_SMTP_URL, or None: mail goes to the console and ``mail_dir``."""
        return parse_smtp_url(self.smtp_url.get_secret_value()) if self.smtp_url else None

    @property
    def webhooks_reach_loopback(self) -> bool:
        if self.webhook_allow_loopback is None:
            return not self.production
        return self.webhook_allow_loopback

    @property
    def webhooks_allow_http(self) -> bool:
        if self.webhook_allow_http is None:
            return not self.production
        return self.webhook_allow_http

    @property
    def secure_cookies(self) -> bool:
        return self.production or self.public_url.startswith("https://")


def load_settings(**overrides: object) -> Settings:
    """Read the environment; a bad value stops the process with a readable explanation."""
    return Settings(**overrides)  # type: ignore[arg-type]
