"""IANA time zones: validation, and a sensible default for a country (from tzdata's zone.tab)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from zoneinfo import available_timezones

# In the database but not a place: "localtime" follows the server's own setting, "Factory" is
# tzdata's placeholder for "not configured yet".
_NOT_A_ZONE = frozenset({"localtime", "Factory", "posixrules"})


@lru_cache(maxsize=1)
def valid_time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_A_ZONE


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in valid_time_zones()}


def canonical_time_zone(name: str) -> str | None:
    """The IANA name as tzdata spells it (``europe/berlin`` → ``Europe/Berlin``), or None."""
    cleaned = name.strip()
    if len(cleaned) > 64:
        return None
    return _by_folded_name().get(cleaned.casefold())


@lru_cache(maxsize=1)
def _first_zone_by_country() -> dict[str, str]:
    # zone.tab lists each country's zones, the most populous region first.
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0].upper(), parts[2])
    return zones


def default_time_zone(country: str) -> str:
    """The main time zone of an ISO 3166-1 alpha-2 country, or UTC."""
    return _first_zone_by_country().get(country.upper(), "UTC")
