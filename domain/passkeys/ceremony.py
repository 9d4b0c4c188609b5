"""The WebAuthn ceremonies, through py_webauthn — options for the browser, and the checks of what
it sends back — for the relying party that ``PORTAL_PUBLIC_URL`` names.

* **RP id and origin.** The RP id is the public URL's host, the only origin its scheme, host and
  port: a credential made for the portal answers nowhere else, and an assertion made on another
  origin (a phishing page) is refused. Browsers refuse an IP address as RP id, so passkeys need a
  host name (``http://localhost:8000`` in development, not ``http://127.0.0.1:8000``).
* **Discoverable credentials, user verification required.** A passkey sign-in asks for no email
  and no password, so the credential must live on the authenticator (``residentKey: required``)
  and the authenticator must verify the person (PIN, fingerprint, face: ``userVerification:
  required``). With verification only *preferred*, a security key without a PIN would sign in
  with possession alone — one factor — while ``amr`` says two. The server checks the UV flag too.
* **No attestation** (``none``): the portal trusts the person's choice of authenticator; the
  AAGUID is kept only to show.
* **Counters.** The library refuses a counter that did not grow, but so does a wrong signature;
  here the counter is compared *after* the signature verified (the library is told the last
  count is 0), so a lower counter under a valid signature — a cloned authenticator — is told
  apart and audited. Synced passkeys always send 0, which says nothing either way.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

RP_NAME = "Cloud Portal"
CHALLENGE_SECONDS = 300
TIMEOUT_MS = CHALLENGE_SECONDS * 1000
MAX_CREDENTIAL_JSON = 64 * 1024


class CeremonyFailed(Exception):
    """What the browser sent is not a valid answer; ``reason`` goes to the audit log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RelyingParty:
    id: str
    origin: str

    @classmethod
    def of(cls, public_url: str) -> RelyingParty:
        parts = urlsplit(public_url)
        return cls(id=parts.hostname or "localhost", origin=f"{parts.scheme}://{parts.netloc}")


@dataclass(frozen=True, slots=True)
class Descriptor:
    credential_id: str  # base64url
    transports: list[str]


def _descriptors(existing: list[Descriptor]) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(d.credential_id),
            transports=[AuthenticatorTransport(t) for t in d.transports if t in known] or None,
        )
        for d in existing
    ]


def registration_options(
    rp: RelyingParty,
    *,
    challenge: bytes,
    user_id: uuid.UUID,
    email: str,
    display_name: str,
    existing: list[Descriptor],
) -> str:
    """``PublicKeyCredentialCreationOptions`` as JSON. The user handle is the account's id (16
    random-looking bytes, no personal data); ``excludeCredentials`` keeps one authenticator from
    being registered twice."""
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=RP_NAME,
        user_id=user_id.bytes,
        user_name=email,
        user_display_name=display_name or email,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(existing),
    )
    return options_to_json(options)


def authentication_options(
    rp: RelyingParty, *, challenge: bytes, allowed: list[Descriptor] | None = None
) -> str:
    """``PublicKeyCredentialRequestOptions`` as JSON: no ``allowCredentials`` for a sign-in
    (the authenticator offers its discoverable credentials), the account's for a second factor."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(allowed) if allowed else None,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


# --- what comes back ------------------------------------------------------------------------------


def _loaded(raw: str) -> dict[str, object]:
    if not raw or len(raw) > MAX_CREDENTIAL_JSON:
        raise CeremonyFailed("malformed")
    try:
        value = json.loads(raw)
    except ValueError:
        raise CeremonyFailed("malformed") from None
    if not isinstance(value, dict):
        raise CeremonyFailed("malformed")
    return value


def challenge_of(client_data_json: bytes) -> bytes:
    """The challenge the browser signed (checked against the issued one by the verification)."""
    try:
        return parse_client_data_json(client_data_json).challenge
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise CeremonyFailed("malformed") from None


def challenge_hash_of(client_data_json: bytes) -> str:
    """The SHA-256 of the challenge the browser signed, to find the stored one."""
    return sha256_hex_bytes(challenge_of(client_data_json))


def sha256_hex_bytes(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()


@dataclass(frozen=True, slots=True)
class NewCredential:
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    aaguid: str
    backup_eligible: bool
    backed_up: bool


def parse_registration(raw: str) -> tuple[RegistrationCredential, str]:
    """The credential and its challenge's hash (before anything is verified)."""
    try:
        credential = parse_registration_credential_json(_loaded(raw))
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise CeremonyFailed("malformed") from None
    return credential, challenge_hash_of(credential.response.client_data_json)


def verify_registration(
    rp: RelyingParty, credential: RegistrationCredential, challenge: bytes
) -> NewCredential:
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise CeremonyFailed(_reason(str(exc))) from None
    return NewCredential(
        credential_id=credential.id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in credential.response.transports or []],
        aaguid=verified.aaguid,
        backup_eligible=verified.credential_device_type.value == "multi_device",
        backed_up=verified.credential_backed_up,
    )


@dataclass(frozen=True, slots=True)
class Assertion:
    credential: AuthenticationCredential
    challenge_hash: str
    user_handle: bytes | None


def parse_assertion(raw: str) -> Assertion:
    try:
        credential = parse_authentication_credential_json(_loaded(raw))
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise CeremonyFailed("malformed") from None
    return Assertion(
        credential,
        challenge_hash_of(credential.response.client_data_json),
        credential.response.user_handle,
    )


@dataclass(frozen=True, slots=True)
class VerifiedUse:
    sign_count: int
    backed_up: bool


def verify_assertion(
    rp: RelyingParty,
    assertion: Assertion,
    challenge: bytes,
    *,
    public_key: bytes,
    stored_sign_count: int,
) -> VerifiedUse:
    try:
        verified = verify_authentication_response(
            credential=assertion.credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=public_key,
            # The counter is compared below, once the signature is known to be good.
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise CeremonyFailed(_reason(str(exc))) from None
    count = verified.new_sign_count
    if (count > 0 or stored_sign_count > 0) and count <= stored_sign_count:
        raise CeremonyFailed("counter_went_back")
    return VerifiedUse(count, verified.credential_backed_up)


def _reason(message: str) -> str:
    """A stable audit reason from the library's message (which names values, not codes)."""
    lowered = message.lower()
    for needle, reason in (
        ("origin", "wrong_origin"),
        ("rp id", "wrong_rp_id"),
        ("challenge", "wrong_challenge"),
        ("user verification", "user_not_verified"),
        ("not present", "user_not_present"),
        ("signature", "bad_signature"),
        ("type", "wrong_type"),
    ):
        if needle in lowered:
            return reason
    return "invalid"


def challenge_hash(challenge: bytes) -> str:
    return sha256_hex_bytes(challenge)
