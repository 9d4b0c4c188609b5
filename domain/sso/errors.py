"""The single-sign-on area's userError codes (besides the shared NOT_FOUND and REQUIRED)."""

from __future__ import annotations

INVALID_DOMAIN = "INVALID_DOMAIN"
INVALID_DOMAIN_MESSAGE = "Enter an email domain such as example.com."
# gmail.com, outlook.com, …: nobody may route everyone's mail provider to one company.
PUBLIC_EMAIL_DOMAIN = "PUBLIC_EMAIL_DOMAIN"
PUBLIC_EMAIL_DOMAIN_MESSAGE = (
    "This is a public mail provider's domain: only a domain your organization owns can be claimed."
)
# Verified by another organization (a claim alone proves nothing, so claims never collide).
DOMAIN_TAKEN = "DOMAIN_TAKEN"
DOMAIN_TAKEN_MESSAGE = "Another organization has already verified this domain."
TOO_MANY_DOMAINS = "TOO_MANY_DOMAINS"
# The TXT record is missing or carries another value.
TXT_RECORD_NOT_FOUND = "TXT_RECORD_NOT_FOUND"
# The DNS server did not answer (a timeout, SERVFAIL, no resolver configured).
DNS_UNAVAILABLE = "DNS_UNAVAILABLE"
DNS_UNAVAILABLE_MESSAGE = "The DNS lookup did not get an answer. Try again in a few minutes."

# configureSingleSignOn
INVALID_ISSUER = "INVALID_ISSUER"
# The issuer's discovery document could not be fetched or does not describe it.
DISCOVERY_FAILED = "DISCOVERY_FAILED"
INVALID_ROLE = "INVALID_ROLE"
INVALID_ROLE_MESSAGE = "Groups map to ADMIN or USER (never SUPER_ADMIN)."

# removeSingleSignOn, testSingleSignOn: the organization has no connection to remove or test.
NOT_CONFIGURED = "NOT_CONFIGURED"
NOT_CONFIGURED_MESSAGE = "Single sign-on is not configured for this organization."
