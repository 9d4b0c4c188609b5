"""Relay-style keyset pagination: opaque cursors over a monotonically ordered key.

A cursor is base64 of ``v1:<key>``; callers order by the key (normally the UUIDv7 primary key) and
ask for ``first + 1`` rows to learn whether another page exists.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class InvalidCursor(ValueError):
    """The client sent a cursor it did not get from us."""


def encode_cursor(key: uuid.UUID | str) -> str:
    return base64.urlsafe_b64encode(f"v1:{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    if len(cursor) > 200:
        raise InvalidCursor(cursor)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc
    version, _, key = raw.partition(":")
    if version != "v1" or not key:
        raise InvalidCursor(cursor)
    return key


def decode_uuid_cursor(cursor: str) -> uuid.UUID:
    try:
        return uuid.UUID(decode_cursor(cursor))
    except ValueError as exc:
        raise InvalidCursor(cursor) from exc


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    after: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    has_next_page: bool
    has_previous_page: bool


def page_request(
    first: int | None, after: str | None, *, default: int, maximum: int
) -> PageRequest:
    """Clamp ``first`` into [0, maximum] and decode ``after``; raises InvalidCursor."""
    size = default if first is None else first
    if size < 0:
        raise ValueError("first must not be negative")
    size = min(size, maximum)
    return PageRequest(first=size, after=decode_uuid_cursor(after) if after else None)


def make_page(rows: Sequence[T], request: PageRequest) -> Page[T]:
    """Turn ``first + 1`` fetched rows into a page."""
    return Page(
        items=rows[: request.first],
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after is not None,
    )
