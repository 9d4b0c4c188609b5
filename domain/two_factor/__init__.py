"""TOTP two-factor login (RFC 6238), recovery codes and the organizations' requirement."""
