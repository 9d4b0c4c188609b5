"""Parsing and validation, hardened: Strawberry's own steps with our limits and error codes.

``DocumentGuard`` replaces Strawberry's ParserCache/ValidationCache/MaxTokensLimiter/
QueryDepthLimiter/MaxAliasesLimiter with one extension, because together they fell short:

* the token limit counts comments too (graphql-core's ``max_tokens``), and a document nested
  beyond the interpreter's stack is refused like one over the token limit: ``QUERY_TOO_COMPLEX``;
* depth, aliases, operations, fragments and cost are measured once, fragments memoized
  (schema/limits.py) — Strawberry's depth limiter walks every path through every fragment spread;
* the limits run *before* the schema's validation rules, so a hostile document is turned away
  before the expensive rules (overlapping fields) see it;
* validation is cached per document text with stable rule classes (Strawberry's limiters build a
  new rule class per request, so its validation cache never hit), and the limits' verdict per
  document text, operation and (small) variables: a client's usual document is parsed, measured
  and validated once;
* production: introspection refused and no "Did you mean …?" suggestions, through graphql-core's
  ``NoSchemaIntrospectionCustomRule`` and ``hide_suggestions``;
* strings must not contain NUL (U+0000): PostgreSQL cannot store it and SQLite would, so it is
  refused at the edge for both engines (variables: web/graphql_request.py; literals: here);
* every error carries a stable ``extensions.code`` (GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX, BAD_USER_INPUT).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    StringValueNode,
    parse,
    validate,
)
from graphql.language import Visitor, visit
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from kit.lru import LRU
from schema.errors import ErrorCode, PortalGraphQLError
from schema.limits import Limits, check_limits, too_complex

# graphql-core's messages for the two parse failures that are limits, not syntax mistakes.
_TOO_MANY_TOKENS = re.compile(r"Document contains more than \d+ tokens")
_TOO_DEEP = "Document is nested too deeply"
# Only documents up to this size are cached: real clients send the same small documents again and
# again, while caching large one-off documents would let a client fill memory.
_CACHEABLE_LENGTH = 16 * 1024
# The limits' verdict depends on the variables too (page sizes): cached only for small ones.
_CACHEABLE_VARIABLES_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    limits: Limits
    max_tokens: int
    production: bool
    cache_size: int = 256


class Guard:
    """One per schema: the policy and the caches shared by every request."""

    def __init__(self, policy: GuardPolicy) -> None:
        self.policy = policy
        self._documents = LRU[Any, Any](policy.cache_size)
        self._validations = LRU[Any, Any](policy.cache_size)
        self._limits = LRU[Any, Any](policy.cache_size)
        # Strawberry's ``validate_document`` adds its own two rules (``Maybe`` inputs, one-of
        # inputs) to the context's; we call graphql-core's ``validate`` ourselves, so add them too.
        self._extra_rules: tuple[type[ASTValidationRule], ...] = (
            MaybeNullValidationRule,
            OneOfInputValidationRule,
            *((NoSchemaIntrospectionCustomRule,) if policy.production else ()),
        )

    def extension(self) -> DocumentGuard:
        return DocumentGuard(self)

    # --- parsing -------------------------------------------------------------------------------
    def parse(self, query: str) -> DocumentNode:
        cacheable = len(query) <= _CACHEABLE_LENGTH
        if cacheable and (document := self._documents.get(query)) is not None:
            return document  # type: ignore[no-any-return]
        try:
            document = parse(query, max_tokens=self.policy.max_tokens)
        except GraphQLSyntaxError as error:
            raise _parse_error(error, self.policy) from None
        if cacheable:
            self._documents.put(query, document)
        return document

    # --- validation ----------------------------------------------------------------------------
    def validate(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
        operation_name: str | None,
        variables: dict[str, Any] | None,
    ) -> list[GraphQLError]:
        limited = self._limited(schema, query, document, operation_name, variables)
        if limited:
            return limited
        all_rules = rules + self._extra_rules
        key = (query, all_rules) if len(query) <= _CACHEABLE_LENGTH else None
        cached = self._validations.get(key) if key is not None else None
        if cached is not None:
            return list(cached)
        errors = _nul_in_strings(query, document)
        if not errors:
            errors = validate(schema, document, all_rules, hide_suggestions=self.policy.production)
            for error in errors:
                if not (error.extensions or {}).get("code"):
                    error.extensions = {
                        **(error.extensions or {}),
                        "code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value,
                    }
        if key is not None:
            self._validations.put(key, tuple(errors))
        return errors

    def _limited(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
    ) -> list[GraphQLError]:
        """``check_limits``, cached per document text, operation and variables (page sizes are
        variables: the cost depends on them). Only small documents and variables are cached."""
        key: tuple[str, str | None, str] | None = None
        if len(query) <= _CACHEABLE_LENGTH:
            try:
                given = json.dumps(variables, sort_keys=True) if variables else ""
            except (TypeError, ValueError):  # values a JSON request cannot carry (direct calls)
                given = None
            if given is not None and len(given) <= _CACHEABLE_VARIABLES_LENGTH:
                key = (query, operation_name, given)
        cached = self._limits.get(key) if key is not None else None
        if cached is not None:
            return list(cached)
        limited = check_limits(
            schema,
            document,
            self.policy.limits,
            operation_name=operation_name,
            variables=variables,
        )
        if key is not None:
            self._limits.put(key, tuple(limited))
        return limited


class DocumentGuard(SchemaExtension):
    """The per-request face of a ``Guard`` (Strawberry builds one extension per request)."""

    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            # A refusal raised here reaches the client as a pre-execution error (data absent).
            document = self.guard.parse(ctx.query)
            # Strawberry runs the first operation when none is named; the GraphQL spec says a
            # document with several operations needs ``operationName``. (``_provided_operation_
            # name`` is Strawberry 0.341's record of what the request named; a test covers it.)
            named = getattr(ctx, "_provided_operation_name", None)
            if named is None and _operation_count(document) > 1:
                raise PortalGraphQLError(
                    "The document holds several operations: name the one to run with "
                    "`operationName`.",
                    ErrorCode.OPERATION_RESOLUTION_FAILURE,
                )
            ctx.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.pre_execution_errors is None and ctx.graphql_document is not None:
            # Setting the errors (even an empty list) tells Strawberry validation has been done.
            ctx.pre_execution_errors = self.guard.validate(
                ctx.schema._schema,
                ctx.query or "",
                ctx.graphql_document,
                tuple(ctx.validation_rules),
                ctx.operation_name,
                ctx.variables,
            )
        yield


def _operation_count(document: DocumentNode) -> int:
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)


def _parse_error(error: GraphQLSyntaxError, policy: GuardPolicy) -> GraphQLError:
    if _TOO_MANY_TOKENS.search(error.message):
        return too_complex(
            f"The document has more than {policy.max_tokens} tokens.", "tokens", policy.max_tokens
        )
    if _TOO_DEEP in error.message:
        return too_complex("The document is nested too deeply.", "depth", policy.limits.max_depth)
    return GraphQLError(
        error.message,
        source=error.source,
        positions=error.positions,
        extensions={"code": ErrorCode.GRAPHQL_PARSE_FAILED.value},
    )


class _NulFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[StringValueNode] = []

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.found.append(node)


def _nul_in_strings(query: str, document: DocumentNode) -> list[GraphQLError]:
    # NUL reaches a literal as itself or through an escape (\u0000, \u{0}); skip the walk when the
    # text holds neither.
    if "\x00" not in query and "\\u" not in query:
        return []
    finder = _NulFinder()
    visit(document, finder)
    if not finder.found:
        return []
    return [
        PortalGraphQLError(
            "Strings must not contain the NUL character (U+0000).",
            ErrorCode.BAD_USER_INPUT,
            nodes=finder.found,
        )
    ]
