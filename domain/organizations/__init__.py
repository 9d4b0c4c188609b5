"""Organizations: creating them (with their Super Admin, default location and consents)."""
