"""Members of an organization: the list, invitations, roles, removal, the Super Admin transfer."""
