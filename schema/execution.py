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
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path, gather_with_cancel
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


_FALLBACK = object()


def _short_value(source: Any, short: tuple[str, GraphQLLeafType, bool]) -> Any:
    """The serialized value of an attribute leaf, or ``_FALLBACK`` when graphql-core's own way
    must answer it (a null where none may be, an exception, a value the scalar refuses)."""
    name, leaf_type, non_null = short
    try:
        value = getattr(source, name)
        if value is None:
            return _FALLBACK if non_null else None
        if value is Undefined or isinstance(value, Exception):
            return _FALLBACK
        coerced = leaf_type.coerce_output_value(value)
    except Exception:  # the usual way reports it
        return _FALLBACK
    return _FALLBACK if coerced is None or coerced is Undefined else coerced


class PortalExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short path for attribute leaves."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields`` (3.3), with attribute leaves answered in the loop:
        no ``Path``, no ``execute_field`` call, no resolve info for them."""
        manager = self.middleware_manager
        if manager is not None and manager.middlewares:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        fields = parent_type.fields
        type_name = parent_type.name
        try:
            for response_name, field_details_list in grouped_field_set.items():
                field_def = fields.get(field_details_list[0].node.name.value)
                if field_def is not None:
                    short = field_def.extensions.get(_ATTRIBUTE)
                    if short is not None:
                        value = _short_value(source_value, short)
                        if value is not _FALLBACK:
                            results[response_name] = value
                            continue
                # Everything else, and a leaf that is not a plain answer: graphql-core's own
                # way, which reads the attribute again and raises the error it always raised.
                result = super().execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, type_name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                # As graphql-core: settle the awaitables of other fields, which may fail too.
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise

        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """For the callers other than ``execute_fields`` (graphql-core's serial mutation fields,
        deferred groups): the same short path."""
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:
            field_def = parent_type.fields.get(field_details_list[0].node.name.value)
            short = field_def.extensions.get(_ATTRIBUTE) if field_def is not None else None
            if short is not None:
                value = _short_value(source, short)
                if value is not _FALLBACK:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
