"""The GraphQL documents the device tests send."""

DEVICE_FIELDS = """id kind serialNumber macAddress model name status registeredAt
  area { id name } location { id name }"""

REGISTER = f"""
mutation($input: RegisterDeviceInput!) {{
  registerDevice(input: $input) {{ device {{ {DEVICE_FIELDS} }} userErrors {{ field message code }} }}
}}
"""

RENAME = f"""
mutation($input: RenameDeviceInput!) {{
  renameDevice(input: $input) {{ device {{ {DEVICE_FIELDS} }} userErrors {{ field message code }} }}
}}
"""

MOVE = f"""
mutation($input: MoveDeviceInput!) {{
  moveDevice(input: $input) {{ device {{ {DEVICE_FIELDS} }} userErrors {{ field message code }} }}
}}
"""

REMOVE = """
mutation($input: RemoveDeviceInput!) {
  removeDevice(input: $input) { removedDeviceId userErrors { field message code } }
}
"""

DEVICE = f"query($id: ID!) {{ device(id: $id) {{ {DEVICE_FIELDS} }} }}"

DEVICES = """
query($org: ID, $first: Int = 20, $after: String, $search: String, $filter: DeviceFilter) {
  devices(organizationId: $org, first: $first, after: $after, search: $search, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name serialNumber macAddress kind status model } }
  }
}
"""

DEVICE_COUNTS = """
query($org: ID) { deviceCounts(organizationId: $org) { total pending online offline } }
"""
