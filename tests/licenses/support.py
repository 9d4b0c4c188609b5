"""GraphQL documents and small helpers shared by the licenses tests."""

from __future__ import annotations

from typing import Any

from tests.factories import Actor
from tests.support.server import LiveServer

LICENSE_FIELDS = """
fragment LicenseFields on License {
  id keyHint termDays seats seatsUsed seatsAvailable status
  issuedAt redeemedAt activatedAt expiresAt
  product { key name }
  organization { id }
}
"""

ISSUE = (
    """
mutation($input: IssueLicenseKeysInput!) {
  issueLicenseKeys(input: $input) {
    licenseKeys { key license { ...LicenseFields } }
    userErrors { field message code }
  }
}
"""
    + LICENSE_FIELDS
)

REDEEM = (
    """
mutation($input: RedeemLicenseKeyInput!) {
  redeemLicenseKey(input: $input) {
    license { ...LicenseFields }
    userErrors { field message code }
  }
}
"""
    + LICENSE_FIELDS
)

ATTACH = (
    """
mutation($input: AttachLicenseInput!) {
  attachLicense(input: $input) {
    license { ...LicenseFields }
    userErrors { field message code }
  }
}
"""
    + LICENSE_FIELDS
)

DETACH = (
    """
mutation($input: DetachLicenseInput!) {
  detachLicense(input: $input) {
    license { ...LicenseFields }
    userErrors { field message code }
  }
}
"""
    + LICENSE_FIELDS
)

LICENSES = (
    """
query($org: ID, $status: LicenseStatus, $product: String, $first: Int, $after: String) {
  licenses(organizationId: $org, status: $status, productKey: $product, first: $first,
           after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...LicenseFields } }
  }
}
"""
    + LICENSE_FIELDS
)

LICENSE = "query($id: ID!) { license(id: $id) { ...LicenseFields } }" + LICENSE_FIELDS

SUMMARY = """
query($org: ID) {
  licenseSummary(organizationId: $org) { total available inUse expiringSoon expired }
}
"""

APP_TILES = """
query($org: ID) { appTiles(organizationId: $org) { key name description link icon unlocked } }
"""


async def call(
    live: LiveServer, actor: Actor, document: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    return await live.graphql(document, variables, headers=actor.headers)


async def mutate(live: LiveServer, actor: Actor, document: str, **input: Any) -> dict[str, Any]:
    """The mutation's payload (asserting there was no GraphQL error)."""
    body = await call(live, actor, document, {"input": input})
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def error_code(body: dict[str, Any]) -> str:
    """The ``extensions.code`` of a request refused with a GraphQL error."""
    assert body.get("errors"), body
    code: str = body["errors"][0]["extensions"]["code"]
    return code
