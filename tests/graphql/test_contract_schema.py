"""The schema keeps every name PRODUCT.md §3 fixes, with shapes a client written against that page
can use: introspected over HTTP (as an outside suite discovers it) and compared with the contract's
SDL, copied here verbatim (the page lives outside the repository).

Compatible means: every type, field, argument, input field, enum value and union member of the
contract exists; an output the contract calls non-null is non-null; an argument or input field
the contract lets a client omit (nullable) may be omitted; no required argument or input field
was added. Our additions (more fields, more optional arguments) are free, as the page says."""

from __future__ import annotations

from graphql import (
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    build_ast_schema,
    build_client_schema,
    get_introspection_query,
    is_enum_type,
    is_input_object_type,
    is_object_type,
    is_union_type,
    parse,
)
from graphql.type.definition import GraphQLInputType, GraphQLOutputType

from tests.support.server import LiveServer

CONTRACT_SDL = """
type UserError { field: [String!]  message: String!  code: String! }

input CreateCustomerOrganizationInput {
  organizationName: String!  country: String!  address: String  phone: String
  firstName: String!  lastName: String!  email: String!
  acceptTermsOfService: Boolean!  acceptPrivacyPolicy: Boolean!
}
input JoinAsStepPartnerInput {
  stepPartnerCode: String!  companyName: String!  country: String!  address: String  phone: String
  firstName: String!  lastName: String!  email: String!
  acceptTermsOfService: Boolean!  acceptPrivacyPolicy: Boolean!
}
input ActivateAccountInput { token: String!  code: String!  newPassword: String! }

type Mutation {
  createCustomerOrganization(input: CreateCustomerOrganizationInput!): AcceptedPayload!
  joinAsStepPartner(input: JoinAsStepPartnerInput!): AcceptedPayload!
  resendActivation(email: String!): AcceptedPayload!
  activateAccount(input: ActivateAccountInput!): ActivateAccountPayload!
  approvePartnerRequest(id: ID!): ReviewPartnerRequestPayload!               # INTERNAL_ADMIN
  rejectPartnerRequest(id: ID!, reason: String!): ReviewPartnerRequestPayload! # INTERNAL_ADMIN
}
type AcceptedPayload { accepted: Boolean!  userErrors: [UserError!]! }
type ActivateAccountPayload { activated: Boolean!  message: String  userErrors: [UserError!]! }
type ReviewPartnerRequestPayload { partnerRequest: PartnerRequest  userErrors: [UserError!]! }

type Query {
  viewer: Viewer!          # requires a bearer token
  landing: Landing!        # requires a bearer token
  partnerRequests(status: PartnerRequestStatus, first: Int, after: String): PartnerRequestConnection! # INTERNAL_ADMIN
}
type Viewer { user: User!  organization: Organization!  role: Role!  organizations: [Organization!]! }
union Landing = CustomerLanding | PartnerLanding | AdminLanding
type CustomerLanding { organization: Organization!  appTiles: [AppTile!]!  menu: [MenuItem!]! }
type PartnerLanding  { organization: Organization!  customers(first: Int, after: String, search: String): CustomerConnection! }
type AdminLanding    { pendingPartnerRequests(first: Int, after: String): PartnerRequestConnection! }
type MenuItem { key: MenuKey!  label: String! }
enum MenuKey { LOCATIONS DEVICES USERS LICENSES }
enum Role { SUPER_ADMIN ADMIN USER TECHNICIAN INTERNAL_ADMIN }
enum OrganizationType { CUSTOMER PARTNER INTERNAL }
enum PartnerRequestStatus { PENDING APPROVED REJECTED }
"""

# What the page names in prose ("`Organization` (with `type: OrganizationType!`), `PartnerRequest`
# (with `status`, `stepPartnerCode`, `contactEmail`), and the Relay connections (`edges { node
# cursor }`, `pageInfo`)"), written as SDL; AppTile and User are ours to shape.
PROSE_SDL = """
type User { id: ID! }
type AppTile { key: String! }
type Organization { type: OrganizationType! }
type PartnerRequest { id: ID!  status: PartnerRequestStatus!  stepPartnerCode: String!  contactEmail: String! }
type PageInfo { hasNextPage: Boolean!  endCursor: String }
type PartnerRequestEdge { node: PartnerRequest!  cursor: String! }
type PartnerRequestConnection { edges: [PartnerRequestEdge!]!  pageInfo: PageInfo! }
type CustomerEdge { cursor: String! }  # its node (a customer) is ours to shape
type CustomerConnection { edges: [CustomerEdge!]!  pageInfo: PageInfo! }
"""


def _output_fits(contract: GraphQLOutputType, live: GraphQLOutputType) -> bool:
    """A value of ``live`` satisfies a reader expecting ``contract``."""
    if isinstance(contract, GraphQLNonNull):
        return isinstance(live, GraphQLNonNull) and _output_fits(contract.of_type, live.of_type)
    if isinstance(live, GraphQLNonNull):
        live = live.of_type
    if isinstance(contract, GraphQLList):
        return isinstance(live, GraphQLList) and _output_fits(contract.of_type, live.of_type)
    return not isinstance(live, GraphQLList) and _name(contract) == _name(live)


def _input_fits(contract: GraphQLInputType, live: GraphQLInputType) -> bool:
    """Every value a client may send as ``contract`` is accepted as ``live``."""
    if isinstance(live, GraphQLNonNull):
        return isinstance(contract, GraphQLNonNull) and _input_fits(contract.of_type, live.of_type)
    if isinstance(contract, GraphQLNonNull):
        contract = contract.of_type
    if isinstance(live, GraphQLList):
        return isinstance(contract, GraphQLList) and _input_fits(contract.of_type, live.of_type)
    return not isinstance(contract, GraphQLList) and _name(contract) == _name(live)


def _name(type_: object) -> str:
    assert isinstance(type_, GraphQLNamedType), type_
    return type_.name


def deviations(contract: GraphQLSchema, live: GraphQLSchema) -> list[str]:
    found: list[str] = []
    for name, wanted in contract.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        have = live.type_map.get(name)
        if have is None:
            found.append(f"type {name} is missing")
        elif is_object_type(wanted):
            if not is_object_type(have):
                found.append(f"{name} is not an object type")
                continue
            for field_name, field in wanted.fields.items():
                mine = have.fields.get(field_name)
                if mine is None:
                    found.append(f"{name}.{field_name} is missing")
                    continue
                if not _output_fits(field.type, mine.type):
                    found.append(f"{name}.{field_name}: {mine.type}, contract {field.type}")
                for arg_name, arg in field.args.items():
                    own = mine.args.get(arg_name)
                    if own is None:
                        found.append(f"{name}.{field_name}({arg_name}) is missing")
                    elif not _input_fits(arg.type, own.type):
                        found.append(
                            f"{name}.{field_name}({arg_name}): {own.type}, contract {arg.type}"
                        )
                for arg_name, own in mine.args.items():
                    if arg_name not in field.args and isinstance(own.type, GraphQLNonNull):
                        found.append(f"{name}.{field_name}({arg_name}) is required but not in it")
        elif is_input_object_type(wanted):
            if not is_input_object_type(have):
                found.append(f"{name} is not an input type")
                continue
            for field_name, field in wanted.fields.items():
                mine = have.fields.get(field_name)
                if mine is None:
                    found.append(f"{name}.{field_name} is missing")
                elif not _input_fits(field.type, mine.type):
                    found.append(f"{name}.{field_name}: {mine.type}, contract {field.type}")
            for field_name, mine in have.fields.items():
                if field_name not in wanted.fields and isinstance(mine.type, GraphQLNonNull):
                    found.append(f"{name}.{field_name} is required but not in it")
        elif is_union_type(wanted):
            members = {t.name for t in have.types} if is_union_type(have) else set()
            for member in wanted.types:
                if member.name not in members:
                    found.append(f"union {name} lacks {member.name}")
        elif is_enum_type(wanted):
            values = set(have.values) if is_enum_type(have) else set()
            for value in wanted.values:
                if value not in values:
                    found.append(f"enum {name} lacks {value}")
    return found


def contract_schema() -> GraphQLSchema:
    return build_ast_schema(parse(CONTRACT_SDL + PROSE_SDL))


async def test_the_live_schema_keeps_the_contracts_names_and_shapes(live: LiveServer) -> None:
    answer = await live.graphql(get_introspection_query(descriptions=False))
    assert "errors" not in answer, answer
    live_schema = build_client_schema(answer["data"])
    assert deviations(contract_schema(), live_schema) == []
    customer_edge = live_schema.type_map["CustomerEdge"]
    assert is_object_type(customer_edge) and "node" in customer_edge.fields


def test_the_comparison_can_fail() -> None:
    contract = contract_schema()
    changed = build_ast_schema(
        parse(
            CONTRACT_SDL.replace("partnerRequests(status:", "partnerRequests(state:")
            .replace("message: String  userErrors", "userErrors")
            .replace("viewer: Viewer!", "viewer: Viewer")
            .replace(
                "address: String  phone: String\n  firstName",
                "address: String!  phone: String\n  firstName",
                1,
            )
            .replace("LOCATIONS DEVICES", "DEVICES")
            + PROSE_SDL.replace("contactEmail: String!", "email: String!")
        )
    )
    assert sorted(deviations(contract, changed)) == sorted(
        [
            "ActivateAccountPayload.message is missing",
            "CreateCustomerOrganizationInput.address: String!, contract String",
            "PartnerRequest.contactEmail is missing",
            "Query.partnerRequests(status) is missing",
            "Query.viewer: Viewer, contract Viewer!",
            "enum MenuKey lacks LOCATIONS",
        ]
    )
