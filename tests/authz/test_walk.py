"""Every query and mutation of the schema, called by everyone who might call the customer's API
(tests/authz/world.py), is allowed or refused exactly as PRODUCT.md §2 says (tests/authz/rules.py):

* allowed: no GraphQL error, no userError (and a single-object query finds its object);
* FORBIDDEN / UNAUTHENTICATED: that GraphQL error and nothing else;
* missing: the answer with the world's ids is exactly the answer with ids that never existed (a
  random UUID, a string that is no UUID), and it says NOT_FOUND or null.

The same walk with third-party applications' tokens (tests/authz/third_party.py): a person's
answer when the token holds every scope the document needs, FORBIDDEN otherwise.

One walk per database: the world is built once and every call is judged; the failures are
reported together.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.service_accounts.scopes import scopes_for
from tests.authz.rules import RULES
from tests.authz.third_party import THIRD_PARTIES, ThirdParty, required_scopes
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
from tests.authz.world import (
    CA,
    CS,
    CU,
    IA,
    PA,
    PS,
    SERVICE_ACCOUNTS,
    STRANGER,
    TECH,
    Caller,
    World,
    build_world,
)
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token


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
    if caller in SERVICE_ACCOUNTS:
        # A service account's token holds only the scopes of its role: FORBIDDEN before the
        # object is looked up wherever the document needs another.
        held = frozenset(scopes_for(world.actors[caller].role))
        if not required_scopes(graphql_schema(), query) <= held:
            expected = FORBIDDEN
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
    for app in THIRD_PARTIES:
        token = await mint_access_token(
            world.services,
            world.actors[app.acting_as].user.id,
            client_id="third-party-app",
            scope=app.scope,
        )
        for name in root_fields(graphql_schema()):
            failure = await _check_third_party(world, name, app, token)
            if failure:
                failures.append(failure)
    failures += await _check_nested_scopes(world)
    assert not failures, f"{len(failures)} calls broke §2:\n" + "\n".join(failures)


async def _check_third_party(world: World, name: str, app: ThirdParty, token: str) -> str | None:
    """A field called with a third-party application's token: refused outside its scopes,
    answered as the person's own call inside them."""
    operation, f = root_fields(graphql_schema())[name]
    rule = RULES[name]
    variables = await rule.arguments(world, app.acting_as)
    query = document(name, operation, f, variables)
    needed = required_scopes(graphql_schema(), query)
    base = rule.expected(app.acting_as)
    if base.kind is Kind.ALLOWED and not rule.found_scopes <= app.scopes:
        base = MISSING
    expected = app.expected(base, needed)
    headers = {**world.actors[app.acting_as].headers, "Authorization": f"Bearer {token}"}
    body = await world.live.graphql(query, variables, headers=headers)
    got = judge(name, body)
    if got != expected:
        return f"{name} as {app}: expected {expected}, got {got}: {body}"
    if expected.kind is Kind.MISSING:
        for other in missing_variants(variables):
            fake = await world.live.graphql(query, other, headers=headers)
            if comparable(fake) != comparable(body):
                return f"{name} as {app}: answers differently for an id that does not exist"
    return None


async def _check_nested_scopes(world: World) -> list[str]:
    """Nested fields that reach another area need that area's scope too (schema/scopes.py)."""
    device, license_ = {"id": world.device_id}, {"id": world.license_id}
    cases = [
        # (acting as, scopes, document, variables, expected)
        (PS, "organizations:read", _PARTNER_CUSTOMERS, {}, FORBIDDEN),
        (PS, "organizations:read partners:read", _PARTNER_CUSTOMERS, {}, ALLOWED),
        (TECH, "devices:read", _DEVICE_LICENSES, device, FORBIDDEN),
        (TECH, "devices:read licenses:read", _DEVICE_LICENSES, device, ALLOWED),
        (CS, "licenses:read", _LICENSE_DEVICES, license_, FORBIDDEN),
        (CS, "licenses:read devices:read", _LICENSE_DEVICES, license_, ALLOWED),
        (CU, "organizations:read", _VIEWER, {}, ALLOWED),
        (CU, "members:read", _VIEWER, {}, FORBIDDEN),
        (IA, "organizations:read", _ADMIN_LANDING, {}, FORBIDDEN),
        (IA, "organizations:read platform:admin", _ADMIN_LANDING, {}, ALLOWED),
        (IA, "organizations:read", _ADMIN_SETTINGS, {}, FORBIDDEN),
        (IA, "organizations:read platform:admin", _ADMIN_SETTINGS, {}, ALLOWED),
    ]
    failures = []
    for caller, scope, query, variables, expected in cases:
        actor = world.actors[caller]
        token = await mint_access_token(
            world.services, actor.user.id, client_id="third-party-app", scope=f"openid {scope}"
        )
        headers = {**actor.headers, "Authorization": f"Bearer {token}"}
        body = await world.live.graphql(query, variables, headers=headers)
        # The root field: the first name after the opening brace of the selection.
        name = query.split("{", 1)[1].split()[0].split("(")[0]
        if judge(name, body) != expected:
            failures.append(f"{query} as {caller} with {scope}: expected {expected}, got {body}")
    return failures


_PARTNER_CUSTOMERS = """
{ landing { __typename ... on PartnerLanding { customers(first: 5) { edges { node { id } } } } } }
"""
_DEVICE_LICENSES = "query($id: ID!) { device(id: $id) { id licenses { id } } }"
_LICENSE_DEVICES = "query($id: ID!) { license(id: $id) { id devices { edges { node { id } } } } }"
_VIEWER = "{ viewer { user { email } organization { id name } role organizations { id } } }"
_ADMIN_LANDING = """
{ landing { __typename ... on AdminLanding { pendingPartnerRequests { edges { node { id } } } } } }
"""
_ADMIN_SETTINGS = """
{ landing { __typename ... on AdminLanding { notificationSettings { partnerRequestMail } } } }
"""


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
