"""GraphiQL in development loads only the project's own files (web/static/graphiql/) under a CSP
that allows nothing from elsewhere, and answers a signed-in person's query (the bearer token in
its Headers, here through the page's `headers` parameter)."""

from __future__ import annotations

import json
from urllib.parse import quote

from playwright.async_api import Page, Request, expect

from runtime import Services
from tests.console.support import customer
from tests.support.server import LiveServer


async def test_graphiql_loads_its_assets_from_the_app_and_works_signed_in(
    page: Page, live: LiveServer, services: Services
) -> None:
    actor = await customer(services)
    requested: list[str] = []

    def seen(request: Request) -> None:
        requested.append(request.url)

    page.on("request", seen)
    headers = json.dumps({"Authorization": f"Bearer {actor.token}"})
    query = "{ viewer { user { email } } }"
    response = await page.goto(f"/graphql?q={quote(query)}&headers={quote(headers)}")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unpkg" not in policy and "script-src 'self' 'sha256-" in policy
    await expect(page.get_by_test_id("graphiql-container")).to_be_visible()
    await page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    await expect(page.locator(".graphiql-response")).to_contain_text(actor.user.email)
    assert requested and all(url.startswith(live.url) for url in requested), requested
    assert any("/graphiql-assets/graphiql.min.js" in url for url in requested)
