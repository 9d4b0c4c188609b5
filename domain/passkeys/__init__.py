"""Passkeys (WebAuthn): registration, sign-in, second factor, an organization\x27s requirement."""
