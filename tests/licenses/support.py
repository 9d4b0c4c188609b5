"""GraphQL documents and small helpers shared by the licenses tests."""

from __future__ import annotations

from typing import Any

from tests.factories import Actor
from tests.support.gql import call
from tests.support.server import LiveServer
from tests.support.sql import count_statements

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


async def statements_for(
    live: LiveServer, actor: Actor, document: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """How many SQL statements one request sends, and its body (which must have no errors)."""
    with count_statements(live.services.db.engine) as statements:
        body = await call(live, actor, document, variables)
    assert "errors" not in body, body
    return len(statements), body
