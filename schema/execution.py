"""How the portal's schema executes a field: graphql-core's executor, with a short path for the
fields that only read an attribute, and for the objects they lead to.

Why: a page of 50 devices is about 900 fields and 250 objects, and most of them read an attribute
of their parent (``name``, ``status``, an edge's ``node``, a device's preloaded ``area``). For
each field graphql-core builds a ``GraphQLResolveInfo`` (15 values), calls Strawberry's resolver
wrapper (three calls deep to reach ``getattr``), then walks ``complete_value`` through the
non-null wrapper to the scalar's serializer or the object's sub-selection: together more CPU than
the SQL behind the page. None of that needs the info object, so ``PortalExecutionContext``
answers those fields in its ``execute_fields`` loop:

* a leaf read from an attribute is serialized directly (a ``str`` for String and ID, a ``bool``,
  an ``int`` in Int's range and an enum member need no serializer call at all);
* an object read from an attribute (``Edge.node``, ``Connection.pageInfo``), or from the
  attribute a resolver marked ``@preloaded`` answers when it is set (``Device.area``), has its
  sub-selection executed directly;
* any object value of a type we own (a list's items, a resolver's result) skips the wrapper
  chain of ``complete_value`` (``complete_value`` below).

What stays exactly as graphql-core does it: every field with a resolver of its own (unless
``@preloaded`` and its attribute is set), arguments, a permission or field extension, or a list
type; an object type with an ``is_type_of`` of its own; deferred fragments; and a value that is
not a plain answer (null, an exception, an awaitable, a value the scalar refuses, an object its
type's ``is_type_of`` refuses): those go the usual way, which reads the attribute again and
raises the same errors with the same paths. Schema extensions that hook each field (``resolve``,
which Strawberry runs as graphql-core middleware) turn the short path off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from inspect import isasyncgenfunction
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from graphql import (
    GraphQLEnumType,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_int, serialize_string
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition, has_object_definition
from strawberry.types.field import StrawberryField

# What the short path knows of a field (``_Leaf``/``_Object``), on the GraphQLField's extensions.
_SHORT = "portal-short"
# On an object type's extensions: graphql-core's own ``is_type_of`` check is all it needs (no
# ``is_type_of`` of ours that might read the resolve info).
_PLAIN_TYPE = "portal-plain-type"
# A resolver's marker (``preloaded``): the attribute it answers whenever that is not None.
_PRELOADED = "_portal_preloaded"

GRAPHQL_MIN_INT = -(2**31)
GRAPHQL_MAX_INT = 2**31 - 1

ResolverT = TypeVar("ResolverT", bound=Callable[..., Any])


def preloaded(attribute: str) -> Callable[[ResolverT], ResolverT]:
    """Mark a resolver that returns ``self.<attribute>`` (a dotted path is read attribute by
    attribute) whenever it is not None (a value loaded with the page) and loads the value itself
    otherwise: the short path then reads the attribute without calling it, and calls it only when
    the attribute is None."""

    def mark(resolver: ResolverT) -> ResolverT:
        setattr(resolver, _PRELOADED, attribute)
        return resolver

    return mark


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


class _Leaf(NamedTuple):
    """A scalar or enum read by ``read`` (an attribute, or a dotted path of them)."""

    read: Callable[[Any], Any]
    leaf_type: GraphQLLeafType
    non_null: bool
    # None means "ask the resolver" (a ``preloaded`` field), not a null answer.
    preloaded: bool
    # Values of exactly this class are their own serialization (str for String and ID, ...).
    same: type | None
    # An enum's members (of exactly ``enum_class``) and their names.
    enum_class: type | None
    names: dict[Any, str] | None


class _Object(NamedTuple):
    """An object read by ``read`` (a basic field's attribute, or a ``preloaded`` resolver's)."""

    read: Callable[[Any], Any]
    return_type: GraphQLOutputType
    object_type: GraphQLObjectType


def _same_class(leaf: GraphQLLeafType) -> type | None:
    """The class whose values graphql-core's serializer of ``leaf`` returns unchanged (Int:
    within its range, checked by the caller), when ``leaf`` uses graphql-core's serializer."""
    if not isinstance(leaf, GraphQLScalarType):
        return None
    serialize = leaf.coerce_output_value
    if serialize is serialize_string or serialize is serialize_id:
        return str
    if serialize is serialize_boolean:
        return bool
    if serialize is serialize_int:
        return int
    return None


def _enum_names(leaf: GraphQLLeafType) -> tuple[type | None, dict[Any, str] | None]:
    """A Strawberry enum's Python class and each member's name as the type serializes it."""
    enum_class = getattr(leaf, "wrapped_cls", None)
    if not isinstance(leaf, GraphQLEnumType) or not (
        isinstance(enum_class, type) and issubclass(enum_class, Enum)
    ):
        return None, None
    return enum_class, {member: leaf.coerce_output_value(member) for member in enum_class}


def _leaf(attribute: str, field_type: GraphQLOutputType, preloaded: bool) -> _Leaf | None:
    non_null = isinstance(field_type, GraphQLNonNull)
    leaf = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not is_leaf_type(leaf):
        return None
    enum_class, names = _enum_names(leaf)
    return _Leaf(
        attrgetter(attribute), leaf, non_null, preloaded, _same_class(leaf), enum_class, names
    )


def _object(attribute: str, field_type: GraphQLOutputType) -> _Object | None:
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not isinstance(inner, GraphQLObjectType) or _PLAIN_TYPE not in inner.extensions:
        return None
    return _Object(attrgetter(attribute), field_type, inner)


def _mark_plain_types(graphql_schema: GraphQLSchema) -> None:
    """Mark the object types whose ``is_type_of`` is graphql-core's or Strawberry's own (an
    ``isinstance`` that ignores the resolve info), so their values may skip the info."""
    for type_name, named in graphql_schema.type_map.items():
        if not isinstance(named, GraphQLObjectType) or type_name.startswith("__"):
            continue
        definition = (named.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if isinstance(definition, StrawberryObjectDefinition) and definition.is_type_of is None:
            named.extensions = {**named.extensions, _PLAIN_TYPE: True}


def shorten_resolvers(schema: Any) -> None:
    """Shorten what Strawberry runs for each field of ``schema`` (a ``strawberry.Schema``) where
    nothing is lost: every field that only reads an attribute (a "basic" field: no resolver, no
    extension, no argument) gets a plain ``getattr`` resolver, the leaves and objects among them
    are marked for the short path, a resolver without arguments or extensions is called directly,
    and one marked ``preloaded`` is marked for the short path too (its attribute first).

    Run after every other resolver wrapping (schema/scopes.py): a field wrapped there keeps
    Strawberry's resolver inside its wrapper."""
    graphql_schema: GraphQLSchema = schema._schema
    info_class = schema.config.info_class
    _mark_plain_types(graphql_schema)
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
            short: _Leaf | _Object | None = None
            if definition.is_basic_field:
                graphql_field.resolve = _attribute_resolver(definition.python_name)
                short = _leaf(definition.python_name, graphql_field.type, False) or _object(
                    definition.python_name, graphql_field.type
                )
            else:
                direct = _direct_resolver(definition, info_class)
                if direct is None:
                    continue
                graphql_field.resolve = direct
                assert definition.base_resolver is not None  # a direct resolver has one
                attribute = getattr(
                    definition.base_resolver._unbound_wrapped_func, _PRELOADED, None
                )
                if attribute is not None:
                    short = _leaf(attribute, graphql_field.type, True) or _object(
                        attribute, graphql_field.type
                    )
            if short is not None:
                graphql_field.extensions = {**graphql_field.extensions, _SHORT: short}


_FALLBACK = object()


def _leaf_value(source: Any, leaf: _Leaf) -> Any:
    """The serialized value of an attribute leaf, or ``_FALLBACK`` when graphql-core's own way
    must answer it (a null where none may be, an exception, a value the scalar refuses, a
    preloaded field whose value was not loaded)."""
    try:
        value = leaf.read(source)
        kind = type(value)
        if kind is leaf.same and (kind is not int or GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT):
            return value
        if kind is leaf.enum_class:
            return leaf.names[value]  # type: ignore[index]  # set with enum_class
        if value is None:
            return _FALLBACK if leaf.non_null or leaf.preloaded else None
        if value is Undefined or isinstance(value, Exception):
            return _FALLBACK
        coerced = leaf.leaf_type.coerce_output_value(value)
    except Exception:  # the usual way reports it
        return _FALLBACK
    return _FALLBACK if coerced is None or coerced is Undefined else coerced


# Classes whose instances are plain objects: a Strawberry type's, neither awaitable nor an error.
_PLAIN_CLASSES: dict[type, bool] = {}


def _is_plain(value: Any, object_type: GraphQLObjectType) -> bool:
    """Whether graphql-core would complete ``value`` as an ``object_type`` straight away: an
    instance of a Strawberry type (not awaitable, not an error) that the type's ``is_type_of``
    (Strawberry's, which ignores the info) accepts."""
    kind = type(value)
    plain = _PLAIN_CLASSES.get(kind)
    if plain is None:
        plain = _PLAIN_CLASSES[kind] = (
            has_object_definition(kind)
            and not hasattr(kind, "__await__")
            and not issubclass(kind, BaseException)
        )
    if not plain:
        return False
    is_type_of = object_type.is_type_of
    # Only types whose is_type_of ignores the info are marked plain (``_mark_plain_types``).
    return is_type_of is None or is_type_of(value, None) is True  # type: ignore[arg-type]


async def _settled(
    executor: PortalExecutionContext,
    completed: Awaitable[Any],
    return_type: GraphQLOutputType,
    field_details_list: Any,
    path: Path,
) -> Any:
    """graphql-core's ``execute_field`` for an awaitable completion: a failure is the field's."""
    try:
        return await completed
    except Exception as raw_error:
        executor.handle_field_error(raw_error, return_type, field_details_list, path)
        return None


class _Step(NamedTuple):
    response_name: str
    field_details_list: Any
    short: _Leaf | _Object | None


class PortalExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short paths."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._short = manager is None or not manager.middlewares
        # Each grouped field set's steps (by its id; the set is kept alive with them): a page's
        # 50 nodes share one, collected once by graphql-core (``collect_subfields``).
        self._steps: dict[int, tuple[Any, GraphQLObjectType, list[_Step]]] = {}
        # The steps of the sub-selection of an object field or a list's items, by the field's
        # ``field_details_list`` (as graphql-core memoizes ``collect_subfields``).
        self._subfield_steps: dict[int, tuple[Any, GraphQLObjectType, list[_Step]]] = {}

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[_Step]:
        known = self._steps.get(id(grouped_field_set))
        if known is not None and known[0] is grouped_field_set and known[1] is parent_type:
            return known[2]
        fields = parent_type.fields
        steps = []
        for response_name, field_details_list in grouped_field_set.items():
            field_def = fields.get(field_details_list[0].node.name.value)
            short = field_def.extensions.get(_SHORT) if field_def is not None else None
            steps.append(_Step(response_name, field_details_list, short))
        self._steps[id(grouped_field_set)] = (grouped_field_set, parent_type, steps)
        return steps

    def _subfields(
        self,
        object_type: GraphQLObjectType,
        field_details_list: Any,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``collect_and_execute_subfields``: outside deferred fragments, the
        steps of the collected set are kept for the next object of the same field."""
        if position_context is not None or not self._short:
            return self.collect_and_execute_subfields(
                object_type, field_details_list, path, value, position_context
            )
        known = self._subfield_steps.get(id(field_details_list))
        if known is None or known[0] is not field_details_list or known[1] is not object_type:
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(
                object_type, field_details_list
            )
            if new_defer_usages:
                return self.execute_collected_subfields(
                    object_type, value, path, grouped_field_set, new_defer_usages, None
                )
            known = (field_details_list, object_type, self._plan(object_type, grouped_field_set))
            self._subfield_steps[id(field_details_list)] = known
        return self._execute_steps(object_type, value, path, known[2], None)

    def _object_value(
        self,
        source: Any,
        short: _Object,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_field`` for an object read from an attribute, without the
        resolve info; ``_FALLBACK`` when the value is not a plain object (nothing run yet)."""
        try:
            value = short.read(source)
        except Exception:  # the usual way reports it
            return _FALLBACK
        object_type = short.object_type
        if value is None or not _is_plain(value, object_type):
            return _FALLBACK
        try:
            completed = self._subfields(
                object_type, field_details_list, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, short.return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return _settled(self, completed, short.return_type, field_details_list, path)
        return completed

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields`` (3.3), with attribute leaves and objects answered in
        the loop: no resolve info for them, no ``Path`` for the leaves."""
        if not self._short:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        return self._execute_steps(
            parent_type,
            source_value,
            path,
            self._plan(parent_type, grouped_field_set),
            position_context,
        )

    def _execute_steps(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        steps: list[_Step],
        position_context: Any,
    ) -> Any:
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        type_name = parent_type.name
        try:
            for response_name, field_details_list, short in steps:
                if short.__class__ is _Leaf:
                    value = _leaf_value(source_value, short)
                    if value is not _FALLBACK:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, type_name)
                result = _FALLBACK
                if short.__class__ is _Object:
                    result = self._object_value(
                        source_value,
                        short,
                        field_details_list,
                        field_path,
                        position_context,
                    )
                if result is _FALLBACK:
                    # Everything else, and a value that is not a plain answer: graphql-core's own
                    # way, which reads the attribute again and raises the error it always raised.
                    result = super().execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
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
        deferred groups): the short path of leaves."""
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:
            field_def = parent_type.fields.get(field_details_list[0].node.name.value)
            short = field_def.extensions.get(_SHORT) if field_def is not None else None
            if isinstance(short, _Leaf):
                value = _leaf_value(source, short)
                if value is not _FALLBACK:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``complete_value``; a plain object of a plain type (a list's item, a
        resolver's result) goes straight to its sub-selection, as graphql-core's walk through
        the non-null wrapper and ``complete_object_value`` would take it."""
        inner = return_type.of_type if return_type.__class__ is GraphQLNonNull else return_type
        if (
            inner.__class__ is GraphQLObjectType
            and _PLAIN_TYPE in inner.extensions
            and result is not None
            and _is_plain(result, inner)
        ):
            return self._subfields(inner, field_details_list, path, result, position_context)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )
