"""Settings → Webhooks in chromium: a Super Admin adds an endpoint (event checkboxes, the secret
shown once), a real receiver gets the signed event, the delivery log shows it and replays it; the
endpoint is disabled, its secret rotated and it is deleted, each behind its confirmation. A User
is refused the page."""

from __future__ import annotations

import asyncio

from playwright.async_api import Page, expect

from domain.enums import Role
from runtime import Services
from tests.browser.conftest import Axe, NewPage, Screenshots
from tests.browser.support import click_through, error_of
from tests.console.support import customer, sign_in
from tests.devices.support import register
from tests.support.server import LiveServer
from tests.webhooks.receiver import running_receiver


async def test_a_super_admin_manages_webhooks(
    page: Page, live: LiveServer, services: Services, axe: Axe, screenshots: Screenshots
) -> None:
    actor = await customer(services)
    await sign_in(page, actor.user.email, "/settings")
    await click_through(page, page.get_by_role("link", name="Webhooks", exact=True))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    await expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()
    await axe(page)

    await click_through(page, page.get_by_role("link", name="Add endpoint"))
    await click_through(page, page.get_by_role("button", name="Add endpoint"))
    assert await error_of(page, "Endpoint URL")
    await expect(page.locator("#events-error")).to_contain_text("at least one event type")
    await axe(page)
    await screenshots(page, "console-webhook-new-errors")

    async with running_receiver() as receiver:
        await page.get_by_label("Endpoint URL").fill(receiver.url)
        await page.get_by_label("Description").fill("Our VMS")
        await page.get_by_role("checkbox", name="device.registered").check()
        await page.get_by_role("checkbox", name="device.removed").check()
        await click_through(page, page.get_by_role("button", name="Add endpoint"))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Endpoint added")
        secret = await page.get_by_label("Signing secret").input_value()
        assert secret.startswith("whsec_")
        await axe(page)
        await screenshots(page, "console-webhook-secret")
        receiver.secrets = [secret]

        await register(live, actor, "CONSOLE-WH-1")
        await receiver.wait_for(1)
        await click_through(page, page.get_by_role("link", name="I have copied it"))
        # The secret is not on any page any more.
        await expect(page.get_by_text(secret)).to_have_count(0)
        row = page.get_by_role("row").filter(has_text="device.registered")
        for _ in range(50):
            if await row.filter(has_text="Succeeded").count():
                break
            await page.wait_for_timeout(100)
            await page.reload()
        await expect(row).to_contain_text("Succeeded")
        await expect(row).to_contain_text("200")
        await axe(page)
        await screenshots(page, "console-webhook-deliveries")

        receiver.arrived.clear()
        await click_through(page, row.get_by_role("button", name="Replay"))
        await expect(page.get_by_role("status")).to_contain_text("Delivery queued again")
        async with asyncio.timeout(10):
            await receiver.arrived.wait()
        assert receiver.duplicates == 1  # the idempotent receiver recognized the replay

    await click_through(page, page.get_by_role("button", name="Disable endpoint"))
    await expect(page.get_by_role("status")).to_contain_text("Endpoint disabled")
    await expect(page.get_by_role("button", name="Enable endpoint")).to_be_visible()

    await click_through(page, page.get_by_role("link", name="Rotate secret"))
    await click_through(page, page.get_by_role("button", name="Rotate secret"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("New signing secret")
    rotated = await page.get_by_label("Signing secret").input_value()
    assert rotated.startswith("whsec_") and rotated != secret
    await click_through(page, page.get_by_role("link", name="I have copied it"))
    await expect(page.get_by_text("Previous secret signs until")).to_be_visible()

    await click_through(page, page.get_by_role("link", name="Delete endpoint"))
    await expect(page.get_by_text("Delete this webhook endpoint?")).to_be_visible()
    await click_through(page, page.get_by_role("button", name="Delete endpoint"))
    await expect(page.get_by_role("status")).to_contain_text("Webhook endpoint deleted.")
    await expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()


async def test_a_user_is_refused_webhooks(
    new_page: NewPage, live: LiveServer, services: Services
) -> None:
    owner = await customer(services)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    page = await new_page()
    await sign_in(page, user.user.email, "/settings")
    await expect(page.get_by_role("link", name="Webhooks", exact=True)).to_have_count(0)
    response = await page.goto("/settings/webhooks")
    assert response is not None and response.status == 403
