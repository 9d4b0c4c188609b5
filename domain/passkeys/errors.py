"""The passkeys area's userError codes."""

PASSKEY_NOT_CREATED = "PASSKEY_NOT_CREATED"  # the browser sent no credential, or not a valid one
PASSKEY_CEREMONY_EXPIRED = "PASSKEY_CEREMONY_EXPIRED"  # the challenge is unknown, spent or old
PASSKEY_ALREADY_REGISTERED = "PASSKEY_ALREADY_REGISTERED"
PASSKEY_NAME_INVALID = "PASSKEY_NAME_INVALID"
PASSKEY_LIMIT_REACHED = "PASSKEY_LIMIT_REACHED"
LAST_PASSKEY_REQUIRED = "LAST_PASSKEY_REQUIRED"  # an organization requires one
PASSKEY_NOT_REGISTERED = "PASSKEY_NOT_REGISTERED"  # requiring passkeys without having one
