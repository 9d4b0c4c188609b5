"""The console's browser tests reuse tests/browser's fixtures (chromium, axe, screenshots) and,
like them, run in the session's event loop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    browser,
    chromium_path,
    live,
    new_page,
    page,
    rp,
    run_in_session_loop,
    screenshot,
    screenshots,
    services,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    run_in_session_loop(items, HERE)
