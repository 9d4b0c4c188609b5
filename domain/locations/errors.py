"""The userErrors of locations and areas (stable codes; messages safe to show)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import UserError


def name_taken(field: Sequence[str], parent: str) -> UserError:
    return UserError("NAME_TAKEN", f"Another {parent} already has this name.", field)


def location_not_empty(field: Sequence[str]) -> UserError:
    return UserError(
        "LOCATION_NOT_EMPTY",
        "This location still holds devices: move or remove them first.",
        field,
    )


def area_not_empty(field: Sequence[str]) -> UserError:
    return UserError(
        "AREA_NOT_EMPTY", "This area still holds devices: move or remove them first.", field
    )


def cannot_delete_default(field: Sequence[str], what: str) -> UserError:
    return UserError(
        "CANNOT_DELETE_DEFAULT",
        f"The organization's default {what} cannot be deleted; rename it instead.",
        field,
    )


def cannot_move_default_area(field: Sequence[str]) -> UserError:
    return UserError(
        "CANNOT_MOVE_DEFAULT_AREA",
        "The organization's default area stays in the default location.",
        field,
    )
