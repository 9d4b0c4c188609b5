"""The hosted /forgot-password and /reset-password pages over HTTP: forms without script,
CSRF, POST-redirect-GET, errors next to their fields, the same answer for every address, dead
links explained, and a reset that ends this browser's signed-in session."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from db.models import AccountToken, User
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.accounts.journeys import outbox_mails, unique_email
from tests.accounts.reset_support import NEW_PASSWORD, reset_link, reset_token
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import Browser
from tests.support.html import Page, parse_page
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"mail_per_recipient_per_minute": 5}


def _page(response: httpx.Response, status: int = 200) -> Page:
    assert response.status_code == status, response.text
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # No inline script: at most the portal's own passkeys script (the login page offers passkeys).
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
    assert all('src="/assets/passkeys.js' in tag and not body for tag, body in scripts), scripts
    return parse_page(response.text)


async def _ask(browser: Browser, email: str) -> Page:
    form = _page(await browser.navigate("GET", "/forgot-password"))
    posted = await browser.http.post(
        "/forgot-password", data={**form.form("/forgot-password").fields, "email": email}
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/forgot-password"
    return _page(await browser.navigate("GET", posted.headers["location"]))


async def test_the_login_page_links_to_a_form_that_answers_every_address_alike(
    live: LiveServer, member: Actor
) -> None:
    async with Browser(live.url) as browser:
        login = _page(await browser.navigate("GET", "/login"))
        assert login.link("Forgot password?") == "/forgot-password"
        page = _page(await browser.navigate("GET", "/forgot-password"))
        form = page.form("/forgot-password")
        assert form.method == "post"
        assert {"email", "csrf_token"} <= set(form.input_names())
        assert form.button_labels() == ["Send reset link"]
        assert page.link("Back to sign in") == "/login"

        unknown = unique_email()
        told: list[str] = []
        for email in (member.user.email, unknown):
            answer = await _ask(browser, email)
            assert "Check your email" in answer.text
            told.append(answer.text.replace(email, "<email>"))
        assert told[0] == told[1]
    (mail,) = await outbox_mails(live, member.user.email)
    assert mail.template == "password_reset"
    assert await outbox_mails(live, unknown) == []


async def test_a_bad_address_is_explained_next_to_the_field_and_kept(live: LiveServer) -> None:
    async with Browser(live.url) as browser:
        page = _page(await browser.navigate("GET", "/forgot-password"))
        answer = await browser.submit(page, "/forgot-password", {"email": "ada at example"})
        html = answer.text
        assert answer.status_code == 200 and "Forgot your password?" in html
        assert re.search(r'aria-describedby="email-error"', html)
        assert re.search(r'<p class="field-error" id="email-error">[^<]+</p>', html)
        assert 'value="ada at example"' in html
        # The flash is shown once (POST-redirect-GET): a reload is a clean form.
        again = await browser.navigate("GET", "/forgot-password")
        assert "email-error" not in again.text


async def test_forged_forms_do_nothing(live: LiveServer, member: Actor) -> None:
    forged = await live.client.post("/forgot-password", data={"email": member.user.email})
    assert forged.status_code == 403
    assert await outbox_mails(live, member.user.email) == []
    refused = await live.client.post(
        "/reset-password",
        data={"token": "t" * 43, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert refused.status_code == 403


async def test_the_reset_page_sets_the_password_and_signs_this_browser_out(
    live: LiveServer, services: Services, member: Actor
) -> None:
    email = member.user.email
    async with Browser(live.url) as browser:
        # Signed in in this browser first: the reset must end this session too.
        signed_in = await browser.login(await browser.navigate("GET", "/login"), email)
        # Signed in, the login lands in the web console (PRODUCT.md §5).
        assert signed_in.status_code == 200 and f"{email}" in signed_in.text
        assert parse_page(signed_in.text).form("/console/logout").button_labels() == ["Log out"]
        await _ask(browser, email)
        (mail,) = await outbox_mails(live, email)
        link = reset_link(mail)

        page = _page(await browser.navigate("GET", link))
        form = page.form("/reset-password")
        assert {"password", "password_confirmation", "token", "csrf_token"} <= set(
            form.input_names()
        )
        assert form.fields["token"] == reset_token(mail)
        assert form.button_labels() == ["Set new password"]
        # The rules are there before anything is typed, and tied to the field.
        assert "at least 15 characters" in page.text
        password_input = next(i for i in form.inputs if i.get("name") == "password")
        assert password_input["aria-describedby"] == "password-rules"
        assert password_input["autocomplete"] == "new-password"

        values = {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD + "x"}
        posted = await browser.http.post("/reset-password", data={**form.fields, **values})
        assert posted.status_code == 303
        assert posted.headers["location"] == f"/reset-password?token={reset_token(mail)}"
        mismatch = _page(await browser.navigate("GET", posted.headers["location"]))
        assert "do not match" in mismatch.text
        assert NEW_PASSWORD not in (await browser.http.get(link)).text

        weak = await browser.submit(
            mismatch,
            "/reset-password",
            {"password": "short", "password_confirmation": "short"},
        )
        assert "at least 15 characters" in weak.text
        assert 'aria-describedby="password-rules password-error"' in weak.text
        assert 'id="password-error"' in weak.text and 'value="short"' not in weak.text

        done = await browser.http.post(
            "/reset-password",
            data={
                **parse_page(weak.text).form("/reset-password").fields,
                "password": NEW_PASSWORD,
                "password_confirmation": NEW_PASSWORD,
            },
        )
        assert done.status_code == 303 and done.headers["location"] == "/login"
        login = _page(await browser.navigate("GET", "/login"))
        assert "Your password has been changed." in login.text
        assert login.form("/login").button_labels() == ["Login"]  # no longer signed in

        # The link worked once.
        used = _page(await browser.navigate("GET", link), status=400)
        assert "already used" in used.text
        assert used.link("Request a new link") == "/forgot-password"

        back_in = await browser.login(await browser.navigate("GET", "/login"), email, NEW_PASSWORD)
        assert parse_page(back_in.text).form("/console/logout").button_labels() == ["Log out"]
    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.id == member.user.id))).one()
    assert not (await services.hasher.verify(user.password_hash, DEFAULT_PASSWORD)).ok


async def test_dead_and_incomplete_links_are_explained(
    live: LiveServer, services: Services, member: Actor
) -> None:
    async with Browser(live.url) as browser:
        await _ask(browser, member.user.email)
        (mail,) = await outbox_mails(live, member.user.email)
        async with services.db.unit_of_work() as session:
            await session.execute(
                update(AccountToken)
                .where(AccountToken.link_token_hash == sha256_hex(reset_token(mail)))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        expired = _page(await browser.navigate("GET", reset_link(mail)), status=400)
        assert "expired" in expired.text and not expired.forms
        assert expired.link("Request a new link") == "/forgot-password"
        for url in ("/reset-password", "/reset-password?token=", "/reset-password?token=%C3%A9"):
            incomplete = _page(await browser.navigate("GET", url), status=400)
            assert "incomplete" in incomplete.text
        for token in ("u" * 43, "%00"):
            unknown = _page(await browser.navigate("GET", f"/reset-password?token={token}"), 400)
            assert "not valid" in unknown.text
