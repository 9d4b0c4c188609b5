"""Webhook deliveries per second, end to end, to a local receiver.

Events are written as the use cases write them (an audit event whose hook queues one delivery per
subscribed endpoint); then the webhook worker with 1 and with 4 loops signs and POSTs them to a
receiver in a process of its own (the stdlib's threading HTTP server, answering 204), which counts
them by ``webhook-id``. On SQLite and (when reachable) PostgreSQL. Any duplicate or missing event
fails the run. Verdict: duplicates (goal 0); the rates are figures, not a goal.

    python -m bench webhooks [--events=N] [--runs=R] [--sqlite-only] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench._peer import CountingPeer, Tally
from bench._verdict import verdict
from db.database import Database
from db.models import Organization, WebhookEndpoint
from domain.audit.service import record
from domain.context import RequestMeta
from domain.enums import OrganizationStatus, OrganizationType
from domain.secrets import ServerSecrets
from domain.webhooks.secrets import WEBHOOK_SEALING_KEY, new_secret, seal
from domain.webhooks.worker import WebhookWorker
from kit.ids import uuid7
from settings import Settings
from tests.support.databases import PostgresTemplate, SqliteTemplate, postgres_available


def _receiver_main(port: int, conn: Any) -> None:
    tally = Tally(conn)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            tally.count(self.headers.get("webhook-id") or "?")
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # the worker opens a batch's connections at once

    server = Server(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tally.serve()
    server.shutdown()


async def _fill(db: Database, url: str, count: int) -> None:
    """An organization, its endpoint, and ``count`` events for it."""
    key = await ServerSecrets(db).get(WEBHOOK_SEALING_KEY)
    organization_id, endpoint_id = uuid7(), uuid7()
    async with db.unit_of_work() as session:
        session.add(
            Organization(
                id=organization_id,
                name=f"Bench {uuid.uuid4().hex[:6]}",
                type=OrganizationType.CUSTOMER,
                status=OrganizationStatus.ACTIVE,
                country="DE",
            )
        )
        await session.flush()
        session.add(
            WebhookEndpoint(
                id=endpoint_id,
                organization_id=organization_id,
                url=url,
                event_types=["device.registered"],
                enabled=True,
                sealed_secret=seal(key, new_secret(), endpoint_id),
            )
        )
    for start in range(0, count, 100):
        async with db.unit_of_work() as session:
            for i in range(start, min(count, start + 100)):
                await record(
                    session,
                    "device.registered",
                    meta=RequestMeta.system("bench"),
                    organization_id=organization_id,
                    target_type="device",
                    target_id=uuid.uuid4(),
                    details={"serialNumber": f"BENCH-{i}"},
                )


async def _run_once(url: str, receiver: CountingPeer, count: int, loops: int) -> tuple[float, int]:
    settings = Settings(
        database_url=url,
        webhook_workers=loops,
        webhook_poll_seconds=0.05,
        webhook_batch_size=50,
    )
    filler = Database.from_url(url, pool_size=2)
    await _fill(filler, f"http://127.0.0.1:{receiver.port}/hook", count)
    await filler.dispose()
    receiver.expect(count)
    db = Database.from_url(url, pool_size=loops + 1)
    worker = WebhookWorker(db, settings, loops=loops)
    started = time.perf_counter()
    await worker.start()
    with contextlib.suppress(TimeoutError):  # missing events are reported below
        await receiver.arrived(within=180)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.2)  # a duplicate, if there were one, would arrive now
    await worker.stop()
    await db.dispose()
    total, duplicates = receiver.stats()
    if total - duplicates != count:
        raise RuntimeError(f"delivered {total - duplicates} of {count}")
    return count / elapsed, duplicates


async def _run(args: argparse.Namespace) -> int:
    receiver = CountingPeer(_receiver_main, "receiver")
    receiver.start()
    templates: list[tuple[str, SqliteTemplate | PostgresTemplate]] = []
    sqlite = SqliteTemplate(Path(tempfile.mkdtemp(prefix="bench-webhooks-")))
    await sqlite.create()
    templates.append(("sqlite", sqlite))
    if args.postgres and not await postgres_available():
        raise SystemExit("--postgres: PostgreSQL is not reachable")
    if not args.sqlite_only and await postgres_available():
        postgres = PostgresTemplate()
        await postgres.create()
        templates.append(("postgresql", postgres))
    sides = [(engine, template, loops) for engine, template in templates for loops in (1, 4)]
    rates: dict[tuple[str, int], list[float]] = {(e, n): [] for e, _, n in sides}
    duplicates = 0
    try:
        for number in range(args.runs):
            for engine, template, loops in sides if number % 2 == 0 else reversed(sides):
                url = await template.new_database()
                try:
                    rate, dup = await _run_once(url, receiver, args.events, loops)
                finally:
                    await template.drop_database(url)
                rates[(engine, loops)].append(rate)
                duplicates += dup
        print(f"{args.events} events, {args.runs} rounds, loopback HTTP receiver")
        for (engine, loops), measured in rates.items():
            print(
                f"webhooks  {engine:<10} {loops} loop{'s' if loops > 1 else ' '}  "
                f"min {min(measured):6.0f}  median {statistics.median(measured):6.0f}  "
                f"max {max(measured):6.0f} events/s"
            )
        engines = ", ".join(engine for engine, _ in templates)
        status = verdict(
            "webhooks",
            "duplicate deliveries",
            duplicates,
            0,
            at_most=True,
            conditions=f"{engines}; {args.events} events, {args.runs} rounds",
            figures="; ".join(
                f"{e} {n} loop(s) {statistics.median(r):.0f} events/s"
                for (e, n), r in rates.items()
            ),
        )
    finally:
        receiver.stop()
        for _, template in templates:
            await template.destroy()
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench webhooks")
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--postgres", action="store_true", help="require PostgreSQL (fail when unreachable)"
    )
    parser.add_argument("--quick", action="store_true", help="100 events, 2 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.runs = 100, 2
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
