"""The query plans behind a GraphQL request: every statement the request sends, EXPLAINed.

    python -m bench.plans --url URL --email EMAIL [--query partner_landing|devices] [--first 50]

Runs the document in-process against ``URL`` (as EMAIL, with a token from the database's key),
records each SQL statement with its parameters, and prints PostgreSQL's ``EXPLAIN (ANALYZE,
BUFFERS)`` or SQLite's ``EXPLAIN QUERY PLAN`` for it, so that a growth benchmark's ratio can be
read against its plans (an index range with a LIMIT, never a scan of the table).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from typing import Any

from sqlalchemy import event, select

from bench._landing_app import LANDING_QUERY
from bench._targets import mint_token
from bench.bench_devices import QUERY as DEVICES_QUERY

QUERIES = {"partner_landing": LANDING_QUERY, "devices": DEVICES_QUERY}
_ARRAY = re.compile(r"'\{([0-9a-f-]{36}),[^}]*\}'")
_PARAMS = re.compile(r"(\$\d+::UUID, ){3,}")


def _short(line: str) -> str:
    """Plans and statements with 50 ids in them, shortened to the first."""
    return _PARAMS.sub("…, ", _ARRAY.sub(r"'{\1,…}'", line))


async def _run(url: str, email: str, document: str, first: int) -> None:
    from api.root import build_schema
    from db.models import User
    from runtime import Services
    from settings import Settings
    from web.graphql import PortalGraphQL

    public_url = "http://127.0.0.1:9"
    settings = Settings(database_url=url, public_url=public_url, outbox_workers=0)
    services = Services.build(settings)
    try:
        await services.keys.load()
        async with services.db.read_session() as session:
            user_id = await session.scalar(select(User.id).where(User.email == email))
        assert user_id is not None, f"no user {email}"
        token = await mint_token(url, user_id, public_url)
        view = PortalGraphQL(build_schema(settings), settings)
        body = json.dumps({"query": document, "variables": {"first": first}}).encode()
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/graphql",
            "query_string": b"",
            "headers": [
                (b"authorization", f"Bearer {token}".encode()),
                (b"content-type", b"application/json"),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 9),
            "scheme": "http",
            "state": {"services": services},
        }
        recorded: list[tuple[str, Any]] = []

        def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                recorded.append((statement, parameters))

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        sent: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message.get("body", b""))

        engine = services.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            await view(scope, receive, send)  # type: ignore[arg-type]
        finally:
            event.remove(engine, "before_cursor_execute", record)
        answer = json.loads(b"".join(sent))
        assert "errors" not in answer, answer
        postgres = services.db.is_postgresql
        async with services.db.engine.connect() as connection:
            for statement, parameters in recorded:
                print("-" * 100)
                print(_short(statement.strip()))
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                raw = await connection.get_raw_connection()
                driver = raw.driver_connection
                if postgres:
                    rows = await driver.fetch(prefix + statement, *parameters)  # type: ignore[union-attr]
                    plan = [r[0] for r in rows]
                else:
                    cursor = await driver.execute(prefix + statement, parameters)  # type: ignore[union-attr]
                    plan = [" ".join(str(c) for c in r) for r in await cursor.fetchall()]
                print("\n".join(f"    {_short(line)}" for line in plan))
    finally:
        await services.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plans")
    parser.add_argument("--url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--query", choices=sorted(QUERIES), default="partner_landing")
    parser.add_argument("--first", type=int, default=50)
    args = parser.parse_args(argv)
    asyncio.run(_run(args.url, args.email, QUERIES[args.query], args.first))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
