"""One real ``server.py serve`` process (optionally ``--workers N``) for process-level tests:
signals, draining, exit status, the log it writes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ServeProcess:
    process: asyncio.subprocess.Process
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def exit_status(self, within: float) -> int:
        return await asyncio.wait_for(self.process.wait(), within)

    async def stop(self, within: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await self.exit_status(within)


@contextlib.asynccontextmanager
async def serve_process(
    database_url: str, directory: Path, *, workers: int = 1, **settings: str
) -> AsyncIterator[ServeProcess]:
    """Start ``serve`` on a free port and wait until ``/readyz`` says ready; stop it afterwards
    if the test left it running."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_PUBLIC_URL": url,
        "PORTAL_MAIL_DIR": str(directory / "mail"),
        "PORTAL_DB_POOL_SIZE": "2",
        **{f"PORTAL_{key.upper()}": value for key, value in settings.items()},
    }
    log = directory / f"serve-{port}.log"
    with log.open("wb") as stderr:  # a file, not a pipe: nobody reads a pipe while it runs
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "server.py",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
        served = ServeProcess(process, url, log)
        try:
            async with httpx.AsyncClient(base_url=url, timeout=5) as client:
                for _ in range(600):
                    with contextlib.suppress(httpx.TransportError):
                        if (await client.get("/readyz")).status_code == 200:
                            break
                    if process.returncode is not None:
                        raise AssertionError(served.log_text()[-3000:])
                    await asyncio.sleep(0.1)
                else:
                    raise AssertionError("the server did not become ready")
            yield served
        finally:
            if process.returncode is None:
                # SIGTERM, not SIGKILL: a killed supervisor would leave its workers running.
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 60)
                except TimeoutError:
                    process.kill()
                    await process.wait()
