"""SCIM 2.0 provisioning of a customer organization's members by its directory (issue 16)."""
