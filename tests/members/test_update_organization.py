"""``updateOrganization``: the Super Admin and Admins change name, address and phone."""

from __future__ import annotations

from domain.enums import Role
from runtime import Services
from tests.console.support import customer
from tests.members.support import audit_count
from tests.support.server import LiveServer

UPDATE = """
mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    organization { name address phone }
    userErrors { code field }
  }
}
"""


async def test_admins_edit_the_details_and_users_may_not(
    live: LiveServer, services: Services
) -> None:
    owner = await customer(services)
    admin = await customer(services, role=Role.ADMIN, organization=owner.organization)
    user = await customer(services, role=Role.USER, organization=owner.organization)
    body = await live.graphql(
        UPDATE,
        {"input": {"name": " Acme ", "address": "Kai 1\r\nHamburg", "phone": "+49 40 123456"}},
        headers=admin.headers,
    )
    assert body["data"]["updateOrganization"] == {
        "organization": {"name": "Acme", "address": "Kai 1\nHamburg", "phone": "+49 40 123456"},
        "userErrors": [],
    }
    # Left out stays, empty clears, a refused field changes nothing.
    body = await live.graphql(UPDATE, {"input": {"phone": "", "name": ""}}, headers=owner.headers)
    assert body["data"]["updateOrganization"]["userErrors"] == [
        {"code": "REQUIRED", "field": ["input", "name"]}
    ]
    body = await live.graphql(UPDATE, {"input": {"phone": ""}}, headers=owner.headers)
    assert body["data"]["updateOrganization"]["organization"] == {
        "name": "Acme",
        "address": "Kai 1\nHamburg",
        "phone": None,
    }
    assert await audit_count(services, "organization.updated") == 2
    refused = await live.graphql(UPDATE, {"input": {"name": "Mine"}}, headers=user.headers)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
