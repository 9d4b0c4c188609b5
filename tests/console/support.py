"""Signing in to the console like a person: `/` sends the browser through the OIDC flow to the
login form, and back."""

from __future__ import annotations

from playwright.async_api import Page

from domain.enums import Role
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor


async def sign_in(page: Page, email: str, path: str = "/") -> None:
    await page.goto(path)
    assert "/login" in page.url, page.url
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Login").click()
    await page.wait_for_load_state()


async def customer(services: Services, role: Role = Role.SUPER_ADMIN, **kw: object) -> Actor:
    return await create_actor(services, role=role, with_password=True, **kw)  # type: ignore[arg-type]
