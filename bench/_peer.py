"""The counting peer the delivery benchmarks send to (bench_mail's SMTP relay, bench_webhooks'
HTTP receiver): a server in a process of its own (as a real peer would be: it must not share the
measured process's interpreter), counting what it receives by message id and saying so the moment
the expected number has arrived. ``CountingPeer`` is the benchmark's end of the pipe, ``Tally``
the peer process's."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

from tests.support.smtp import free_port


class Tally:
    """In the peer process: what arrived, by id, and the commands of the pipe."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._received: Counter[Hashable] = Counter()
        # The server's threads and the commands share the counts and the pipe.
        self._lock = threading.Lock()
        self._expected = 0

    def count(self, message_id: Hashable) -> None:
        with self._lock:
            self._received[message_id] += 1
            if self._expected and sum(self._received.values()) == self._expected:
                self._conn.send("arrived")

    def serve(self) -> None:
        """Say the server is ready, then answer commands until ``stop``."""
        self._conn.send("ready")
        while True:
            command, argument = self._conn.recv()
            if command == "stop":
                break
            with self._lock:
                if command == "expect":
                    self._received.clear()
                    self._expected = argument
                    self._conn.send("ok")
                elif command == "stats":
                    received = self._received.values()
                    self._conn.send((sum(received), sum(n - 1 for n in received if n > 1)))


class CountingPeer:
    """In the benchmark: starts ``main(port, conn)`` (which runs its server and a ``Tally``) in a
    spawned process and talks to it."""

    def __init__(self, main: Callable[[int, Any], None], what: str) -> None:
        self.port = free_port()
        self._what = what
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=main, args=(self.port, child), daemon=True
        )

    def start(self) -> None:
        self._process.start()
        if self._conn.recv() != "ready":
            raise RuntimeError(f"the {self._what} did not start")

    def stop(self) -> None:
        self._conn.send(("stop", 0))
        self._process.join(timeout=10)

    def expect(self, count: int) -> None:
        """Forget what arrived so far; announce when ``count`` messages have arrived."""
        self._conn.send(("expect", count))
        if self._conn.recv() != "ok":
            raise RuntimeError(f"{self._what} out of step")

    async def arrived(self, *, within: float) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def readable() -> None:
            if self._conn.recv() == "arrived" and not done.done():
                done.set_result(None)

        loop.add_reader(self._conn.fileno(), readable)
        try:
            await asyncio.wait_for(done, timeout=within)
        finally:
            loop.remove_reader(self._conn.fileno())

    def stats(self) -> tuple[int, int]:
        """(messages received, duplicates among them)."""
        self._conn.send(("stats", 0))
        total, duplicates = self._conn.recv()
        return int(total), int(duplicates)
