"""Print the GraphQL schema's SDL (console/schema.graphql is this output; `make console-client`)."""

from __future__ import annotations

import sys

from schema.root import build_schema
from settings import Settings


def sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"


if __name__ == "__main__":
    sys.stdout.write(sdl())
