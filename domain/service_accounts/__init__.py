"""Service accounts: an organization's machine identities (OAuth client credentials with a role)."""
