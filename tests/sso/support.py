"""GraphQL documents of the single-sign-on tests."""

from __future__ import annotations

CLAIM = """
mutation($input: ClaimDomainInput!) {
  claimDomain(input: $input) {
    domain { id name verified txtRecordName txtRecordValue }
    userErrors { field message code }
  }
}
"""
VERIFY = """
mutation($id: ID!) {
  verifyDomain(id: $id) { domain { id name verified } userErrors { field message code } }
}
"""
DOMAINS = "query($org: ID) { singleSignOn(organizationId: $org) { domains { name verified } } }"
CONFIGURE = """
mutation($input: ConfigureSingleSignOnInput!) {
  configureSingleSignOn(input: $input) {
    connection { id issuer clientId groupsClaim groupRoles { group role } enforced }
    userErrors { field message code }
  }
}
"""
CONNECTION = """
query($org: ID) {
  singleSignOn(organizationId: $org) { redirectUri connection { id issuer clientId enforced } }
}
"""
REMOVE_DOMAIN = """
mutation($id: ID!) {
  removeDomain(id: $id) { removedDomainId userErrors { field message code } }
}
"""
REMOVE_SSO = """
mutation($org: ID) {
  removeSingleSignOn(organizationId: $org) { removedConnectionId userErrors { field message code } }
}
"""
TEST_SSO = """
mutation($org: ID) {
  testSingleSignOn(organizationId: $org) {
    checks { code name passed explanation }
    userErrors { field message code }
  }
}
"""
