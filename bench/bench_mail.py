"""Outbox deliveries per second to a local SMTP server, against a plain send loop.

Baseline (measured in the same run): the same messages sent with aiosmtplib over one connection,
one after the other, no database at all: the fastest this machine can push them to the relay.
Measured: the outbox worker with 1 and with 4 loops delivering messages already in the outbox
(claim with a lease, send, mark SENT), on SQLite and (when reachable) PostgreSQL. Every message
is counted by its Message-ID at the relay; any duplicate or missing message fails the run. The
baseline and every measured side run in turn within each round, so all see the same machine.
Verdict: duplicates (goal 0); the rates are figures, not a goal.

    python -m bench mail [--messages=N] [--runs=R] [--sqlite-only] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import statistics
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller

from bench._peer import CountingPeer, Tally
from bench._verdict import verdict
from db.database import Database
from kit.clock import utcnow
from mail.catalog import sample, sample_context
from mail.compose import OutgoingMail, build_email
from mail.messages import render
from mail.outbox import enqueue
from mail.worker import OutboxWorker
from settings import Settings
from tests.support.databases import PostgresTemplate, SqliteTemplate, postgres_available

PUBLIC_URL = "http://127.0.0.1:8000"
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.I | re.M)


def _relay() -> CountingPeer:
    """A minimal aiosmtpd relay in a process of its own, counting by Message-ID."""
    return CountingPeer(_relay_main, "relay")


def _relay_main(port: int, conn: Any) -> None:
    tally = Tally(conn)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            match = _MESSAGE_ID.search(envelope.content)
            tally.count(match.group(1) if match else b"?")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    tally.serve()
    controller.stop()


def _same_messages(count: int) -> list[EmailMessage]:
    """What the outbox sends: the activation email, rendered once, to ``count`` recipients."""
    rendered = render("activation", {"public_url": PUBLIC_URL, **sample_context("activation")})
    now = utcnow()
    return [
        build_email(
            OutgoingMail(
                id=uuid.uuid4(),
                message_id=f"<baseline-{i}-{uuid.uuid4()}@127.0.0.1>",
                recipient=f"bench-{i}@example.test",
                subject=rendered.subject,
                text_body=rendered.text,
                html_body=rendered.html,
                created_at=now,
                attempts=0,
                leased_until=now,
            ),
            "Cloud Portal <no-reply@localhost>",
        )
        for i in range(count)
    ]


async def _baseline(sink: CountingPeer, count: int) -> float:
    """Messages per second for a plain aiosmtplib loop over one connection."""
    emails = _same_messages(count)
    sink.expect(count)
    client = aiosmtplib.SMTP(
        hostname="127.0.0.1", port=sink.port, start_tls=False, local_hostname="[127.0.0.1]"
    )
    started = time.perf_counter()
    await client.connect()
    for email in emails:
        await client.send_message(email)
    await client.quit()
    await sink.arrived(within=60)
    elapsed = time.perf_counter() - started
    if sink.stats() != (count, 0):
        raise RuntimeError("the baseline lost or duplicated mail")
    return count / elapsed


async def _fill_outbox(db: Database, count: int) -> None:
    mail = sample("activation")
    for start in range(0, count, 100):
        async with db.unit_of_work() as session:
            for i in range(start, min(count, start + 100)):
                await enqueue(
                    session,
                    mail=mail,
                    to=f"bench-{i}@example.test",
                    public_url=PUBLIC_URL,
                )


async def _outbox_run(url: str, sink: CountingPeer, count: int, loops: int) -> tuple[float, int]:
    """Deliveries per second (worker start to last delivery) and the duplicates seen."""
    settings = Settings(
        database_url=url,
        public_url=PUBLIC_URL,
        smtp_url=f"smtp://127.0.0.1:{sink.port}",
        outbox_workers=loops,
        outbox_poll_seconds=0.05,
    )
    filler = Database.from_url(url, pool_size=2)
    await _fill_outbox(filler, count)
    await filler.dispose()
    sink.expect(count)
    db = Database.from_url(url, pool_size=loops + 1)
    worker = OutboxWorker(db, settings, loops=loops)
    started = time.perf_counter()
    await worker.start()
    with contextlib.suppress(TimeoutError):  # missing mail is reported below
        await sink.arrived(within=120)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.2)  # a duplicate, if there were one, would arrive now
    await worker.stop()
    await db.dispose()
    total, duplicates = sink.stats()
    if total - duplicates != count:
        raise RuntimeError(f"delivered {total - duplicates} of {count}")
    return count / elapsed, duplicates


def _summary(rates: list[float]) -> str:
    return f"min {min(rates):7.0f}  median {statistics.median(rates):7.0f}  max {max(rates):7.0f} msg/s"


async def _run(args: argparse.Namespace) -> int:
    sink = _relay()
    sink.start()
    templates: list[tuple[str, SqliteTemplate | PostgresTemplate]] = []
    sqlite = SqliteTemplate(Path(tempfile.mkdtemp(prefix="bench-mail-")))
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
    baseline: list[float] = []
    duplicates = 0
    try:
        for number in range(args.runs):
            # Baseline and measured sides in turn, the order reversed every other round.
            order: list[tuple[str, SqliteTemplate | PostgresTemplate | None, int]] = [
                ("baseline", None, 1),
                *sides,
            ]
            for engine, template, loops in order if number % 2 == 0 else reversed(order):
                if template is None:
                    baseline.append(await _baseline(sink, args.messages))
                    continue
                url = await template.new_database()
                try:
                    rate, dup = await _outbox_run(url, sink, args.messages, loops)
                finally:
                    await template.drop_database(url)
                rates[(engine, loops)].append(rate)
                duplicates += dup
        base = statistics.median(baseline)
        print(f"{args.messages} messages, {args.runs} rounds, loopback aiosmtpd")
        print(f"baseline  plain aiosmtplib loop, 1 connection    {_summary(baseline)}")
        for (engine, loops), measured in rates.items():
            ratio = statistics.median(measured) / base
            print(
                f"outbox    {engine:<10} {loops} loop{'s' if loops > 1 else ' '}"
                f"              {_summary(measured)}  ratio {ratio:4.2f}x baseline"
            )
        engines = ", ".join(engine for engine, _ in templates)
        status = verdict(
            "mail",
            "duplicate deliveries",
            duplicates,
            0,
            at_most=True,
            conditions=f"{engines}; {args.messages} messages, {args.runs} rounds",
            figures="; ".join(
                f"{e} {n} loop(s) {statistics.median(r):.0f} msg/s" for (e, n), r in rates.items()
            )
            + f"; plain aiosmtplib {base:.0f} msg/s",
        )
    finally:
        sink.stop()
        for _, template in templates:
            await template.destroy()
    return status


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench mail")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--postgres", action="store_true", help="require PostgreSQL (fail when unreachable)"
    )
    parser.add_argument("--quick", action="store_true", help="100 messages, 2 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.messages, args.runs = 100, 2
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
