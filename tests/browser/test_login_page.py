"""The hosted login page in a real browser: it renders without script, passes axe-core, and
links to the self-service pages."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import Axe, Screenshots
from tests.support.server import LiveServer


async def test_login_page_in_the_browser(
    page: Page, live: LiveServer, axe: Axe, screenshots: Screenshots
) -> None:
    response = await page.goto("/login")
    assert response is not None and response.status == 200
    assert await page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert await page.get_by_label("Email").get_attribute("name") == "email"
    assert await page.get_by_label("Password").get_attribute("type") == "password"
    await axe(page)
    await screenshots(page, "login")
    await page.get_by_role("link", name="Create an Organization now").click()
    await page.wait_for_url(f"{live.url}/register")
    assert await page.get_by_role("heading", level=1).inner_text() == "Create your organization"
