"""The console's browser tests reuse tests/browser's fixtures (chromium, axe, screenshots) and,
like them, run in the session's event loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_asyncio import is_async_test

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    browser,
    chromium_path,
    live,
    new_page,
    page,
    screenshot,
    screenshots,
    services,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if HERE not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if is_async_test(item):
            item.add_marker(session_loop, append=False)
