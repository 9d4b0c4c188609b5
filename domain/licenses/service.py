"""Licenses: issued by internal admins, redeemed by an organization, attached to its devices.

Rules (PRODUCT.md §1, issue 5):

* Keys are shown once, at issue; we keep a SHA-256 and a four-character hint (keys.py).
* Redeeming an unknown key and redeeming a used one look the same (``INVALID_LICENSE_KEY``); failed
  attempts are rate limited per client address and per user, and every attempt is audited.
* ``seats`` bounds how many devices hold the license at once. A device holds at most one current
  license per product (``ALREADY_LICENSED``); attaching the same license to the same device again
  changes nothing and succeeds (retries are safe).
* The term starts at the first attachment and never restarts; an expired license cannot be
  attached (it can still be detached).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import License, LicenseAttachment
from domain.audit.service import record, record_by
from domain.authz.policy import Action, GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.errors import DomainError, NotFound, RateLimited, Validator
from domain.licenses import errors, keys
from domain.licenses import repository as repo
from domain.licenses.repository import LicenseRow
from kit.clock import utcnow
from kit.ratelimit import RateLimiter

MAX_TERM_DAYS = 10 * 366
MAX_SEATS = 10_000
MAX_KEYS_PER_ISSUE = 500

_INPUT = ("input",)


# --- issue ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new key in plain text — the only time anyone sees it — and its license."""

    key: str
    license: LicenseRow


async def issue_license_keys(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    product_key: str,
    term_days: int,
    seats: int,
    count: int,
) -> list[IssuedKey]:
    require_global(principal, GlobalAction.LICENSE_ISSUE)
    check = Validator(_INPUT)
    product = await repo.get_product_by_key(session, product_key.strip().upper())
    if product is None:
        check.add("productKey", errors.UNKNOWN_PRODUCT, "There is no product with this key.")
    for name, value, maximum in (
        ("termDays", term_days, MAX_TERM_DAYS),
        ("seats", seats, MAX_SEATS),
        ("count", count, MAX_KEYS_PER_ISSUE),
    ):
        if not 1 <= value <= maximum:
            check.add(name, errors.OUT_OF_RANGE, f"Must be between 1 and {maximum}.")
    check.raise_if_any()
    assert product is not None

    plain = [keys.new_key() for _ in range(count)]
    licenses = []
    for key in plain:
        compact = keys.normalize_key(key)
        assert compact is not None
        licenses.append(
            License(
                key_hash=keys.key_hash(compact),
                key_hint=keys.key_hint(compact),
                product_id=product.id,
                term_days=term_days,
                seats=seats,
                issued_by_id=principal.user_id,
            )
        )
    repo.add_licenses(session, licenses)
    await session.flush()
    # One event for the batch (a batch of 500 is one decision by one person), naming every license.
    await record_by(
        session,
        principal,
        meta,
        "license.keys_issued",
        target=("product", product.key),
        details={
            "count": count,
            "term_days": term_days,
            "seats": seats,
            "license_ids": [str(lic.id) for lic in licenses],
        },
    )
    rows = {row.id: row for row in await repo.get_license_rows(session, [x.id for x in licenses])}
    return [IssuedKey(key, rows[lic.id]) for key, lic in zip(plain, licenses, strict=True)]


# --- redeem --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Redemption:
    """The outcome of a redemption attempt.

    A refused attempt is not raised inside the transaction: its audit event must be committed,
    and raising would roll it back. The caller commits, then calls ``unwrap``.
    """

    license: LicenseRow | None
    refusal: DomainError | None = None

    def unwrap(self) -> LicenseRow:
        if self.refusal is not None:
            raise self.refusal
        assert self.license is not None
        return self.license


_REDEEM_SCOPE = "license-redeem"


async def redeem_license_key(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    key: str,
    organization_id: str | None,
    limiter: RateLimiter,
    limit: str,
) -> Redemption:
    access = await organization_access(
        session,
        principal,
        organization_id,
        Action.LICENSE_MANAGE,
        field=("input", "organizationId"),
    )
    org_id = access.organization_id

    async def refuse(reason: str, refusal: DomainError, hint: str | None) -> Redemption:
        await record(
            session,
            "license.redeem_failed",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            organization_id=org_id,
            details={"reason": reason, "key_hint": hint},
        )
        return Redemption(None, refusal)

    # Reserved before the key is tried (so that a burst cannot pass the limit); a wrong key
    # keeps it, a redeemed one gives it back.
    reservation = await limiter.reserve(
        (limit, _REDEEM_SCOPE, "address", meta.client_address or "unknown"),
        (limit, _REDEEM_SCOPE, "user", str(principal.user_id)),
    )
    if reservation is None:
        return await refuse("rate_limited", RateLimited(), None)

    compact = keys.normalize_key(key)
    redeemed = None
    if compact is not None:
        redeemed = await repo.redeem(
            session,
            keys.key_hash(compact),
            organization_id=org_id,
            user_id=principal.user_id,
            now=utcnow(),
        )
    if redeemed is None:
        hint = keys.key_hint(compact) if compact else None
        return await refuse("invalid_key", errors.invalid_license_key(("input", "key")), hint)

    await reservation.refund()
    row = await repo.get_license_row(session, redeemed)
    assert row is not None
    await record_by(
        session,
        principal,
        meta,
        "license.redeemed",
        target=("license", redeemed),
        organization_id=org_id,
        details={"product": row.product.key, "key_hint": row.license.key_hint},
    )
    return Redemption(row)


# --- attach and detach ---------------------------------------------------------------------------


async def _managed_license(session: AsyncSession, principal: Principal, license_id: str) -> License:
    """The license, locked, if the principal may manage licenses in its organization."""
    field = ("input", "licenseId")
    license = await repo.lock_license(session, parse_id(license_id, "license", field))
    if license is None or license.organization_id is None:
        raise NotFound("license", field)
    await organization_access(
        session,
        principal,
        license.organization_id,
        Action.LICENSE_MANAGE,
        what="license",
        field=field,
    )
    return license


async def _device_of(session: AsyncSession, license: License, device_id: str) -> uuid.UUID:
    """A device of the license's organization; any other device does not exist for this call."""
    field = ("input", "deviceId")
    device = await repo.get_device_ref(session, parse_id(device_id, "device", field))
    if device is None or device.organization_id != license.organization_id:
        raise NotFound("device", field)
    return device.id


async def attach_license(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    license_id: str,
    device_id: str,
) -> LicenseRow:
    license = await _managed_license(session, principal, license_id)
    device = await _device_of(session, license, device_id)
    now = utcnow()
    holder = await repo.current_license_of_product(session, device, license.product_id)
    if holder == license.id:
        return await _reload(session, license.id)  # already there: nothing to do
    if license.expires_at is not None and license.expires_at <= now:
        raise errors.license_expired()
    if holder is not None:
        raise errors.already_licensed()
    # The license row is locked (repo.lock_license): this count cannot change under us.
    if await repo.count_seats_used(session, license.id) >= license.seats:
        raise errors.no_seats_available(license.seats)
    try:
        # A savepoint: on PostgreSQL a failed INSERT would otherwise poison the transaction.
        async with session.begin_nested():
            await repo.add_attachment(
                session,
                LicenseAttachment(
                    license_id=license.id,
                    device_id=device,
                    product_id=license.product_id,
                    attached_at=now,
                    attached_by_id=principal.user_id,
                ),
            )
    except IntegrityError:
        # Another license of this product reached the device first (a concurrent attachment of a
        # different license: the unique index on current (device, product) decided).
        raise errors.already_licensed() from None
    first_attachment = await repo.start_term(
        session, license.id, now=now, expires_at=now + timedelta(days=license.term_days)
    )
    await record_by(
        session,
        principal,
        meta,
        "license.attached",
        target=("license", license.id),
        organization_id=license.organization_id,
        details={"device_id": str(device), "term_started": first_attachment},
    )
    return await _reload(session, license.id)


async def detach_license(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    license_id: str,
    device_id: str,
) -> LicenseRow:
    license = await _managed_license(session, principal, license_id)
    device = await _device_of(session, license, device_id)
    if not await repo.detach(session, license.id, device, now=utcnow()):
        raise errors.not_attached()
    await record_by(
        session,
        principal,
        meta,
        "license.detached",
        target=("license", license.id),
        organization_id=license.organization_id,
        details={"device_id": str(device)},
    )
    return await _reload(session, license.id)


async def _reload(session: AsyncSession, license_id: uuid.UUID) -> LicenseRow:
    # The ORM object in the session is stale after the UPDATEs above: expire and read again.
    session.expire_all()
    row = await repo.get_license_row(session, license_id)
    assert row is not None
    return row
