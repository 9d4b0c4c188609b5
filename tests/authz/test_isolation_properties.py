"""Tenant isolation over random worlds (tests/authz/random_world.py): every person sees exactly
the objects of the organizations they have a path to — devices, locations, members, licenses,
audit events, the partner landing's customers, single objects by id — and another organization
answers exactly as one that does not exist."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings

from domain.enums import Role
from tests.authz.random_world import Built, Spec, build, specs
from tests.authz.walk import comparable
from tests.support.gql import error_codes
from tests.support.server import LiveServer

LISTS = """
query($o: ID) {
  devices(organizationId: $o, first: 50) { edges { node { id } } }
  locations(organizationId: $o, first: 50) { edges { node { id } } }
  members(organizationId: $o, first: 50) { edges { node { user { id } } } }
  licenses(organizationId: $o, first: 50) { edges { node { id } } }
  %s
}
"""
AUDIT = "auditEvents(organizationId: $o, first: 50) { edges { node { id } } }"
VIEWER = """
query {
  viewer { organizations { id } }
  landing { __typename ... on PartnerLanding { customers(first: 50) { edges { node { id } } } } }
}
"""
ADMINS = {Role.SUPER_ADMIN, Role.ADMIN}


def ids(connection: dict[str, Any], *path: str) -> set[uuid.UUID]:
    found = set()
    for edge in connection["edges"]:
        value = edge["node"]
        for step in path:
            value = value[step]
        found.add(uuid.UUID(value["id"] if isinstance(value, dict) else value))
    return found


class Viewer:
    def __init__(self, live: LiveServer, world: Built, person: int) -> None:
        self.live, self.world, self.person = live, world, person
        self.spec: Spec = world.spec
        self.internal = self.spec.people[person].internal_admin
        self.reach = self.spec.reach(person)

    async def ask(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        token = self.world.tokens[self.person]
        return await self.live.graphql(document, variables, token=token)

    async def check_organizations(self) -> None:
        compared = False
        for kind, index, org in self.world.organizations():
            role = self.reach.get((kind, index))
            readable = role is not None or self.internal
            audit_allowed = self.internal or role in ADMINS
            with_audit = audit_allowed or not readable
            document = LISTS % (AUDIT if with_audit else "")
            body = await self.ask(document, {"o": str(org.id)})
            where = f"person {self.person} ({role}) on {kind} {index}"
            if not readable:
                assert body["data"] is None and set(error_codes(body)) == {"NOT_FOUND"}, (
                    where,
                    body,
                )
                if not compared:  # exactly what an organization that does not exist answers
                    fake = await self.ask(document, {"o": str(uuid.uuid4())})
                    assert comparable(fake) == comparable(body), (where, body, fake)
                    compared = True
                continue
            assert "errors" not in body, (where, body)
            data = body["data"]
            assert ids(data["devices"]) == self.world.devices[org.id], where
            assert ids(data["locations"]) == self.world.locations[org.id], where
            members = {self.world.users[i] for i in self.spec.members(kind, index)}
            assert ids(data["members"], "user") == members, where
            assert ids(data["licenses"]) == self.world.licenses[org.id], where
            if audit_allowed:
                assert ids(data["auditEvents"]) == self.world.events[org.id], where
            else:
                audit = await self.ask(f"query($o: ID) {{ {AUDIT} }}", {"o": str(org.id)})
                assert set(error_codes(audit)) == {"FORBIDDEN"}, (where, audit)

    async def check_viewer_and_objects(self) -> None:
        objects: list[tuple[str, uuid.UUID, uuid.UUID]] = []
        for _, _, org in self.world.organizations():
            for field, found in (
                ("device", self.world.devices),
                ("location", self.world.locations),
                ("license", self.world.licenses),
            ):
                objects += [(field, object_id, org.id) for object_id in sorted(found[org.id])]
        aliases = " ".join(
            f'o{n}: {field}(id: "{object_id}") {{ id }}'
            for n, (field, object_id, _) in enumerate(objects)
        )
        readable = {self.world.organization(kind, index).id for kind, index in self.reach}
        if objects:
            body = await self.ask(f"query {{ {aliases} }}")
            assert "errors" not in body, body
            for n, (field, object_id, org_id) in enumerate(objects):
                seen = body["data"][f"o{n}"]
                if self.internal or org_id in readable:
                    assert seen == {"id": str(object_id)}, (self.person, field, seen)
                else:
                    assert seen is None, (self.person, field, seen)
        body = await self.ask(VIEWER)
        if not readable and not self.internal:
            # Every organization suspended: a valid token, and nowhere to work.
            assert set(error_codes(body)) == {"FORBIDDEN"} and body["data"] is None, body
            return
        assert "errors" not in body, body
        data = body["data"]
        organizations = {uuid.UUID(o["id"]) for o in data["viewer"]["organizations"]}
        world_orgs = {org.id for _, _, org in self.world.organizations()}
        assert organizations & world_orgs == readable, self.person
        partner = self.spec.people[self.person].partner
        if partner is not None:
            assert data["landing"]["__typename"] == "PartnerLanding"
            mapped = {self.world.customers[c].id for c in self.spec.mapped_customers(partner[0])}
            assert ids(data["landing"]["customers"]) == mapped, self.person


@settings(
    max_examples=20,
    deadline=None,
    # One live server and database for all examples: each example builds a world of its own
    # (fresh organizations and people) next to the earlier ones, which only add noise.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
async def test_everyone_sees_exactly_what_they_have_a_path_to(live: LiveServer, spec: Spec) -> None:
    world = await build(live.services, spec)
    for person in range(len(spec.people)):
        viewer = Viewer(live, world, person)
        await viewer.check_viewer_and_objects()
        await viewer.check_organizations()
