"""The self-service pages over plain HTTP: what each form holds, its headers, POST-redirect-GET,
CSRF, the same answer for known and unknown emails, consent versions, the shared rate limits."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from db.models import ConsentRecord, Organization, User
from domain.accounts.validation import country_choices
from domain.enums import OrganizationStatus, UserStatus
from runtime import Services
from settings import Settings
from tests.accounts.journeys import unique_email
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

PAGES = [
    "/register",
    "/partner/join",
    "/check-email",
    "/activate/resend",
    "/legal/terms",
    "/legal/privacy",
]


class _Controls(HTMLParser):
    """Every form control, every label's ``for``, every element id, and the select's options."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag in {"input", "select", "textarea"} and a.get("type") != "hidden":
            self.controls.append({"tag": tag, **a})
        elif tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        elif tag == "option" and a.get("value"):
            self.options.append(a["value"])


def controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def form_data(html: str, action: str, **values: Any) -> dict[str, str]:
    """The form's hidden fields plus ``values`` (``None`` leaves a field out, as an unticked box)."""
    hidden = {k: v for k, v in parse_page(html).form(action).fields.items() if k == "csrf_token"}
    return {**hidden, **{k: v for k, v in values.items() if v is not None}}


def customer(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organizationName": "Harbor Storage AB",
        "country": "SE",
        "address": "Kungsgatan 1, Stockholm",
        "phone": "+46 8 123 456",
        "firstName": "Greta",
        "lastName": "Lind",
        "email": unique_email("pages"),
        "acceptTermsOfService": "yes",
        "acceptPrivacyPolicy": "yes",
    }
    values.update(overrides)
    return values


@pytest.fixture
async def http(live: LiveServer) -> Any:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        yield client


async def post_form(http: httpx.AsyncClient, path: str, **values: Any) -> httpx.Response:
    page = await http.get(path)
    return await http.post(path, data=form_data(page.text, path, **values))


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_is_labelled_scriptless_and_sends_the_headers(
    live: LiveServer, path: str
) -> None:
    response = await live.client.get(path)
    assert response.status_code == 200
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "<script" not in response.text and not re.search(r"\son[a-z]+\s*=", response.text)
    found = controls(response.text)
    for control in found.controls:
        assert control.get("id") in found.label_for, control  # a visible <label for=…>
    # Every asset and link stays on the portal (no CDN).
    for url in re.findall(r'(?:href|src)="([^"]+)"', response.text):
        assert url.startswith(("/", "#")), url


async def test_the_registration_form_holds_the_seeds_fields(live: LiveServer) -> None:
    page = await live.client.get("/register")
    names = [c["name"] for c in controls(page.text).controls]
    assert names == [
        "organizationName",
        "country",
        "phone",
        "address",
        "firstName",
        "lastName",
        "email",
        "acceptTermsOfService",
        "acceptPrivacyPolicy",
    ]
    assert controls(page.text).options == [code for code, _ in country_choices()]
    links = dict((text, href) for text, href in parse_page(page.text).links)
    assert links["Terms of Service"] == "/legal/terms"
    assert links["Privacy Policy and Agreement"] == "/legal/privacy"
    partner = await live.client.get("/partner/join")
    partner_names = [c["name"] for c in controls(partner.text).controls]
    assert partner_names[:2] == ["stepPartnerCode", "companyName"]


async def test_a_valid_form_creates_the_organization_and_records_the_versions_shown(
    live: LiveServer, http: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    values = customer()
    response = await post_form(http, "/register", **values)
    assert response.status_code == 303 and response.headers["location"] == "/check-email"
    sent = await http.get("/check-email")
    assert values["email"] in sent.text and "Activate Account" in sent.text
    # The flash is used once: a reload says something true without the address.
    assert values["email"] not in (await http.get("/check-email")).text

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == values["email"]))).one()
        organization = (
            await session.scalars(
                select(Organization).where(Organization.name == values["organizationName"])
            )
        ).one()
        consents = (
            await session.scalars(select(ConsentRecord).where(ConsentRecord.user_id == user.id))
        ).all()
    assert user.status is UserStatus.PENDING
    assert organization.status is OrganizationStatus.PENDING and organization.country == "SE"
    versions = {c.document.value.lower(): c.version for c in consents}
    assert len(versions) == 2
    terms = await live.client.get("/legal/terms")
    privacy = await live.client.get("/legal/privacy")
    assert f"Version {settings.terms_of_service_version}" in terms.text
    assert f"Version {settings.privacy_policy_version}" in privacy.text
    assert sorted(versions.values()) == sorted(
        [settings.terms_of_service_version, settings.privacy_policy_version]
    )


async def test_known_and_unknown_emails_get_the_same_pages(
    live: LiveServer, http: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    email = unique_email("twice")
    answers = []
    for _ in range(2):  # the second time the address is known (and pending)
        response = await post_form(http, "/register", **customer(email=email))
        page = await http.get(response.headers["location"])
        answers.append((response.status_code, response.headers["location"], page.text))
    assert answers[0][:2] == answers[1][:2] == (303, "/check-email")
    assert answers[0][2] == answers[1][2]
    resend = await post_form(http, "/activate/resend", email=email)
    unknown = await post_form(http, "/activate/resend", email=unique_email("nobody"))
    assert resend.headers["location"] == unknown.headers["location"] == "/check-email"


async def test_errors_come_back_next_to_their_fields_with_the_typed_values(
    http: httpx.AsyncClient,
) -> None:
    values = customer(email="not an email", country="XX", acceptPrivacyPolicy=None)
    response = await post_form(http, "/register", **values)
    assert response.status_code == 303 and response.headers["location"] == "/register"
    page = (await http.get("/register")).text
    found = controls(page)
    by_name = {c["name"]: c for c in found.controls}
    for name in ("email", "country", "acceptPrivacyPolicy"):
        control = by_name[name]
        assert control.get("aria-invalid") == "true", name
        error_id = f"{name}-error"
        assert error_id in control["aria-describedby"].split() and error_id in found.ids
    assert "aria-invalid" not in by_name["organizationName"]
    assert by_name["organizationName"]["value"] == values["organizationName"]
    assert by_name["email"]["value"] == "not an email"
    assert "checked" in by_name["acceptTermsOfService"]
    assert "checked" not in by_name["acceptPrivacyPolicy"]
    assert "Accept the privacy policy and agreement to continue." in page


async def test_a_form_without_its_csrf_token_does_nothing(
    live: LiveServer, services: Services
) -> None:
    values = customer()
    response = await live.client.post("/register", data=values)
    assert response.status_code == 403
    async with services.db.read_session() as session:
        assert (
            await session.scalars(select(User).where(User.email == values["email"]))
        ).first() is None


@pytest.mark.parametrize("settings_overrides", [{"rate_limit_registration": "1/hour"}])
async def test_the_pages_share_the_mutations_rate_limits(http: httpx.AsyncClient) -> None:
    email = unique_email("limited")
    first = await post_form(http, "/register", **customer(email=email))
    assert first.headers["location"] == "/check-email"
    second = await post_form(http, "/register", **customer(email=email))
    assert second.headers["location"] == "/register"
    page = (await http.get("/register")).text
    assert "Too many attempts" in page and email in page
