"""A license's status, computed when it is read (never stored, so it cannot go stale).

In order of precedence: EXPIRED (its term has ended) > EXPIRING_SOON (the term ends within the
warning window, 30 days by default) > IN_USE (attached to at least one device) > AVAILABLE.
A license never attached has not started its term, so it cannot expire.

The repository filters and counts with the same rules in SQL (repository.status_expression);
tests check that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.enums import LicenseStatus


@dataclass(frozen=True, slots=True)
class StatusClock:
    """The instant statuses are computed at and the warning window, fixed once per request so
    that every license of a page is judged at the same moment."""

    now: datetime
    expiring_within: timedelta

    @property
    def soon(self) -> datetime:
        return self.now + self.expiring_within


def license_status(
    expires_at: datetime | None, seats_used: int, clock: StatusClock
) -> LicenseStatus:
    if expires_at is not None and expires_at <= clock.now:
        return LicenseStatus.EXPIRED
    if expires_at is not None and expires_at <= clock.soon:
        return LicenseStatus.EXPIRING_SOON
    if seats_used > 0:
        return LicenseStatus.IN_USE
    return LicenseStatus.AVAILABLE
