"""What the HTTP benchmarks share: a server in its own process, a lean keep-alive HTTP/1.1
client (so the load generator is not what we measure), and min/median/max reporting.

Loopback only; every run is bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def uvicorn_args(factory: str, port: int) -> list[str]:
    """The arguments that serve the app ``factory`` makes as ``server.py serve`` runs uvicorn (no
    proxy headers, no server header, our access log)."""
    return [
        "-m", "uvicorn", "--factory", factory, "--port", str(port),
        "--no-proxy-headers", "--no-server-header", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


@contextlib.contextmanager
def server_process(
    args: Sequence[str], env: dict[str, str], port: int, prefix: Sequence[str] = ()
) -> Iterator[int]:
    """Run ``python *args`` until it answers on ``port`` (yields its pid); stop it afterwards.
    ``prefix`` goes before the interpreter (``taskset -c 0``: it execs, so the pid is Python's)."""
    process = subprocess.Popen(
        [*prefix, sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.05)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def cookies(self) -> dict[str, str]:
        jar = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                cookie_name, _, cookie_value = pair.partition("=")
                jar[cookie_name.strip()] = cookie_value.strip()
        return jar


class Connection:
    """One keep-alive HTTP/1.1 connection (Content-Length bodies only, as our endpoints send)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Reply:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self._reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parsed = []
        length = 0
        for line in header_lines:
            if not line:
                continue
            key, _, value = line.partition(":")
            key = key.strip().lower()
            parsed.append((key, value.strip()))
            if key == "content-length":
                length = int(value)
        payload = await self._reader.readexactly(length) if length else b""
        return Reply(int(status_line.split(" ", 2)[1]), parsed, payload)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._writer = None


def spread(values: Sequence[float]) -> str:
    return (
        f"min {min(values):8.1f}  median {statistics.median(values):8.1f}  max {max(values):8.1f}"
    )


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


async def measure_rate(workers: Sequence[object], seconds: float, warmup: float = 0.5) -> float:
    """Run every worker (an ``async def step() -> None`` bound method or function) in a loop;
    the completed steps per second during ``seconds`` after ``warmup``."""
    done = 0
    counting = False
    stop = False

    async def loop(step: object) -> None:
        nonlocal done
        while not stop:
            await step()  # type: ignore[operator]
            if counting:
                done += 1

    tasks = [asyncio.create_task(loop(w)) for w in workers]
    await asyncio.sleep(warmup)
    counting = True
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    counted, elapsed = done, time.perf_counter() - started
    stop = True
    await asyncio.gather(*tasks)
    return counted / elapsed
