"""The checked-in SDL (``schema.graphql``): the GraphQL contract as clients see it.

    python -m scripts.sdl print   # the live schema's SDL on stdout
    python -m scripts.sdl dump    # rewrite schema.graphql (``make schema``)
    python -m scripts.sdl check   # exit 1 when schema.graphql differs from the live schema

The SDL does not depend on settings (limits and production only change how requests run), so
the defaults build it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDL_FILE = ROOT / "schema.graphql"
REGENERATE = "make schema  (or: .venv/bin/python -m scripts.sdl dump)"


def live_sdl() -> str:
    from api.root import build_schema
    from settings import Settings

    return build_schema(Settings()).as_str().rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "print"
    if command == "print":
        sys.stdout.write(live_sdl())
        return 0
    if command == "dump":
        SDL_FILE.write_text(live_sdl(), encoding="utf-8")
        return 0
    if command == "check":
        current = SDL_FILE.read_text(encoding="utf-8") if SDL_FILE.exists() else ""
        if current != live_sdl():
            print(f"schema.graphql differs from the live schema; regenerate it: {REGENERATE}")
            return 1
        return 0
    print(f"usage: python -m scripts.sdl [print|dump|check], not {command!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
