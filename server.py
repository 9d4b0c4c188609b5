"""Cloud Portal: ``create_app()`` and the command line.

python server.py serve [--host H] [--port P] [--workers N]
python server.py create-admin EMAIL
python server.py create-client --name NAME --redirect-uri URI [--redirect-uri URI ...] [--public]
        [--third-party] [--post-logout-redirect-uri URI ...]
python server.py import-step-codes FILE
python server.py rotate-keys
python server.py migrate
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, TypedDict

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.datastructures import Secret
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route

from console.runtime import Console
from identity.provider import IdentityProvider
from runtime import Services
from settings import Settings, load_settings

logger = logging.getLogger("portal")


class State(TypedDict):
    """What the lifespan hands to every request (``request.state.services``)."""

    services: Services
    # The OIDC provider and hosted pages (``request.state.identity``).
    identity: IdentityProvider
    # The web console, a backend for frontend (``request.state.console``).
    console: Console


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """The ASGI application. ``services`` may be given by tests; otherwise the lifespan builds
    (and closes) them from ``settings``."""
    from api.root import build_schema
    from console.routes import console_routes
    from console.web import page_not_found
    from identity.routes import identity_routes
    from web.access_log import AccessLogMiddleware
    from web.graphiql import graphiql_assets
    from web.graphql import PortalGraphQL
    from web.health import healthz, readyz
    from web.middleware import ResponseHeadersMiddleware
    from web.scim import scim_routes
    from web.unavailable import UnavailableMiddleware

    settings = settings or (services.settings if services else load_settings())
    owned = services is None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        svc = services or Services.build(settings)
        await svc.keys.load()
        background = await _start_background(svc)
        identity = IdentityProvider.build(svc)
        state: dict[str, Any] = {"services": svc, "identity": identity}
        console = await _build_console(svc, app, state)
        state["console"] = console
        try:
            yield State(services=svc, identity=identity, console=console)
        finally:
            await console.close()
            # Uvicorn has stopped accepting and finished the requests in flight by now (after
            # the drain: web/serving.py).
            for stop in reversed(background):
                await stop()
            if owned:
                await svc.close()

    graphql = PortalGraphQL(build_schema(settings), settings)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        # The endpoint checks methods itself: 405s are GraphQL-shaped and say what is allowed.
        Route("/graphql", graphql),
        *([] if settings.production else [graphiql_assets()]),
        *identity_routes(),
        *scim_routes(),
        *console_routes(),
    ]
    middleware = [
        Middleware(ResponseHeadersMiddleware, production=settings.production),
        Middleware(AccessLogMiddleware),
    ]
    if settings.cors_origins:
        # Exact origins only, and no credentials: the API authenticates with bearer tokens, never
        # with cookies, so a cross-origin page gets nothing it could not send itself.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "X-Organization-Id",
                    "X-Request-Id",
                ],
                expose_headers=["X-Request-Id"],
                allow_credentials=False,
                max_age=600,
            )
        )
    # Innermost: the access log, the request id and CORS all apply to its 503s.
    middleware.append(Middleware(UnavailableMiddleware))
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: page_not_found},
    )


async def _build_console(svc: Services, app: Starlette, state: dict[str, Any]) -> Console:
    """The composition root of the console: register its OIDC client (idempotent, every process
    at start), then hand it the client's credentials and a session store; the console itself
    imports neither ``domain`` nor ``db``."""
    from console.config import CLIENT_ID, ConsoleConfig
    from identity.oauth.first_party import ensure_first_party_client
    from identity.pages.rendering import STATIC_DIR, TEMPLATES_DIR
    from identity.pages.urls import ASSETS_PATH
    from web.console_store import DatabaseSessionStore

    settings = svc.settings
    config = ConsoleConfig(
        public_url=settings.public_url,
        client_id=CLIENT_ID,
        client_secret=Secret(""),
        api_url=settings.console_api_url,
        secure_cookies=settings.secure_cookies,
        idle_seconds=settings.session_idle_seconds,
        absolute_seconds=settings.session_absolute_seconds,
        design_templates=TEMPLATES_DIR,
        design_static=STATIC_DIR,
        assets_path=ASSETS_PATH,
    )
    client = await ensure_first_party_client(
        svc.db,
        svc.secrets,
        client_id=CLIENT_ID,
        name="Cloud Portal console",
        redirect_uri=config.redirect_uri,
        post_logout_redirect_uri=config.post_logout_uri,
    )
    assert client.client_secret is not None
    config = replace(config, client_secret=Secret(client.client_secret))
    return Console.build(config, DatabaseSessionStore(svc.db), app=app, state=state)


async def _start_background(services: Services) -> list[Callable[[], Any]]:
    """Start the process's background work (the outbox worker, the identity provider's
    housekeeping, the webhook worker, the partner grants' expiry notices); return their stop
    functions."""
    from domain.partners.access_notices import start_expiry_notices
    from domain.webhooks.worker import start_webhook_worker
    from identity.housekeeping import start_housekeeping
    from mail.worker import start_outbox_worker

    stops: list[Callable[[], Any]] = [
        await start_housekeeping(services.db, services.settings),
        await start_expiry_notices(services.db, services.settings),
    ]
    worker = await start_outbox_worker(services.db, services.settings)
    if worker is not None:
        services.extras["outbox_worker"] = worker
        stops.append(worker.stop)
    webhooks = await start_webhook_worker(services.db, services.settings)
    if webhooks is not None:
        services.extras["webhook_worker"] = webhooks
        stops.append(webhooks.stop)
    return stops


# --- command line ------------------------------------------------------------------------------


async def prepare_database(settings: Settings) -> None:
    """Upgrade the schema (under a lock) and make sure a signing key exists."""
    from db import migrate
    from db.database import Database
    from identity.keys import ensure_signing_key

    await migrate.upgrade(settings.database_url)
    db = Database.from_url(settings.database_url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            await ensure_signing_key(session, bits=settings.signing_key_bits)
    finally:
        await db.dispose()


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from kit.logging import logging_config
    from kit.memory import share_arenas
    from web.serving import DrainingConfig, run

    share_arenas()  # before the migration's threads; a spawned worker's lifespan does it too
    asyncio.run(prepare_database(settings))
    run(
        DrainingConfig(
            "server:create_app",
            drain_seconds=settings.drain_seconds,
            header_timeout_seconds=settings.http_header_timeout_seconds,
            timeout_keep_alive=settings.http_keep_alive_seconds,
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=False,  # client addresses come from PORTAL_TRUSTED_PROXIES only
            server_header=False,
            access_log=False,  # ours (web/access_log.py) leaves out query strings, which carry tokens
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
            # Applied again in every spawned worker (which starts with no logging set up).
            log_config=logging_config(settings.log_level, json_lines=settings.json_logs),
            log_level=settings.log_level.lower(),
        )
    )
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(prepare_database(settings))
    print("database schema is up to date")
    return 0


def _create_client(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from db.database import Database
    from identity.oauth.clients import InvalidClientMetadata, create_client

    async def run() -> int:
        await prepare_database(settings)
        db = Database.from_url(settings.database_url, pool_size=1)
        try:
            created = await create_client(
                db,
                name=args.name,
                redirect_uris=args.redirect_uri,
                post_logout_redirect_uris=args.post_logout_redirect_uri or [],
                public=args.public,
                third_party=args.third_party,
            )
        except InvalidClientMetadata as exc:
            print(f"create-client: {exc}", file=sys.stderr)
            return 2
        finally:
            await db.dispose()
        print(json.dumps(created.as_json()))
        return 0

    return asyncio.run(run())


def _rotate_keys(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from db.database import Database
    from identity.keys import rotate

    async def run() -> str:
        await prepare_database(settings)
        db = Database.from_url(settings.database_url, pool_size=1)
        # The old keys stay in the JWKS until every token they signed has expired (plus the
        # clock leeway), so rotation never breaks a live token.
        longest = max(settings.access_token_ttl_seconds, settings.id_token_ttl_seconds)
        try:
            async with db.unit_of_work() as session:
                return await rotate(
                    session,
                    bits=settings.signing_key_bits,
                    keep_published=timedelta(seconds=longest + 300),
                )
        finally:
            await db.dispose()

    print(f"new signing key: {asyncio.run(run())}")
    return 0


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from domain.accounts.admins import AdminOutcome, InvalidEmail, create_internal_admin

    async def run() -> AdminOutcome:
        await prepare_database(settings)
        services = Services.build(settings)
        try:
            return await create_internal_admin(
                services, args.email, first_name=args.first_name, last_name=args.last_name
            )
        finally:
            await services.close()

    try:
        outcome = asyncio.run(run())
    except InvalidEmail as exc:
        print(f"create-admin: {exc}", file=sys.stderr)
        return 2
    messages = {
        AdminOutcome.CREATED: "internal admin {email} created, pending activation; "
        "the activation email is in the outbox",
        AdminOutcome.ACTIVATION_RESENT: "internal admin {email} was still pending activation; "
        "a new activation email replaces the previous one",
        AdminOutcome.ALREADY_ACTIVE: "internal admin {email} is already active; nothing changed",
        AdminOutcome.NOT_AN_ADMIN: "{email} already has a customer or partner account; "
        "internal admins need their own address",
    }
    stream = sys.stderr if outcome is AdminOutcome.NOT_AN_ADMIN else sys.stdout
    print(messages[outcome].format(email=args.email.strip()), file=stream)
    return 1 if outcome is AdminOutcome.NOT_AN_ADMIN else 0


def _import_step_codes(settings: Settings, args: argparse.Namespace) -> int:
    from db.database import Database
    from domain.partners.code_file import CodeFileError, read_code_file
    from domain.partners.step_codes import CodesJustAdded, ImportReport, import_codes

    try:
        lines = read_code_file(args.file)
    except CodeFileError as exc:
        print(f"import-step-codes: {exc}", file=sys.stderr)
        return 2

    async def run() -> ImportReport | None:
        await prepare_database(settings)
        db = Database.from_url(settings.database_url, pool_size=1)
        try:
            async with db.unit_of_work() as session:
                try:
                    return await import_codes(session, lines)
                except CodesJustAdded:  # another import won a race: run it again
                    return None
        finally:
            await db.dispose()

    report = asyncio.run(run())
    if report is None:
        print("import-step-codes: some codes were added meanwhile; run it again", file=sys.stderr)
        return 1
    print(
        f"added {report.added}, skipped {report.skipped} (already known or repeated), "
        f"invalid {report.invalid}"
    )
    if report.invalid_lines:
        shown = ", ".join(str(n) for n in report.invalid_lines[:20])
        more = " …" if len(report.invalid_lines) > 20 else ""
        print(f"invalid codes on lines: {shown}{more}", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "serve": _serve,
    "migrate": _migrate,
    "create-client": _create_client,
    "rotate-keys": _rotate_keys,
    "create-admin": _create_admin,
    "import-step-codes": _import_step_codes,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="server.py", description="Cloud Portal")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="upgrade the database schema, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="upgrade the database schema and exit")
    client = sub.add_parser(
        "create-client",
        help="register an OIDC client; prints one line of JSON with its id (and secret)",
    )
    client.add_argument("--name", required=True)
    client.add_argument(
        "--redirect-uri",
        action="append",
        required=True,
        help="exact redirect URI (repeatable); http:// only for loopback hosts",
    )
    client.add_argument(
        "--post-logout-redirect-uri",
        action="append",
        help="exact URI (repeatable); without one, logout may return to the redirect URIs",
    )
    client.add_argument(
        "--public", action="store_true", help="no secret (PKCE only), e.g. a browser app"
    )
    client.add_argument(
        "--third-party", action="store_true", help="ask each user's consent (a consent screen)"
    )
    sub.add_parser(
        "rotate-keys", help="add a new signing key; old keys stay published until tokens expire"
    )
    admin = sub.add_parser(
        "create-admin",
        help="create an internal admin, pending activation, and send the activation email "
        "(again for a pending one; nothing for an active one)",
    )
    admin.add_argument("email")
    admin.add_argument("--first-name", default="Internal")
    admin.add_argument("--last-name", default="Admin")
    codes = sub.add_parser(
        "import-step-codes",
        help="add STEP partner codes from a CSV file with a header row and a `code` column "
        "(optional `company`); known and repeated codes are skipped",
    )
    codes.add_argument("file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValidationError as exc:
        print("Cloud Portal cannot start: the configuration is invalid.\n", file=sys.stderr)
        for error in exc.errors():
            name = "PORTAL_" + "_".join(str(p) for p in error["loc"]).upper()
            print(f"  {name or 'PORTAL_*'}: {error['msg']}", file=sys.stderr)
        return 2
    from kit.logging import configure_logging

    configure_logging(settings.log_level, json_lines=settings.json_logs)
    return COMMANDS[args.command](settings, args)


if __name__ == "__main__":
    sys.exit(main())
