"""The identity provider of one process: built by the lifespan, reached as
``request.state.identity`` by the OIDC endpoints and hosted pages."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from domain.context import RequestMeta
from domain.login.service import LoginPolicy, PasswordLogin
from domain.passkeys.login import PasskeyLogin
from domain.two_factor.login import SecondFactorLogin
from identity.oauth.clients import ClientRegistry
from identity.oauth.server import PortalAuthorizationServer
from identity.pages.rendering import Pages
from identity.sessions import BrowserSessions
from runtime import Services
from web.request_meta import request_meta


@dataclass
class IdentityProvider:
    services: Services
    server: PortalAuthorizationServer
    clients: ClientRegistry
    sessions: BrowserSessions
    pages: Pages
    login: PasswordLogin
    second_factor: SecondFactorLogin
    passkeys: PasskeyLogin

    @classmethod
    def build(cls, services: Services) -> IdentityProvider:
        settings = services.settings
        clients = ClientRegistry(services.db, settings.oauth_client_cache_seconds)
        policy = LoginPolicy(
            per_address_limit=settings.rate_limit_login_per_address,
            failures_before_delay=settings.login_failures_before_delay,
            hard_cap=settings.login_failure_hard_cap,
            delay_base_seconds=settings.login_delay_base_seconds,
            delay_max_seconds=settings.login_delay_max_seconds,
            max_password_length=settings.password_max_length,
        )
        return cls(
            services=services,
            server=PortalAuthorizationServer(settings, services.keys, clients),
            clients=clients,
            sessions=BrowserSessions(services.sync, settings),
            pages=Pages(settings),
            login=PasswordLogin(services.sync, services.hasher, services.limiter, policy),
            second_factor=SecondFactorLogin(
                services.sync, services.limiter, services.secrets, policy
            ),
            passkeys=PasskeyLogin(
                services.db,
                services.limiter,
                public_url=settings.public_url,
                per_address_limit=settings.rate_limit_login_per_address,
            ),
        )

    def meta(self, request: Request) -> RequestMeta:
        return request_meta(request, self.services.settings.trusted_proxies)


def identity_of(request: Request) -> IdentityProvider:
    provider: IdentityProvider = request.state.identity
    return provider
