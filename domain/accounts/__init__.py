"""Accounts: sign-up, activation, passwords, internal admins."""
