"""What the account tests share: the GraphQL documents, forms, and reading the emails."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import OutboxMessage
from tests.support.gql import USER_ERRORS, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

CREATE_CUSTOMER = f"""
mutation($input: CreateCustomerOrganizationInput!) {{
  createCustomerOrganization(input: $input) {{ accepted {USER_ERRORS} }}
}}
"""
JOIN_PARTNER = f"""
mutation($input: JoinAsStepPartnerInput!) {{
  joinAsStepPartner(input: $input) {{ accepted {USER_ERRORS} }}
}}
"""
RESEND = f"""
mutation($email: String!) {{ resendActivation(email: $email) {{ accepted {USER_ERRORS} }} }}
"""
ACTIVATE = f"""
mutation($input: ActivateAccountInput!) {{
  activateAccount(input: $input) {{ activated message {USER_ERRORS} }}
}}
"""
PARTNER_REQUEST_FIELDS = """
  id status stepPartnerCode contactEmail companyName country address phone
  contactFirstName contactLastName createdAt reviewedAt reason
  organization { id type status name }
"""
PARTNER_REQUESTS = f"""
query($status: PartnerRequestStatus, $first: Int, $after: String) {{
  partnerRequests(status: $status, first: $first, after: $after) {{
    edges {{ cursor node {{ {PARTNER_REQUEST_FIELDS} }} }}
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
  }}
}}
"""
APPROVE = f"""
mutation($id: ID!) {{
  approvePartnerRequest(id: $id) {{ partnerRequest {{ {PARTNER_REQUEST_FIELDS} }} {USER_ERRORS} }}
}}
"""
REJECT = f"""
mutation($id: ID!, $reason: String!) {{
  rejectPartnerRequest(id: $id, reason: $reason) {{
    partnerRequest {{ {PARTNER_REQUEST_FIELDS} }} {USER_ERRORS}
  }}
}}
"""

GOOD_PASSWORD = "violet rivers hum beneath 7 moons"


def unique_email(prefix: str = "signup") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def customer_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "organizationName": "Acme Surveillance GmbH",
        "country": "DE",
        "address": "Hauptstraße 1, 10115 Berlin",
        "phone": "+49 30 1234567",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": unique_email(),
        "acceptTermsOfService": True,
        "acceptPrivacyPolicy": True,
    }
    form.update(overrides)
    return form


def partner_form(code: str, **overrides: Any) -> dict[str, Any]:
    form = customer_form()
    form["companyName"] = form.pop("organizationName")
    form["stepPartnerCode"] = code
    form.update(overrides)
    return form


@dataclass
class Mail:
    recipient: str
    subject: str
    text: str
    html: str
    template: str

    @property
    def activation_token(self) -> str:
        match = re.search(r"/activate\?token=([A-Za-z0-9_\-]+)", self.text)
        assert match, self.text
        return match.group(1)

    @property
    def activation_code(self) -> str:
        match = re.search(r"^Activation code: ([A-Z0-9]+)\r?$", self.text, re.M)
        assert match, self.text
        return match.group(1)


async def outbox_mails(live: LiveServer, recipient: str) -> list[Mail]:
    """The mail queued for ``recipient``, oldest first."""
    async with live.services.db.read_session() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == recipient)
                .order_by(OutboxMessage.id)
            )
        ).all()
    return [Mail(r.recipient, r.subject, r.text_body, r.html_body, r.template) for r in rows]


async def delivered(smtp: SmtpSink, recipient: str, count: int = 1) -> list[Mail]:
    """The first ``count`` mails the real SMTP server received for ``recipient`` (waits)."""
    received = await smtp.wait_for(recipient, count)
    assert len(received) == count, [m.subject for m in received]
    return [Mail(recipient, m.subject, m.text, m.html, template="") for m in received]


async def register(live: LiveServer, **overrides: Any) -> dict[str, Any]:
    form = customer_form(**overrides)
    payload = await payload_for(live, None, CREATE_CUSTOMER, {"input": form})
    assert payload == {"accepted": True, "userErrors": []}, payload
    return form


async def activate(
    live: LiveServer, token: str, code: str, password: str = GOOD_PASSWORD
) -> dict[str, Any]:
    result: dict[str, Any] = await payload_for(
        live, None, ACTIVATE, {"input": {"token": token, "code": code, "newPassword": password}}
    )
    return result


LANDING = """
query($first: Int, $after: String, $search: String) {
  landing {
    __typename
    ... on CustomerLanding {
      organization { id name type }
      appTiles { key name unlocked }
      menu { key label }
    }
    ... on PartnerLanding {
      organization { id name type }
      customers(first: $first, after: $after, search: $search) {
        edges { cursor node { id name country mappedAt organization { id type } } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
    ... on AdminLanding {
      pendingPartnerRequests(first: $first, after: $after) {
        edges { node { status contactEmail stepPartnerCode } }
        pageInfo { hasNextPage }
      }
    }
  }
}
"""


async def landing(live: LiveServer, token: str, **variables: Any) -> dict[str, Any]:
    """The signed-in user's landing (customer, partner or internal admin)."""
    body = await live.graphql(LANDING, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["landing"]
    return result
