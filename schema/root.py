"""The schema: every area's Query and Mutation classes merged, and the hardening extensions.

To add an area, append its classes to QUERIES / MUTATIONS.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from resolvers.accounts import AccountsMutation
from resolvers.licenses import LicenseMutation, LicenseQuery
from resolvers.partners import PartnersMutation, PartnersQuery
from resolvers.viewer import ViewerQuery
from schema.extensions import MaskUnexpectedErrors
from settings import Settings

QUERIES: tuple[type, ...] = (ViewerQuery, LicenseQuery, PartnersQuery)
MUTATIONS: tuple[type, ...] = (LicenseMutation, AccountsMutation, PartnersMutation)


def build_schema(settings: Settings) -> strawberry.Schema:
    query: Any = merge_types("Query", QUERIES)
    mutation: Any = merge_types("Mutation", MUTATIONS) if MUTATIONS else None
    # Factories, not instances: Strawberry builds a fresh extension per request (the parser and
    # validation caches themselves are module-level and shared).
    extensions: list[Any] = [
        MaskUnexpectedErrors,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
    ]
    return strawberry.Schema(
        query=query,
        mutation=mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
