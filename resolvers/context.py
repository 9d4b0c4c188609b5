from __future__ import annotations

from typing import Any, cast

from schema.context import Context


def context_of(info: Any) -> Context:
    return cast(Context, info.context)
