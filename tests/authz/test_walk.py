"""Every query and mutation of the schema, called by everyone who might call the customer's API
(tests/authz/world.py), is allowed or refused exactly as PRODUCT.md §2 says (tests/authz/rules.py):

* allowed: no GraphQL error, no userError (and a single-object query finds its object);
* FORBIDDEN / UNAUTHENTICATED: that GraphQL error and nothing else;
* missing: the answer with the world's ids is exactly the answer with ids that never existed (a
  random UUID, a string that is no UUID), and it says NOT_FOUND or null.

One walk per database: the world is built once and every call is judged; the failures are
reported together.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.authz.rules import RULES
from tests.authz.walk import (
    ALLOWED,
    FORBIDDEN,
    MISSING,
    Kind,
    comparable,
    document,
    graphql_schema,
    ids_in,
    judge,
    missing_variants,
    replaced,
    root_fields,
)
from tests.authz.world import CA, CS, CU, PA, PS, STRANGER, TECH, Caller, World, build_world
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # The walk sends the same forms from one address many times: rate limits are not its subject.
    from settings import Settings

    return {name: "100000/hour" for name in Settings.model_fields if name.startswith("rate_limit_")}


async def _check(world: World, name: str, caller: Caller) -> str | None:
    """None when the call answered as expected, else what went wrong."""
    operation, f = root_fields(graphql_schema())[name]
    rule = RULES.get(name)
    if rule is None:
        return f"{name}: no rule in tests/authz/rules.py"
    expected = rule.expected(caller)
    variables = await rule.arguments(world, caller)
    query = document(name, operation, f, variables)
    if expected.kind is Kind.ALLOWED and caller is _mixer(rule.allowed):
        # Before the call itself, which may consume what it names.
        failure = await _check_mixed(world, name, caller, query, variables)
        if failure:
            return failure
    body = await world.call(caller, query, variables)
    got = judge(name, body)
    if got != expected:
        return f"{name} as {caller}: expected {expected}, got {got}: {body}"
    if expected.kind is Kind.MISSING:
        for other in missing_variants(variables):
            fake = await world.call(caller, query, other)
            if comparable(fake) != comparable(body):
                return (
                    f"{name} as {caller}: answers differently for an id that does not exist:"
                    f"\n  real: {body}\n  fake: {fake}"
                )
    return None


# Who mixes another tenant's ids into an allowed call (one caller per field is enough: the
# question is whether the ids given together must agree, not who asks). Not an internal admin,
# who may read the other tenant too.
_MIXERS = (CS, CA, TECH, CU, PS, PA)


def _mixer(allowed: frozenset[Caller]) -> Caller | None:
    return next((c for c in _MIXERS if c in allowed), None)


async def _check_mixed(
    world: World, name: str, caller: Caller, query: str, variables: dict[str, Any]
) -> str | None:
    """Each id of the world's objects in turn replaced by the same kind of object of another
    tenant answers exactly as when replaced by an id that never existed: NOT_FOUND (or null), or
    for a filter, what a filter on nothing finds."""
    for object_id in sorted(set(ids_in(variables))):
        kind = world.kinds.get(object_id)
        if kind is None or kind not in world.foreign:
            continue
        foreign = replaced(variables, {object_id: world.foreign[kind]})
        body = await world.call(caller, query, foreign)
        fake = await world.call(caller, query, replaced(variables, {object_id: str(uuid.uuid4())}))
        if comparable(body) != comparable(fake) or judge(name, body) not in (MISSING, ALLOWED):
            return (
                f"{name} as {caller} with another tenant's {kind}: not as missing as an id that "
                f"never existed:\n  foreign: {body}\n  missing: {fake}"
            )
    return None


async def test_every_field_as_every_caller(live: LiveServer) -> None:
    world = await build_world(live.services, live)
    failures = []
    for name in root_fields(graphql_schema()):
        for caller in Caller:
            failure = await _check(world, name, caller)
            if failure:
                failures.append(failure)
    failures += await _check_working_organization_header(world)
    assert not failures, f"{len(failures)} calls broke §2:\n" + "\n".join(failures)


async def _check_working_organization_header(world: World) -> list[str]:
    """Naming another tenant's organization as the working one (``X-Organization-Id``) is refused
    exactly as naming one that does not exist, or a value that is no id at all."""
    failures = []
    query = "{ viewer { organization { id } role } }"
    for caller in Caller:
        actor = world.actors.get(caller)
        if actor is None:
            continue
        other = world.customer_id if caller is STRANGER else world.foreign["organization"]
        answers = []
        for value in (other, str(uuid.uuid4()), "not-an-id"):
            headers = {**actor.headers, "X-Organization-Id": value}
            answers.append(await world.live.graphql(query, headers=headers))
        if judge("viewer", answers[0]) != FORBIDDEN or any(
            comparable(a) != comparable(answers[0]) for a in answers[1:]
        ):
            failures.append(f"X-Organization-Id of another tenant as {caller}: {answers}")
    return failures
