"""Typed domain errors. The GraphQL edge maps them once (resolvers/_payload.py):

* ``UserError`` / ``UserErrors`` — expected failures, returned as ``userErrors`` with a stable code
  and the input path in ``field``.
* ``NotFound`` — also a userError (code ``NOT_FOUND``); another tenant's object raises exactly this,
  so that a missing path looks like a missing object.
* ``Unauthenticated`` / ``Forbidden`` — GraphQL errors with ``extensions.code``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    code: str
    message: str
    field: tuple[str, ...] | None = None


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class UserErrors(DomainError):
    """One or more expected failures, reported together (e.g. every invalid field of a form)."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: Sequence[FieldError] = tuple(errors)
        if not self.errors:
            raise ValueError("UserErrors needs at least one error")
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in self.errors))

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]


class UserError(UserErrors):
    def __init__(self, code: str, message: str, field: Sequence[str] | None = None) -> None:
        super().__init__([FieldError(code, message, tuple(field) if field is not None else None)])
        self.code = code


class NotFound(UserError):
    def __init__(self, what: str = "object", field: Sequence[str] | None = None) -> None:
        super().__init__("NOT_FOUND", f"The {what} does not exist.", field)


class Unauthenticated(DomainError):
    """No valid access token."""


class Forbidden(DomainError):
    """A valid principal without the right."""


class RateLimited(DomainError):
    """Too many attempts. Where the answer must not reveal the limit (enumeration), services
    swallow this themselves; elsewhere it surfaces as a userError ``RATE_LIMITED``."""

    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class Validator:
    """Collects field errors so that a form reports all of them at once."""

    def __init__(self, prefix: Sequence[str] = ()) -> None:
        self.prefix = tuple(prefix)
        self.errors: list[FieldError] = []

    def add(self, field: str | Sequence[str], code: str, message: str) -> None:
        path = (field,) if isinstance(field, str) else tuple(field)
        self.errors.append(FieldError(code, message, self.prefix + path))

    def has(self, field: str) -> bool:
        return any(e.field and e.field[len(self.prefix) :][:1] == (field,) for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise UserErrors(self.errors)
