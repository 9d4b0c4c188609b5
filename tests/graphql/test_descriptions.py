"""Every type, field, argument, input field and enum value of the schema says what it is: the SDL
is the API's documentation (at least 95 % described; the list names what is not)."""

from __future__ import annotations

from graphql import (
    GraphQLSchema,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_introspection_type,
    is_object_type,
    is_specified_scalar_type,
)

from api.root import build_schema
from settings import Settings

MINIMUM_SHARE = 0.95


def described(schema: GraphQLSchema) -> dict[str, bool]:
    """Each schema element by its coordinate (``Type.field(argument)``), and whether it has a
    description. Built-in scalars and introspection types are graphql-core's, not ours."""
    found: dict[str, bool] = {}
    for name, named in schema.type_map.items():
        if is_introspection_type(named) or is_specified_scalar_type(named):
            continue
        found[name] = bool(named.description)
        if is_object_type(named) or is_interface_type(named):
            for field_name, field in named.fields.items():
                found[f"{name}.{field_name}"] = bool(field.description)
                for arg_name, arg in field.args.items():
                    found[f"{name}.{field_name}({arg_name})"] = bool(arg.description)
        elif is_input_object_type(named):
            for field_name, input_field in named.fields.items():
                found[f"{name}.{field_name}"] = bool(input_field.description)
        elif is_enum_type(named):
            for value_name, value in named.values.items():
                found[f"{name}.{value_name}"] = bool(value.description)
    return found


def test_the_schema_is_described() -> None:
    found = described(build_schema(Settings())._schema)
    missing = sorted(name for name, has in found.items() if not has)
    share = 1 - len(missing) / len(found)
    assert share >= MINIMUM_SHARE, (
        f"{share:.1%} of {len(found)} schema elements have a description (at least "
        f"{MINIMUM_SHARE:.0%} must). Without one: {', '.join(missing)}"
    )
