"""Documents and helpers of the internal admin console tests."""

from __future__ import annotations

from tests.support.gql import USER_ERRORS

ORGANIZATION_FIELDS = """
  id type status name country createdAt activatedAt suspendedAt suspendedReason
  memberCount locationCount customerCount
  superAdmin { email }
  deviceCounts { total pending online offline }
  licenseSummary { total available inUse expiringSoon expired }
  stepPartnerCode { id code status }
  organization { id name type }
"""
ORGANIZATIONS = f"""
query($search: String, $type: OrganizationType, $status: OrganizationStatus,
      $first: Int, $after: String) {{
  organizations(search: $search, type: $type, status: $status, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage endCursor }}
    edges {{ cursor node {{ {ORGANIZATION_FIELDS} }} }}
  }}
}}
"""
ORGANIZATION = f"""
query($id: ID!) {{
  organization(id: $id) {{
    {ORGANIZATION_FIELDS}
    members(first: 10) {{
      totalCount
      edges {{ node {{ role status user {{ email }} }} }}
      pageInfo {{ hasNextPage }}
    }}
    partnerMappings(first: 10) {{
      totalCount
      edges {{ node {{ id status partner {{ id name }} customer {{ id name }} }} }}
    }}
  }}
}}
"""
SUSPEND = f"""
mutation($input: SuspendOrganizationInput!) {{
  suspendOrganization(input: $input) {{
    organization {{ id status suspendedAt suspendedReason }}
    {USER_ERRORS}
  }}
}}
"""
REACTIVATE = f"""
mutation($input: ReactivateOrganizationInput!) {{
  reactivateOrganization(input: $input) {{
    organization {{ id status suspendedAt suspendedReason }}
    {USER_ERRORS}
  }}
}}
"""
STEP_CODES = """
query($search: String, $status: StepCodeStatus, $first: Int, $after: String) {
  stepPartnerCodes(search: $search, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id code company status organization { id name } } }
  }
}
"""
ADD_CODES = f"""
mutation($input: AddStepPartnerCodesInput!) {{
  addStepPartnerCodes(input: $input) {{
    stepPartnerCodes {{ id code company status organization {{ id }} }}
    {USER_ERRORS}
  }}
}}
"""
REVOKE_CODE = f"""
mutation($input: RevokeStepPartnerCodeInput!) {{
  revokeStepPartnerCode(input: $input) {{
    stepPartnerCode {{ id code status }}
    {USER_ERRORS}
  }}
}}
"""
