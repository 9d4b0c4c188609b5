"""Browser tests: Playwright for Python driving Debian's chromium against the `live` server.

One chromium per test session (per xdist worker), a fresh context (cookies, storage) per test.
Playwright's objects belong to the event loop that created them, so everything in this directory
runs in the session's loop: the tests (marked by ``pytest_collection_modifyitems`` below) and the
fixtures a test's server needs (``services``, ``live`` and ``rp`` are redefined here with
``loop_scope="session"``; the database and settings fixtures are the shared ones). Another async
fixture that a browser test needs must be declared with ``loop_scope="session"`` as well (objects
made in another loop, like an engine's connections, would not work here, and the session's loop
is stopped while it runs): collection refuses one that is not (``run_in_session_loop``); simplest
is to create such data inside the test.

Helpers for tests:
- ``page``: a page in a fresh context at the desktop width (1280); ``new_page(width)`` for more
  (phone: 390). Every page fails its test on a CSP violation or a failed request to the portal.
- ``axe(page)``: runs axe-core (npm, tests/node) in the page, asserts no serious or critical
  violation.
- ``screenshot(page, name)``: saves ``test-artifacts/screenshots/<name>-<width>.png`` at the
  page's current width; ``screenshots(page, name)`` saves it at phone and desktop width.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright
from pytest_asyncio import is_async_test

from runtime import Services
from settings import Settings
from tests.conftest import build_services
from tests.identity.oidc import RegisteredClient, register_client
from tests.support.server import LiveServer, serve

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = 390
DESKTOP = 1280
HEIGHTS = {PHONE: 844, DESKTOP: 800}


# Async fixtures a browser test may use from another loop: each one finishes its work (and closes
# what it opened) before it returns, so nothing of its loop is left for the test to touch.
OTHER_LOOP_ALLOWED = frozenset({"database_url"})


def run_in_session_loop(items: list[pytest.Item], directory: Path) -> None:
    """Mark the tests below ``directory`` as browser tests run in the session's loop, and refuse
    one that uses an async fixture of another loop (see the module docstring). Such a fixture
    runs while the session's loop is stopped: a background worker of the test's server holding a
    SQLite write lock at that moment keeps it until the loop runs again, and the fixture's own
    write waited out the 30 s busy timeout ("database is locked")."""
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if directory not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not is_async_test(item):
            continue
        item.add_marker(session_loop, append=False)
        for name, definitions in item._fixtureinfo.name2fixturedefs.items():  # type: ignore[attr-defined]
            function = definitions[-1].func
            asynchronous = inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(
                function
            )
            scope = getattr(function, "_loop_scope", None)
            if asynchronous and scope != "session" and name not in OTHER_LOOP_ALLOWED:
                raise pytest.UsageError(
                    f"{item.nodeid} uses the async fixture {name!r} of another event loop: "
                    'declare it with @pytest_asyncio.fixture(loop_scope="session") here'
                )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    run_in_session_loop(items, HERE)


@pytest_asyncio.fixture(loop_scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    svc = await build_services(settings)
    try:
        yield svc
    finally:
        await svc.close()


@pytest_asyncio.fixture(loop_scope="session")
async def live(settings: Settings, services: Services) -> AsyncIterator[LiveServer]:
    async with serve(settings, services) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def rp(services: Services) -> RegisteredClient:
    """A confidential first-party relying party (tests/conftest.py's, in the session's loop)."""
    return await register_client(services)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test-deps)")
    return CHROMIUM


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


class PageProblems:
    """What a page did wrong while the test drove it: CSP violations, failed portal requests,
    assets (not pages: tests look at those) that the portal answered with an error."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.problems: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def _failed(self, request: Any) -> None:
        if not request.url.startswith(self.base_url):
            return
        # The login page asks for passkey options as soon as it loads (conditional mediation);
        # a person (or a test) who signs in with a password first navigates away and the
        # browser drops that request. Nothing went wrong.
        if "/login/passkey/options" in request.url and "ERR_ABORTED" in str(request.failure):
            return
        self.problems.append(f"request failed: {request.url} {request.failure}")

    def _response(self, response: Any) -> None:
        request = response.request
        if response.status >= 400 and request.resource_type != "document":
            self.problems.append(f"{response.status} for {request.resource_type} {response.url}")


NewPage = Callable[..., Awaitable[Page]]


@pytest_asyncio.fixture(loop_scope="session")
async def new_page(browser: Browser, live: LiveServer) -> AsyncIterator[NewPage]:
    """``await new_page(width=1280)``: a page in a context of its own (cookies included),
    with ``base_url`` set to the live server, so ``page.goto("/login")`` works."""
    contexts: list[BrowserContext] = []
    problems = PageProblems(live.url)

    async def make(width: int = DESKTOP) -> Page:
        context = await browser.new_context(
            base_url=live.url,
            viewport={"width": width, "height": HEIGHTS.get(width, 800)},
            locale="en-US",
            timezone_id="UTC",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = await context.new_page()
        problems.watch(page)
        return page

    yield make
    for context in contexts:
        await context.close()
    assert not problems.problems, problems.problems


@pytest_asyncio.fixture(loop_scope="session")
async def page(new_page: NewPage) -> Page:
    return await new_page(DESKTOP)


Axe = Callable[[Page], Awaitable[list[dict[str, Any]]]]


@functools.cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make test-deps` (npm ci in tests/node)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


async def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it is now; fails on any serious or critical one.

    The script is evaluated through the DevTools protocol, which the page's CSP (no script at
    all) does not govern, so the page is audited with its real headers."""
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.evaluate(axe_source())
    result: dict[str, Any] = await page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    violations: list[dict[str, Any]] = result["violations"]
    bad = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    assert not bad, f"axe on {page.url}:\n" + json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in bad
        ],
        indent=2,
    )
    return violations


@pytest.fixture
def axe() -> Axe:
    return run_axe


Screenshot = Callable[[Page, str], Awaitable[Path]]


async def take_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG at the page's current width: ``<name>-<width>.png``."""
    size = page.viewport_size
    assert size is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size['width']}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def take_screenshots(page: Page, name: str) -> list[Path]:
    """The page at phone and at desktop width (the viewport is left at desktop width)."""
    paths = []
    for width in (PHONE, DESKTOP):
        await page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        paths.append(await take_screenshot(page, name))
    return paths


@pytest.fixture
def screenshot() -> Screenshot:
    return take_screenshot


Screenshots = Callable[[Page, str], Awaitable[list[Path]]]


@pytest.fixture
def screenshots() -> Screenshots:
    return take_screenshots
