"""One request serves one page: every GET page of the console asks the API exactly one GraphQL
request (its frame included), as a customer's Super Admin, a USER, an assigned technician, a
partner and an internal admin — refused pages (403) and missing objects (404) too.

Counted from outside, in the API's own access log: the console hands the person's
``X-Request-Id`` to its in-process API calls, so each ``POST /graphql`` line names the page
view that caused it. Every GET route must be visited here (a new page fails until it is)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable

import pytest
import pytest_asyncio
from sqlalchemy import select
from starlette.routing import Route

from console.routes import console_routes
from db.models import PartnerRequest, StepPartnerCode
from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import JOIN_PARTNER, partner_form
from tests.factories import (
    DEFAULT_PASSWORD,
    Actor,
    create_actor,
    create_device,
    create_license,
    create_step_code,
)
from tests.identity.oidc import Browser
from tests.partners.support import create_partner, map_directly
from tests.scim.support import create_token as create_scim_token
from tests.service_accounts.support import create_service_account
from tests.sso.support import CLAIM as SSO_CLAIM
from tests.sso.support import CONFIGURE as SSO_CONFIGURE
from tests.support.gql import payload_for
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.webauthn import give_passkey
from tests.webhooks.factories import add_endpoint


class Console:
    """A person in the console over plain HTTP (cookies, redirects), counting API requests."""

    def __init__(self, live: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
        self.browser = Browser(live.url)
        self.caplog = caplog

    async def sign_in(self, email: str) -> None:
        login = await self.browser.navigate("GET", "/")
        home = await self.browser.login(login, email, DEFAULT_PASSWORD)
        assert home.status_code == 200, home.text[:500]

    async def requests_for(self, path: str) -> tuple[int, int]:
        """(status, GraphQL requests) of one page view."""
        request_id = uuid.uuid4().hex
        response = await self.browser.http.get(path, headers={"X-Request-Id": request_id})
        calls = [
            r
            for r in self.caplog.records
            if r.name == "portal.access"
            and r.fields["path"] == "/graphql"  # type: ignore[attr-defined]
            and r.fields["request_id"] == request_id  # type: ignore[attr-defined]
        ]
        return response.status_code, len(calls)

    async def post_form(self, page_path: str, action: str, values: dict[str, str]) -> None:
        page = parse_page((await self.browser.http.get(page_path)).text)
        response = await self.browser.submit(page, action, values)
        assert response.status_code == 200, response.text[:300]


async def assert_one_request_each(console: Console, pages: Iterable[tuple[str, int]]) -> None:
    pages = list(pages)
    seen = {path: await console.requests_for(path) for path, _ in pages}
    assert seen == {path: (status, 1) for path, status in pages}


OpenConsole = Callable[[], Console]


@pytest_asyncio.fixture(loop_scope="session")
async def console(live: LiveServer, caplog: pytest.LogCaptureFixture) -> AsyncIterator[OpenConsole]:
    """``console()``: a fresh cookie jar (a person's browser), closed after the test."""
    caplog.set_level(logging.INFO, logger="portal.access")
    opened: list[Console] = []

    def open_console() -> Console:
        opened.append(Console(live, caplog))
        return opened[-1]

    yield open_console
    for one in opened:
        await one.browser.close()


INVITE = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id } userErrors { code } }
}
"""


async def _customer_world(live: LiveServer, services: Services) -> tuple[Actor, dict[str, str]]:
    owner = await create_actor(services, with_password=True)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    user = await create_actor(
        services, role=Role.USER, organization=owner.organization, with_password=True
    )
    async with services.db.unit_of_work() as session:
        device = await create_device(session, owner.organization, name="Gate camera")
        await create_license(session, organization=owner.organization)
    endpoint, _ = await add_endpoint(
        services, owner.organization.id, "http://127.0.0.1:9/hook", ["device.removed"]
    )
    invited = await live.graphql(
        INVITE,
        {"input": {"email": f"new-{uuid.uuid4().hex[:8]}@example.test", "role": "USER"}},
        headers=owner.headers,
    )
    # A live SCIM token: its replacement and revocation pages have something to confirm.
    await create_scim_token(live, owner)
    ids = {
        "passkey": await give_passkey(services, owner, "Laptop"),
        "invitation": invited["data"]["inviteMember"]["invitation"]["id"],
        "device": str(device.id),
        "location": str(device.location_id),
        "area": str(device.area_id),
        "admin": str(admin.user.id),
        "user": str(user.user.id),
        "user_email": user.user.email,
        "webhook": str(endpoint),
    }
    return owner, ids


def customer_pages(ids: dict[str, str], role: Role) -> list[tuple[str, int]]:
    """The customer's pages and what ``role`` gets there: the forms that change data are
    refused to a User, the Super Admin's own ones to everyone else, the audit log to Users and
    technicians (the API refuses it; the console answers 403 with the page's own frame)."""
    managed = 403 if role is Role.USER else 200
    only_super = 200 if role is Role.SUPER_ADMIN else 403
    auditor = 200 if role in {Role.SUPER_ADMIN, Role.ADMIN} else 403
    device, location, area = ids["device"], ids["location"], ids["area"]
    webhook = f"/settings/webhooks/{ids['webhook']}"
    return [
        ("/", 200),
        ("/devices", 200),
        (f"/devices?q=gate&status=ONLINE&location={location}", 200),
        ("/devices?size=100", 200),  # the largest page stays within the API's cost limit
        ("/devices/new", managed),
        (f"/devices/{device}", 200),
        (f"/devices/{device}/remove", managed),
        (f"/devices/{uuid.uuid4()}", 404),
        ("/locations", 200),
        ("/locations/new", managed),
        (f"/locations/{location}", 200),
        (f"/locations/{location}/delete", managed),
        (f"/locations/{location}/areas/{area}/delete", managed),
        (f"/locations/{uuid.uuid4()}", 404),
        ("/users", 200),
        ("/users/invite", managed),
        (f"/invitations/{ids['invitation']}/cancel", managed),
        (f"/users/{ids['user']}/remove", managed),
        (f"/users/{ids['admin']}/transfer", only_super),
        ("/licenses", 200),
        ("/licenses?status=EXPIRED", 200),
        ("/licenses/add", managed),
        ("/partner", 200),
        ("/audit-log", auditor),
        ("/audit-log?action=device.registered&since=2026-01-01&until=2026-12-31", auditor),
        ("/account", 200),
        ("/settings", 200),
        ("/settings/delete", only_super),
        # Webhooks are the Super Admin's and Admins' (a refused list or log keeps the frame).
        ("/settings/webhooks", auditor),
        ("/settings/webhooks/new", auditor),
        (webhook, auditor),
        (f"{webhook}/rotate", auditor),
        (f"{webhook}/delete", auditor),
        (f"/settings/webhooks/{uuid.uuid4()}", 404 if auditor == 200 else 403),
        ("/settings/provisioning", only_super),
        ("/settings/provisioning/new", only_super),
        ("/settings/provisioning/revoke", only_super),
    ]


def own_passkey_pages(ids: dict[str, str]) -> list[tuple[str, int]]:
    """The Super Admin's own passkey's removal (another person's passkey is not theirs)."""
    return [(f"/account/passkeys/{ids['passkey']}/remove", 200)]


PARTNER_END = "/partner/{}/end"
TWO_FACTOR_SETUP = "/account/two-factor"
PASSKEY_NEW = "/account/passkeys/new"
PARTNER_PAGES = [
    ("/", 200),
    ("/?q=clinic", 200),
    ("/users", 200),
    ("/settings", 200),
    ("/account", 200),
    ("/customers/new", 200),
    ("/customers/invitations", 200),
]


def customer_of_partner_pages(customer_id: str, technician_id: str) -> list[tuple[str, int]]:
    """A partner admin's pages about one customer (its grant, its technicians)."""
    return [
        (f"/customers/{customer_id}", 200),
        (f"/customers/{customer_id}/technicians/{technician_id}/unassign", 200),
        (f"/customers/{uuid.uuid4()}", 404),
    ]


def service_account_pages(account_id: str) -> list[tuple[str, int]]:
    """Settings → Service accounts, as the Super Admin sees them (a User is refused by the API's
    root field, which leaves no frame in the answer: that 403 reads the frame again)."""
    home = "/settings/service-accounts"
    return [
        (home, 200),
        (f"{home}/new", 200),
        (f"{home}/{account_id}/rotate", 200),
        (f"{home}/{account_id}/revoke", 200),
        (f"{home}/{uuid.uuid4()}/revoke", 404),
    ]


def single_sign_on_pages(domain_id: str) -> list[tuple[str, int]]:
    """Settings → Single sign-on, as the Super Admin sees it (anyone else is refused by the API's
    root field, which leaves no frame in the answer: that 403 reads the frame again)."""
    home = "/settings/single-sign-on"
    return [
        (home, 200),
        (f"{home}/domains/{domain_id}/remove", 200),
        (f"{home}/domains/{uuid.uuid4()}/remove", 404),
        (f"{home}/remove", 200),
    ]


async def _single_sign_on(live: LiveServer, owner: Actor) -> str:
    """A claimed domain and a connection (to the portal itself): the id of the domain."""
    claimed = await payload_for(live, owner, SSO_CLAIM, {"input": {"domain": "sso-pages.example"}})
    body = {"issuer": live.settings.issuer, "clientId": "portal", "clientSecret": "s3cret"}
    configured = await payload_for(live, owner, SSO_CONFIGURE, {"input": body})
    assert configured["userErrors"] == [], configured
    domain_id: str = claimed["domain"]["id"]
    return domain_id


def admin_pages(ids: dict[str, str]) -> list[tuple[str, int]]:
    organization, code_id, code = ids["organization"], ids["step_code_id"], ids["step_code"]
    return [
        ("/", 200),
        (f"/partner-requests/{ids['request']}/reject", 200),
        ("/organizations", 200),
        ("/organizations?q=a&type=CUSTOMER&status=ACTIVE", 200),
        (f"/organizations/{organization}", 200),
        (f"/organizations/{uuid.uuid4()}", 404),
        (f"/organizations/{organization}/suspend", 200),
        (f"/organizations/{organization}/reactivate", 200),
        ("/step-codes", 200),
        ("/step-codes?q=a&status=ACTIVE", 200),
        (f"/step-codes/{code_id}/revoke?code={code}", 200),
        (f"/step-codes/{code_id}/revoke", 200),
        ("/license-keys", 200),
        ("/audit-log/all", 200),
        (f"/audit-log/all?organization={organization}&action=x&from=2026-01-01&to=2026-12-31", 200),
        ("/audit-log/all?from=not-a-date", 200),  # the filter's error: the frame alone
        ("/account", 200),  # with the admin's own notifications panel
    ]


async def test_every_customer_page_is_one_request(
    live: LiveServer, services: Services, console: OpenConsole
) -> None:
    owner, ids = await _customer_world(live, services)
    partner, _ = await create_partner(services)
    mapping = await map_directly(services, partner.organization, owner.organization)
    person = console()
    await person.sign_in(owner.user.email)
    pages = customer_pages(ids, Role.SUPER_ADMIN)
    await assert_one_request_each(
        person, [*pages, *own_passkey_pages(ids), (PARTNER_END.format(mapping), 200)]
    )
    machine = await create_service_account(live, owner, name="Door sync")
    await assert_one_request_each(person, service_account_pages(machine.id))
    await assert_one_request_each(person, single_sign_on_pages(await _single_sign_on(live, owner)))

    # The two-factor set-up page (shown while an enrollment waits for its first code), and the
    # passkey one (while a registration waits for the browser's credential).
    await person.post_form("/account", "/account/two-factor", {"totpPassword": DEFAULT_PASSWORD})
    await person.post_form("/account", PASSKEY_NEW, {})
    await assert_one_request_each(person, [(TWO_FACTOR_SETUP, 200), (PASSKEY_NEW, 200)])

    # A USER sees the same pages and is refused the forms, still in one request each.
    reader = console()
    await reader.sign_in(ids["user_email"])
    pages = customer_pages(ids, Role.USER)
    await assert_one_request_each(reader, [*pages, (PARTNER_END.format(mapping), 403)])


async def test_every_partner_and_technician_page_is_one_request(
    live: LiveServer, services: Services, console: OpenConsole
) -> None:
    partner, _ = await create_partner(services, with_password=True)
    technician = await create_actor(
        services, role=Role.USER, organization=partner.organization, with_password=True
    )
    customer, ids = await _customer_world(live, services)
    await map_directly(
        services, partner.organization, customer.organization, technicians=(technician.user.id,)
    )
    person = console()
    await person.sign_in(partner.user.email)
    customer_id, technician_id = str(customer.organization.id), str(technician.user.id)
    await assert_one_request_each(
        person, [*PARTNER_PAGES, *customer_of_partner_pages(customer_id, technician_id)]
    )

    # The technician: the partner home, then (switched) the customer's pages, where the device
    # and location pages answering 200 shows the switch took.
    helper = console()
    await helper.sign_in(technician.user.email)
    # A partner USER is refused the admins' pages (the invitations' query itself is refused: the
    # frame comes with the refusal).
    await assert_one_request_each(
        helper,
        [
            ("/", 200),
            ("/account", 200),
            ("/customers/new", 403),
            ("/customers/invitations", 403),
            (f"/customers/{customer_id}", 403),
        ],
    )
    switched = await helper.browser.http.get("/account")
    form = parse_page(switched.text).form("/console/organization")
    await helper.browser.navigate(
        "POST",
        "/console/organization",
        data={**form.fields, "organization": str(customer.organization.id)},
    )
    pages = customer_pages(ids, Role.TECHNICIAN)
    await assert_one_request_each(helper, pages)


async def test_every_internal_admin_page_is_one_request(
    live: LiveServer, services: Services, console: OpenConsole
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN, with_password=True)
    customer = await create_actor(services)
    await payload_for(
        live, None, JOIN_PARTNER, {"input": partner_form(await create_step_code(services))}
    )
    code = await create_step_code(services)
    async with services.db.read_session() as session:
        request_id = await session.scalar(
            select(PartnerRequest.id).order_by(PartnerRequest.id.desc())
        )
        code_id = await session.scalar(
            select(StepPartnerCode.id).where(StepPartnerCode.code == code)
        )
    ids = {
        "request": str(request_id),
        "organization": str(customer.organization.id),
        "step_code_id": str(code_id),
        "step_code": code,
    }
    person = console()
    await person.sign_in(admin.user.email)
    await assert_one_request_each(person, admin_pages(ids))


def test_every_get_page_is_counted_here() -> None:
    """The pages the tests above visit cover every GET route of the console."""
    some = str(uuid.uuid4())
    ids = dict.fromkeys(
        ("device", "location", "area", "admin", "user", "invitation", "passkey", "webhook"), some
    )
    visited = [
        path.split("?", 1)[0]
        for path, _ in [
            *customer_pages(ids, Role.SUPER_ADMIN),
            *own_passkey_pages(ids),
            *PARTNER_PAGES,
            *admin_pages(
                {"request": some, "organization": some, "step_code_id": some, "step_code": "X"}
            ),
            *service_account_pages(some),
            *single_sign_on_pages(some),
            *customer_of_partner_pages(some, some),
            (PARTNER_END.format(some), 200),
            (TWO_FACTOR_SETUP, 200),
            (PASSKEY_NEW, 200),
        ]
    ]
    missing = [
        route.path
        for route in console_routes()
        if isinstance(route, Route)
        and "GET" in (route.methods or ())
        and not route.path.startswith("/console/")
        and not any(route.path_regex.match(path) for path in visited)
    ]
    assert not missing, f"GET pages without a one-request check here: {missing}"
