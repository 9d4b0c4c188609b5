"""The composition root (formerly ``schema/root.py``): every area's Query and Mutation classes
merged into one strawberry Schema, with the hardening extensions and each root field's API scope.

To add an area, import its classes from ``resolvers/<area>.py`` and append them to QUERIES /
MUTATIONS. The tuples' order is the order of the root fields in ``schema.graphql``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from resolvers.accounts import (
    AccountsMutation,
    PasswordResetMutation,
    ProfileMutation,
    ViewerQuery,
)
from resolvers.admin import AdminMutation, AdminQuery
from resolvers.audit import AuditQuery
from resolvers.devices import DeviceMutation, DeviceQuery
from resolvers.landing import LandingQuery
from resolvers.licenses import LicenseMutation, LicenseQuery
from resolvers.locations import LocationMutation, LocationQuery
from resolvers.members import MemberMutation, MemberQuery
from resolvers.node import NodeQuery
from resolvers.organizations import OrganizationDeletionMutation, OrganizationDetailsMutation
from resolvers.partners import (
    PartnerAccessMutation,
    PartnerMappingMutation,
    PartnerMappingQuery,
    PartnersMutation,
    PartnersQuery,
)
from resolvers.passkeys import PasskeyMutation
from resolvers.scim import ScimMutation, ScimQuery
from resolvers.service_accounts import ServiceAccountMutation, ServiceAccountQuery
from resolvers.sso import SingleSignOnMutation, SingleSignOnQuery
from resolvers.two_factor import TwoFactorMutation
from resolvers.webhooks import WebhookMutation, WebhookQuery
from schema.execution import PortalExecutionContext, shorten_resolvers
from schema.extensions import MaskUnexpectedErrors
from schema.guard import Guard, GuardPolicy
from schema.limits import Limits
from schema.scopes import FIELD_SCOPES, enforce_scopes
from settings import Settings

# One area per line, so that areas added in parallel merge without conflicts.
QUERIES: tuple[type, ...] = (
    ViewerQuery,
    LicenseQuery,
    PartnersQuery,
    LandingQuery,
    MemberQuery,
    LocationQuery,
    DeviceQuery,
    PartnerMappingQuery,
    AuditQuery,
    AdminQuery,
    NodeQuery,
    ServiceAccountQuery,
    WebhookQuery,
    SingleSignOnQuery,
    ScimQuery,
)
MUTATIONS: tuple[type, ...] = (
    LicenseMutation,
    AccountsMutation,
    PartnersMutation,
    MemberMutation,
    OrganizationDeletionMutation,
    LocationMutation,
    DeviceMutation,
    PartnerMappingMutation,
    PasswordResetMutation,
    AdminMutation,
    TwoFactorMutation,
    ProfileMutation,
    OrganizationDetailsMutation,
    ServiceAccountMutation,
    PasskeyMutation,
    WebhookMutation,
    PartnerAccessMutation,
    SingleSignOnMutation,
    ScimMutation,
)


# merge_types takes no description: it is set on the merged types' definitions.
_QUERY_DESCRIPTION = (
    "What a client reads. Each field checks the caller's access: an object the caller may not "
    "reach reads as missing."
)
_MUTATION_DESCRIPTION = (
    "What a client changes. Each mutation answers with a payload whose `userErrors` lists the "
    "expected failures; sign-up, activation and password reset need no bearer token."
)


class PortalSchema(strawberry.Schema):
    """Strawberry's schema with two decisions of ours.

    * ``hide_suggestions`` (production) also reaches graphql-core's execution, where variable
      values are coerced: "Did you mean …?" would otherwise name enum values and input fields.
    * Strawberry logs every error at ERROR level (``strawberry.execution``). We log only what is
      unexpected, once, with its error id (schema/extensions.py); a client's invalid document is
      not a server fault and must not flood the log.
    """

    hide_suggestions: bool = False

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        # A private hook of Strawberry 0.341 (pinned in pyproject.toml); the production
        # no-suggestions test fails if it stops being called.
        kwargs: dict[str, Any] = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        if self.hide_suggestions:
            kwargs["hide_suggestions"] = True
        return kwargs

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def guard_policy(settings: Settings) -> GuardPolicy:
    return GuardPolicy(
        limits=Limits(
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            max_cost=settings.graphql_max_cost,
            max_page_size=settings.graphql_max_page_size,
            max_operations=settings.graphql_max_operations,
            max_fragments=settings.graphql_max_fragments,
        ),
        max_tokens=settings.graphql_max_tokens,
        production=settings.production,
    )


def build_guard(settings: Settings) -> Guard:
    return Guard(guard_policy(settings))


def build_schema(
    settings: Settings,
    *,
    queries: Sequence[type] | None = None,
    mutations: Sequence[type] | None = None,
) -> strawberry.Schema:
    """The portal's schema (``queries``/``mutations`` replace the areas' classes in tests).

    The portal's own is built once per process for each set of the settings it depends on (the
    guard's policy, ``guard_policy``): building it takes tens of milliseconds, and every app a
    process creates (each test's server) would otherwise pay them again for the same schema.
    Apps that share it share its guard's caches, as the requests of one app do."""
    if queries is None and mutations is None:
        key = (guard_policy(settings), tuple(QUERIES), tuple(MUTATIONS))
        schema = _SCHEMAS.get(key)
        if schema is None:
            schema = _SCHEMAS[key] = _build_schema(settings, QUERIES, MUTATIONS)
        return schema
    return _build_schema(settings, queries, mutations)


# The portal's schemas by what they are built from: the settings they depend on (the guard's
# policy, whose ``production`` also hides suggestions) and the areas' classes (a test may swap
# them). A handful per process at most.
_SCHEMAS: dict[tuple[GuardPolicy, tuple[type, ...], tuple[type, ...]], strawberry.Schema] = {}


def _build_schema(
    settings: Settings,
    queries: Sequence[type] | None,
    mutations: Sequence[type] | None,
) -> strawberry.Schema:
    queries = tuple(QUERIES if queries is None else queries)
    mutations = tuple(MUTATIONS if mutations is None else mutations)
    query: Any = merge_types("Query", queries)
    query.__strawberry_definition__.description = _QUERY_DESCRIPTION
    mutation: Any = merge_types("Mutation", mutations) if mutations else None
    if mutation is not None:
        mutation.__strawberry_definition__.description = _MUTATION_DESCRIPTION
    guard = build_guard(settings)
    # Factories, not instances: Strawberry builds fresh extensions per request (the guard's
    # caches are shared through the one ``Guard``).
    extensions: list[Any] = [MaskUnexpectedErrors, guard.extension]
    schema = PortalSchema(
        query=query,
        mutation=mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=PortalExecutionContext,
    )
    schema.hide_suggestions = settings.production
    # Each field's API scope, checked before its resolver (schema/scopes.py).
    enforce_scopes(schema._schema, FIELD_SCOPES)
    # Fields that only read an attribute or call a resolver without arguments: without
    # Strawberry's wrapper (schema/execution.py). After the scopes: a field wrapped there keeps it.
    shorten_resolvers(schema)
    return schema
