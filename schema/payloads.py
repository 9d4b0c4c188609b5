"""``Payload``, the base of every mutation payload, and the payloads several areas share.

A payload is a strawberry type whose fields all have defaults: the result fields null (or
false), ``user_errors`` empty. A use case answers ``XPayload(field=…)``; a refusal is
``XPayload.failed(errors)``, built by ``resolvers._payload.mutate`` alone.
"""

from __future__ import annotations

from typing import Any, Self, cast

import strawberry

from domain.errors import UserErrors
from schema.errors import UserError


class Payload:
    """What every mutation payload can do (a plain base: it adds no GraphQL field)."""

    @classmethod
    def failed(cls, errors: list[UserError]) -> Self:
        """The payload of a refusal: ``errors`` as ``userErrors``, every other field its default.
        Override when a refusal says more (``disableTotp``'s ``totpEnabled``)."""
        payload: Self = cast(Any, cls)(user_errors=errors)
        return payload

    @classmethod
    def refused(cls, error: UserErrors) -> Self:
        """The payload of a domain refusal. Override to read more than its errors from it
        (``deleteOrganization``'s ``remaining``)."""
        return cls.failed([UserError.from_domain(e) for e in error.errors])


@strawberry.type(
    description=(
        "The request was taken. Deliberately the same whether or not an account exists for the "
        "email: what happened next is told to the mailbox."
    )
)
class AcceptedPayload(Payload):
    accepted: bool = strawberry.field(
        default=False, description="True when the request was taken (also when nothing was sent)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
