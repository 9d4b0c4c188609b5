"""Static limits on a GraphQL document, checked before anything runs (SECURITY.md "GraphQL").

One pass over the parsed document measures what a client could make the server do:

* operations and fragments — how many definitions the document holds;
* depth — the most fields on one path (``{ viewer { user { email } } }`` is 3 deep);
* aliases — aliased fields, counted once per place a fragment is spread;
* repeats — how often one response key with a selection set appears in one selection set
  (inline fragments included): graphql-core's "fields can be merged" rule compares such fields
  pairwise, so a few hundred copies of ``viewer { role }`` cost half a second to validate;
* cost — every field costs 1, and a list multiplies the cost of its selections by the number of
  items it may return: a field with a ``first``/``last`` argument by that argument (a literal, or a
  variable's value), clamped to the maximum page size and defaulting to it; any other list field by
  the maximum page size, except the ``edges``/``nodes`` lists of a connection, whose size the
  connection field has already counted, and the lists of ``BOUNDED_LISTS``, whose length the data
  model bounds.

Fragments are measured once each (memoized), so fragments spread into fragments cannot make the
analysis itself expensive. Introspection (``__schema``, ``__type``) is neither deep nor costly
here: in production it is refused outright, in development GraphiQL needs it.

Every refusal is a ``QUERY_TOO_COMPLEX`` error whose extensions name the ``limit``, its
``maximum`` and the ``actual`` value measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from schema.errors import ErrorCode, PortalGraphQLError

# Cost values are capped here so that a document built to overflow (fragments spread into
# fragments, each multiplying) keeps to small integers; anything this big is refused anyway.
_COST_CAP = 10**12
_PAGINATION_ARGUMENTS = ("first", "last")

# Plain list fields whose length the data model bounds (not a page size): (type, field) -> at most
# that many items. Device.licenses holds at most one license per product (a unique index), and the
# catalog is a handful of apps (tests/licenses/test_app_tiles.py fails if it outgrows this).
BOUNDED_LISTS: Mapping[tuple[str, str], int] = {("Device", "licenses"): 10}
_INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_cost: int
    max_page_size: int
    max_operations: int
    max_fragments: int
    # Not a setting: no client needs more, and validation stays fast below it.
    max_repeats: int = 10


def too_complex(
    message: str, limit: str, maximum: int, actual: int | None = None, nodes: Any = None
) -> GraphQLError:
    details: dict[str, object] = {"limit": limit, "maximum": maximum}
    if actual is not None:
        details["actual"] = actual
    return PortalGraphQLError(message, ErrorCode.QUERY_TOO_COMPLEX, nodes=nodes, **details)


def check_limits(
    schema: GraphQLSchema,
    document: DocumentNode,
    limits: Limits,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> list[GraphQLError]:
    """The limits this document breaks (empty when it may run). Counts come first: they are free
    and bound the work of the rest."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if len(operations) > limits.max_operations:
        return [
            too_complex(
                f"The document holds {len(operations)} operations; at most "
                f"{limits.max_operations} are allowed.",
                "operations",
                limits.max_operations,
                len(operations),
            )
        ]
    if len(fragments) > limits.max_fragments:
        return [
            too_complex(
                f"The document holds {len(fragments)} fragments; at most "
                f"{limits.max_fragments} are allowed.",
                "fragments",
                limits.max_fragments,
                len(fragments),
            )
        ]
    repeated = _most_repeated(operations, fragments)
    if repeated is not None and repeated[1] > limits.max_repeats:
        key, count, node = repeated
        return [
            too_complex(
                f"The field `{key}` is selected {count} times in one selection set; at most "
                f"{limits.max_repeats} are allowed.",
                "repeats",
                limits.max_repeats,
                count,
                node,
            )
        ]
    # A document nested beyond what the parser could handle never gets here; the analysis
    # recurses through fields and fragment spreads, so it reports the rare stack overflow the same
    # way graphql-core does: as a document that is too deep (raised outside the except block, so
    # the traceback does not keep the whole recursion alive).
    overflow = False
    try:
        errors = _Analysis(schema, document, limits, variables).run(operations, operation_name)
    except RecursionError:
        overflow = True
    if overflow:
        return [
            too_complex(
                "The document is nested too deeply.", "depth", limits.max_depth, None, operations
            )
        ]
    return errors


def _unwrap_non_null(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


class _Analysis:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        limits: Limits,
        variables: Mapping[str, Any] | None,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.variables: Mapping[str, Any] = variables or {}
        self.defaults: dict[str, Any] = {}
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._depth: dict[str, int] = {}
        self._aliases: dict[str, int] = {}
        self._cost: dict[str, int] = {}
        # Fragments being measured right now: a cycle (which validation reports as an error of its
        # own) counts as nothing instead of recursing forever.
        self._open: set[str] = set()

    def run(
        self, operations: list[OperationDefinitionNode], operation_name: str | None
    ) -> list[GraphQLError]:
        limits = self.limits
        depth = max((self.depth(op.selection_set) for op in operations), default=0)
        if depth > limits.max_depth:
            return [
                too_complex(
                    f"The document is {depth} fields deep; at most {limits.max_depth} are allowed.",
                    "depth",
                    limits.max_depth,
                    depth,
                )
            ]
        aliases = sum(self.aliases(op.selection_set) for op in operations)
        if aliases > limits.max_aliases:
            return [
                too_complex(
                    f"The document uses {aliases} aliases; at most {limits.max_aliases} are "
                    "allowed.",
                    "aliases",
                    limits.max_aliases,
                    aliases,
                )
            ]
        operation = _select(operations, operation_name)
        if operation is None:
            return []  # which operation to run is decided (and refused) elsewhere
        root = self._root_type(operation)
        self.defaults = {
            v.variable.name.value: v.default_value.value
            for v in operation.variable_definitions or ()
            if isinstance(v.default_value, IntValueNode)
        }
        cost = self.cost(operation.selection_set, root)
        if cost > limits.max_cost:
            return [
                too_complex(
                    f"The operation would cost {cost}; at most {limits.max_cost} is allowed. "
                    "Each field costs 1, and a list multiplies the cost of its selections by "
                    f"its page size (`first`/`last`, {limits.max_page_size} when not given): "
                    "ask for smaller pages or fewer fields.",
                    "cost",
                    limits.max_cost,
                    cost,
                    operation,
                )
            ]
        return []

    # --- depth ---------------------------------------------------------------------------------
    def depth(self, selection_set: SelectionSetNode | None) -> int:
        best = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value in _INTROSPECTION_ROOTS:
                    found = 1
                else:
                    found = 1 + self.depth(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                found = self.depth(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                found = self._fragment(selection, self._depth, self.depth)
            else:  # pragma: no cover (no other kind of selection exists)
                found = 0
            best = max(best, found)
        return best

    # --- aliases -------------------------------------------------------------------------------
    def aliases(self, selection_set: SelectionSetNode | None) -> int:
        count = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                count += 1 if selection.alias else 0
                if selection.name.value not in _INTROSPECTION_ROOTS:
                    count += self.aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment(selection, self._aliases, self.aliases)
        return min(count, _COST_CAP)

    # --- cost ----------------------------------------------------------------------------------
    def cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, scope)
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                scope = (
                    self.schema.get_type(definition.type_condition.name.value)
                    if definition
                    else None
                )
                total += self._fragment(
                    selection, self._cost, lambda s, scope=scope: self.cost(s, scope)
                )
        return min(total, _COST_CAP)

    def _field_cost(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1
        fields = (
            parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        )
        definition = fields.get(name)
        if definition is None:
            # Unknown to the schema: validation refuses it; count it and what it selects.
            return 1 + self.cost(node.selection_set, None)
        child = self.cost(node.selection_set, get_named_type(definition.type))
        return min(1 + self._multiplier(node, definition, parent) * child, _COST_CAP)

    def _multiplier(self, node: FieldNode, definition: Any, parent: Any) -> int:
        page = self.limits.max_page_size
        if any(name in definition.args for name in _PAGINATION_ARGUMENTS):
            sizes = [
                size
                for argument in node.arguments or ()
                if argument.name.value in _PAGINATION_ARGUMENTS
                and (size := self._int_value(argument.value)) is not None
            ]
            return max(0, min(max(sizes) if sizes else page, page))
        if isinstance(_unwrap_non_null(definition.type), GraphQLList):
            if _is_connection(parent):
                return 1
            return min(
                BOUNDED_LISTS.get((getattr(parent, "name", ""), node.name.value), page), page
            )
        return 1

    def _int_value(self, value: Any) -> int | None:
        if isinstance(value, IntValueNode):
            try:
                return int(value.value)
            except ValueError:  # beyond int()'s digit limit: as large as it gets
                return _COST_CAP
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value, self.defaults.get(value.name.value))
            if isinstance(given, str) and given.lstrip("-").isdigit():
                given = int(given) if len(given) < 20 else _COST_CAP  # an IntValue default
            if isinstance(given, int) and not isinstance(given, bool):
                return given
        return None

    # --- shared --------------------------------------------------------------------------------
    def _fragment(self, spread: FragmentSpreadNode, memo: dict[str, int], measure: Any) -> int:
        name = spread.name.value
        if name in memo:
            return memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self._open:
            return 0
        self._open.add(name)
        try:
            value: int = measure(definition.selection_set)
        finally:
            self._open.discard(name)
        memo[name] = value
        return value

    def _root_type(self, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
        if operation.operation is OperationType.MUTATION:
            return self.schema.mutation_type
        if operation.operation is OperationType.SUBSCRIPTION:
            return self.schema.subscription_type
        return self.schema.query_type


def _most_repeated(
    operations: list[OperationDefinitionNode], fragments: list[FragmentDefinitionNode]
) -> tuple[str, int, FieldNode] | None:
    """The response key (of a field with selections) repeated most in one selection set, counting
    through inline fragments as graphql-core's merge rule does. Iterative: no recursion."""
    worst: tuple[str, int, FieldNode] | None = None
    sets = [d.selection_set for d in (*operations, *fragments)]
    while sets:
        counts: dict[str, int] = {}
        first: dict[str, FieldNode] = {}
        flatten = [sets.pop()]
        while flatten:
            for selection in flatten.pop().selections:
                if isinstance(selection, FieldNode) and selection.selection_set:
                    key = (selection.alias or selection.name).value
                    counts[key] = counts.get(key, 0) + 1
                    first.setdefault(key, selection)
                    sets.append(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    flatten.append(selection.selection_set)
        for key, count in counts.items():
            if worst is None or count > worst[1]:
                worst = (key, count, first[key])
    return worst


def _is_connection(type_: Any) -> bool:
    """A Relay connection: its ``edges``/``nodes`` lists are sized by the connection field."""
    fields = getattr(type_, "fields", None) or {}
    return "pageInfo" in fields and ("edges" in fields or "nodes" in fields)


def _select(
    operations: Iterable[OperationDefinitionNode], operation_name: str | None
) -> OperationDefinitionNode | None:
    candidates = list(operations)
    if operation_name is None:
        return candidates[0] if len(candidates) == 1 else None
    return next((op for op in candidates if op.name and op.name.value == operation_name), None)
