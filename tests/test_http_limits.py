"""Slow and oversized clients: request headers have a deadline, idle connections are closed, and
a hosted form that is far too large is a 413 (like /graphql and /oauth/token)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest

from tests.support.html import parse_page
from tests.support.serve_process import serve_process
from tests.support.server import LiveServer

TEN_MB = 10 * 1024 * 1024


async def _closed_after(reader: asyncio.StreamReader, within: float) -> float:
    """Seconds until the server closes the connection (reads return EOF)."""
    started = time.monotonic()
    async with asyncio.timeout(within):
        while await reader.read(65536):
            pass
    return time.monotonic() - started


@pytest.mark.parametrize("path", ["/login", "/logout"])
async def test_a_huge_form_is_413(live: LiveServer, path: str) -> None:
    page = await live.client.get("/login")
    form = parse_page(page.text).form("/login")
    response = await live.client.post(
        path,
        content=b"csrf_token=" + form.fields["csrf_token"].encode() + b"&x=" + b"a" * TEN_MB,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413, response.text[:300]


async def test_slow_clients_are_disconnected(database_url: str, tmp_path: Path) -> None:
    async with serve_process(
        database_url,
        tmp_path,
        http_header_timeout_seconds="1",
        http_keep_alive_seconds="1",
        outbox_workers="0",
    ) as served:
        port = int(served.url.rsplit(":", 1)[1])

        # A connection that never sends anything.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await _closed_after(reader, within=5) < 3
        writer.close()

        # Slowloris: a header line every 0.3 s, never the blank line that ends them.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)

        async def trickle() -> None:
            with contextlib.suppress(ConnectionError):
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                for _ in range(30):
                    await asyncio.sleep(0.3)
                    writer.write(b"X-Slow: y\r\n")
                    await writer.drain()

        trickling = asyncio.create_task(trickle())
        assert await _closed_after(reader, within=8) < 3
        trickling.cancel()
        writer.close()

        # A kept-alive connection that goes quiet after a response.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        status = await reader.readline()
        assert status.startswith(b"HTTP/1.1 200")
        assert await _closed_after(reader, within=5) < 3
        writer.close()
