"""The GraphQL documents the location tests send."""

LOCATION_FIELDS = "id name timeZone address isDefault"

LOCATIONS = f"""
query($org: ID, $first: Int = 20, $after: String) {{
  locations(organizationId: $org, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ {LOCATION_FIELDS}
      areas(first: 10) {{ totalCount edges {{ node {{ id name isDefault }} }} }} }} }}
  }}
}}
"""

LOCATION = f"""
query($id: ID!) {{ location(id: $id) {{ {LOCATION_FIELDS}
  areas(first: 20) {{ edges {{ node {{ id name isDefault location {{ id }} }} }} }}
  deviceCounts {{ total pending online offline }} }} }}
"""

AREA = """
query($id: ID!) { area(id: $id) { id name isDefault location { id name } deviceCounts { total } } }
"""

CREATE_LOCATION = f"""
mutation($input: CreateLocationInput!) {{
  createLocation(input: $input) {{ location {{ {LOCATION_FIELDS} }} userErrors {{ field message code }} }}
}}
"""

UPDATE_LOCATION = f"""
mutation($input: UpdateLocationInput!) {{
  updateLocation(input: $input) {{ location {{ {LOCATION_FIELDS} }} userErrors {{ field message code }} }}
}}
"""

DELETE_LOCATION = """
mutation($input: DeleteLocationInput!) {
  deleteLocation(input: $input) { deletedLocationId userErrors { field message code } }
}
"""

CREATE_AREA = """
mutation($input: CreateAreaInput!) {
  createArea(input: $input) {
    area { id name isDefault location { id } } userErrors { field message code }
  }
}
"""

RENAME_AREA = """
mutation($input: RenameAreaInput!) {
  renameArea(input: $input) { area { id name } userErrors { field message code } }
}
"""

MOVE_AREA = """
mutation($input: MoveAreaInput!) {
  moveArea(input: $input) { area { id name location { id } } userErrors { field message code } }
}
"""

DELETE_AREA = """
mutation($input: DeleteAreaInput!) {
  deleteArea(input: $input) { deletedAreaId userErrors { field message code } }
}
"""
