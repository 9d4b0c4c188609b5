"""The hosted activation page (PRODUCT.md §3): the emailed link opens a form with `code`,
`password` and "Complete Account Authorization"; the rules are the activateAccount mutation's."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from db.models import User
from domain.enums import UserStatus
from runtime import Services
from tests.accounts.journeys import GOOD_PASSWORD, delivered, outbox_mails, register
from tests.factories import create_actor, unique_email
from tests.members.support import INVITE, activation_link
from tests.support.gql import mutate
from tests.support.html import Page, parse_page
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


async def _open(http: httpx.AsyncClient, link: str) -> Page:
    response = await http.get(link)
    assert response.status_code == 200, response.text
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    return parse_page(response.text)


async def _submit(http: httpx.AsyncClient, page: Page, **values: str) -> httpx.Response:
    """Post the form like a browser: the answer is a redirect (POST-redirect-GET)."""
    form = page.form("/activate")
    values.setdefault("password_confirmation", values.get("password", ""))
    response = await http.post(form.action, data={**form.fields, **values})
    assert response.status_code == 303, response.text
    assert response.headers["referrer-policy"] == "no-referrer"
    return response


async def _follow(http: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    page = await http.get(response.headers["location"])
    assert page.status_code == 200, page.text
    return page


async def test_the_emailed_link_activates_through_the_page(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    form = await register(live)
    (mail,) = await delivered(smtp, form["email"])
    link = mail.text.split("Activate Account: ", 1)[1].split()[0]
    assert link.startswith(f"{live.url}/activate?token=")
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        page = await _open(http, link)
        activate_form = page.form("/activate")
        assert activate_form.method == "post"
        assert {"code", "password", "password_confirmation", "csrf_token", "token"} <= set(
            activate_form.input_names()
        )
        assert activate_form.button_labels() == ["Complete Account Authorization"]

        wrong = await _submit(http, page, code="2345-6789", password=GOOD_PASSWORD)
        assert wrong.headers["location"] == f"/activate?token={mail.activation_token}"
        wrong = await _follow(http, wrong)
        assert "The activation code is not correct." in wrong.text
        assert GOOD_PASSWORD not in wrong.text  # a password is never echoed
        assert 'value="2345-6789"' in wrong.text  # the code is kept

        weak = await _follow(
            http,
            await _submit(
                http, parse_page(wrong.text), code=mail.activation_code, password="short"
            ),
        )
        assert "at least 15 characters" in weak.text

        # The confirmation is checked first: a typo costs no code attempt.
        mismatch = await _follow(
            http,
            await _submit(
                http,
                parse_page(weak.text),
                code=mail.activation_code,
                password=GOOD_PASSWORD,
                password_confirmation=GOOD_PASSWORD + "x",
            ),
        )
        assert "The two passwords do not match." in mismatch.text

        done = await _submit(
            http, parse_page(mismatch.text), code=mail.activation_code, password=GOOD_PASSWORD
        )
        assert done.headers["location"] == "/login"
        login = await _follow(http, done)
        assert "Your account is verified successfully." in login.text
        assert f'value="{form["email"]}"' in login.text  # ready to sign in
        assert parse_page(login.text).form("/login").button_labels() == ["Login"]

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == form["email"]))).one()
    assert user.status is UserStatus.ACTIVE and user.activation_failures == 0  # reset on success
    assert (await services.hasher.verify(user.password_hash, GOOD_PASSWORD)).ok


async def test_the_page_refuses_forged_and_incomplete_requests(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    form = await register(live)
    (mail,) = await delivered(smtp, form["email"])
    incomplete = await live.client.get("/activate")
    assert incomplete.status_code == 400 and "incomplete" in incomplete.text
    # Without the page's CSRF token (and session) nothing is tried.
    forged = await live.client.post(
        "/activate",
        data={
            "token": mail.activation_token,
            "code": mail.activation_code,
            "password": GOOD_PASSWORD,
        },
    )
    assert forged.status_code == 403
    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == form["email"]))).one()
    assert user.status is UserStatus.PENDING


async def test_code_and_password_alone_activate(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    """A client that knows only the contract's inputs (`code`, `password`) fills those two and
    presses the button: the repeat field left empty (a browser) or absent (a script) is no
    error — it guards people's typos only when they use it."""
    for omit in (False, True):
        form = await register(live)
        (mail,) = await delivered(smtp, form["email"])
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            page = await _open(http, f"/activate?token={mail.activation_token}")
            activate_form = page.form("/activate")
            data = {
                **activate_form.fields,
                "code": mail.activation_code,
                "password": GOOD_PASSWORD,
            }
            if omit:
                data.pop("password_confirmation", None)
            else:
                assert data["password_confirmation"] == ""
            done = await http.post(activate_form.action, data=data)
            assert done.status_code == 303 and done.headers["location"] == "/login", done.text
            login = await _follow(http, done)
            assert "Your account is verified successfully." in login.text
        async with services.db.read_session() as session:
            user = (await session.scalars(select(User).where(User.email == form["email"]))).one()
        assert user.status is UserStatus.ACTIVE


async def test_an_invitee_names_themselves_on_the_page(
    live: LiveServer, services: Services
) -> None:
    """An account an invitation made has no name (the inviter does not choose it): the page's
    optional name fields set it."""
    inviter = await create_actor(services)
    email = unique_email("page-invitee")
    invited = await mutate(live, inviter, INVITE, email=email, role="USER", firstName="Mallory")
    assert invited["userErrors"] == []
    mail = (await outbox_mails(live, email))[-1]
    token, code = activation_link(mail.text)
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        page = await _open(http, f"{live.url}/activate?token={token}")
        assert {"first_name", "last_name"} <= set(page.form("/activate").input_names())
        await _submit(
            http, page, code=code, password=GOOD_PASSWORD, first_name="Nora", last_name="Named"
        )
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
    assert user is not None and user.status is UserStatus.ACTIVE
    assert (user.first_name, user.last_name) == ("Nora", "Named")
