"""How the portal's schema executes a field: graphql-core's executor, with a short path for the
fields that only read an attribute.

Why: a page of 50 customers or devices is about 800 fields, and 650 of them are leaves read from
the node's own attributes (``name``, ``status``, a count). For each one graphql-core builds a
``GraphQLResolveInfo`` (15 values), calls Strawberry's resolver wrapper (three calls deep to reach
``getattr``), then walks ``complete_value`` through the non-null wrapper to the scalar's
serializer: together more CPU than the SQL behind the page. A leaf that only reads an attribute
needs none of the info object, so ``PortalExecutionContext.execute_field`` reads the attribute
and serializes it directly.

What stays exactly as graphql-core does it: every field with a resolver of its own, arguments,
a permission or field extension, or an object or list type; and a leaf whose value is not a plain
answer (null, an exception, a value the scalar refuses): those go the usual way, which raises the
same errors with the same paths. Schema extensions that hook each field (``resolve``, which
Strawberry runs as graphql-core middleware) turn the short path off.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isasyncgenfunction
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# The attribute a short-path field reads and its leaf type, set on the GraphQLField's extensions.
_ATTRIBUTE = "portal-attribute"


def _attribute_resolver(name: str) -> Callable[..., Any]:
    """What Strawberry's resolver of a basic field does (``getattr(source, python_name)``),
    without its three nested calls."""

    def resolve(source: Any, _info: Any) -> Any:
        return getattr(source, name)

    resolve._is_default = True  # type: ignore[attr-defined]  # Strawberry's marker, kept
    return resolve


def _direct_resolver(definition: StrawberryField, info_class: type) -> Callable[..., Any] | None:
    """What Strawberry's resolver wrapper does for a field whose resolver takes no argument (only
    ``self``/``root``/``parent``/``info``) and has no extension: call it with the source and an
    ``Info``, without the wrapper's six nested calls (argument conversion of nothing, extension
    chain of nothing). None when the field needs more than that."""
    resolver = definition.base_resolver
    if (
        resolver is None
        or definition.extensions
        or definition.arguments
        or definition.is_subscription
        or isasyncgenfunction(resolver._unbound_wrapped_func)
        or not callable(resolver.wrapped_func)
    ):
        return None
    func = resolver.wrapped_func
    as_self = resolver.self_parameter is not None
    as_keywords = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    if as_self and not as_keywords and info_name is None:

        def resolve_self(source: Any, _info: Any) -> Any:
            return func(source)

        return resolve_self
    if as_self and not as_keywords and info_name is not None:

        def resolve_self_info(source: Any, info: Any) -> Any:
            return func(source, **{info_name: info_class(_raw_info=info, _field=definition)})

        return resolve_self_info

    def resolve(source: Any, info: Any) -> Any:
        kwargs: dict[str, Any] = dict.fromkeys(as_keywords, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=definition)
        return func(source, **kwargs) if as_self else func(**kwargs)

    return resolve


def shorten_resolvers(schema: Any) -> None:
    """Shorten what Strawberry runs for each field of ``schema`` (a ``strawberry.Schema``) where
    nothing is lost: every field that only reads an attribute (a "basic" field: no resolver, no
    extension, no argument) gets a plain ``getattr`` resolver, the leaves among them are marked
    for the short path, and a resolver without arguments or extensions is called directly.

    Run after every other resolver wrapping (schema/scopes.py): a field wrapped there keeps
    Strawberry's resolver inside its wrapper."""
    graphql_schema: GraphQLSchema = schema._schema
    info_class = schema.config.info_class
    for type_name, named in graphql_schema.type_map.items():
        if not isinstance(named, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for graphql_field in named.fields.values():
            definition = (graphql_field.extensions or {}).get(
                GraphQLCoreConverter.DEFINITION_BACKREF
            )
            if (
                not isinstance(definition, StrawberryField)
                or graphql_field.args
                # Strawberry's own resolver (it marks each), not a wrapper of ours around it.
                or not hasattr(graphql_field.resolve, "_is_default")
            ):
                continue
            if not definition.is_basic_field:
                direct = _direct_resolver(definition, info_class)
                if direct is not None:
                    graphql_field.resolve = direct
                continue
            graphql_field.resolve = _attribute_resolver(definition.python_name)
            leaf = graphql_field.type
            non_null = isinstance(leaf, GraphQLNonNull)
            if non_null:
                leaf = leaf.of_type
            if is_leaf_type(leaf):
                graphql_field.extensions = {
                    **graphql_field.extensions,
                    _ATTRIBUTE: (definition.python_name, leaf, non_null),
                }


class PortalExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short path for attribute leaves."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:
            field_def: GraphQLField | None = parent_type.fields.get(
                field_details_list[0].node.name.value
            )
            short = field_def.extensions.get(_ATTRIBUTE) if field_def is not None else None
            if short is not None:
                name, leaf, non_null = short
                leaf_type: GraphQLLeafType = leaf
                try:
                    value = getattr(source, name)
                    coerced = (
                        None
                        if value is None or value is Undefined or isinstance(value, Exception)
                        else leaf_type.coerce_output_value(value)
                    )
                except Exception:  # the usual way below reports it
                    value = coerced = Undefined
                if coerced is not None and coerced is not Undefined:
                    return coerced
                if value is None and not non_null:
                    return None
        # Anything else, and every leaf that is not a plain answer: graphql-core's own way, which
        # reads the attribute again and raises the error it always raised.
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
