"""CI: fail on a breaking change to ``schema.graphql`` that nobody announced.

    python -m scripts.breaking_changes [--base REF]

The base is ``--base``, else ``$SCHEMA_BASE_REF``, else the merge base with ``origin/main`` (or
``main``) when that is an earlier commit (on a branch), else ``HEAD~1`` (CI builds a clone of
main, where the merge base is HEAD itself). No base commit, or no ``schema.graphql`` in it:
nothing to compare, pass.

graphql-core's ``find_breaking_changes`` compares the base's SDL with the working tree's (the
schema test keeps that file equal to the live schema). A change is announced by a line that says
``BREAKING`` and names what changed (``Query.viewer``, ``Role.USER``, a type's name) in a commit
message since the base or in a line of CHANGELOG.md added since the base.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from graphql import build_schema, find_breaking_changes

SDL_PATH = "schema.graphql"
CHANGELOG_PATH = "CHANGELOG.md"
_DOTTED = re.compile(r"@?[A-Za-z_]\w*\.\w+")
_REMOVED_FROM = re.compile(r"^(\w+) was removed from (?:union|enum) type (\w+)")
_FIRST_NAME = re.compile(r"@?[A-Za-z_]\w*")


def breaking_changes(old_sdl: str, new_sdl: str) -> list[str]:
    """graphql-core's descriptions of what breaks a client of ``old_sdl`` in ``new_sdl``."""
    changes = find_breaking_changes(build_schema(old_sdl), build_schema(new_sdl))
    return [change.description for change in changes]


def subjects(description: str) -> list[str]:
    """The names a BREAKING line may use for this change, most specific first."""
    dotted = [name.lstrip("@") for name in _DOTTED.findall(description)]
    if dotted:
        return dotted
    removed_from = _REMOVED_FROM.match(description)
    if removed_from:
        member, owner = removed_from.groups()
        return [f"{owner}.{member}", member]
    first = _FIRST_NAME.match(description)
    return [first.group(0).lstrip("@")] if first else []


def unannounced(changes: Iterable[str], announcements: str) -> list[str]:
    """The changes no ``BREAKING`` line of ``announcements`` names."""
    lines = [line for line in announcements.splitlines() if "BREAKING" in line]

    def announced(change: str) -> bool:
        names = subjects(change)
        return any(
            re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", line) for line in lines for n in names
        )

    return [change for change in changes if not announced(change)]


def _git(*args: str) -> str | None:
    result = subprocess.run(  # noqa: S603 (fixed git arguments, no shell)
        ["git", *args],  # noqa: S607 (git from PATH, as the developer's and CI's shell finds it)
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout if result.returncode == 0 else None


def _commit(ref: str) -> str | None:
    found = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return found.strip() if found else None


def base_commit(explicit: str | None) -> str | None:
    if explicit:
        return _commit(explicit)
    head = _commit("HEAD")
    for main in ("origin/main", "main"):
        if _commit(main):
            merge_base = _git("merge-base", "HEAD", main)
            if merge_base and merge_base.strip() != head:
                return merge_base.strip()
            break
    return _commit("HEAD~1")


def announcements_since(base: str) -> str:
    messages = _git("log", "--format=%B", f"{base}..HEAD") or ""
    if not messages:
        messages = _git("log", "-1", "--format=%B") or ""
    diff = _git("diff", base, "--", CHANGELOG_PATH) or ""
    added = [
        line[1:]
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    return messages + "\n" + "\n".join(added)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.breaking_changes")
    parser.add_argument("--base", default=os.environ.get("SCHEMA_BASE_REF") or None)
    args = parser.parse_args(argv)
    base = base_commit(args.base)
    if base is None:
        print("breaking changes: no base commit to compare with; nothing to check")
        return 0
    old_sdl = _git("show", f"{base}:{SDL_PATH}")
    if old_sdl is None:
        print(f"breaking changes: {base[:12]} has no {SDL_PATH}; nothing to check")
        return 0
    new_path = Path(SDL_PATH)
    if not new_path.exists():
        print(f"breaking changes: {SDL_PATH} is gone; regenerate it with `make schema`")
        return 1
    changes = breaking_changes(old_sdl, new_path.read_text(encoding="utf-8"))
    missing = unannounced(changes, announcements_since(base))
    for change in changes:
        print(f"breaking change since {base[:12]}: {change}")
    if missing:
        print(
            "\nUnannounced breaking changes. Clients break on these; if that is intended, say so "
            f"in the commit message or in {CHANGELOG_PATH}, one line each with BREAKING and the "
            "name, e.g. `BREAKING: Query.viewer removed, use Query.me`:"
        )
        for change in missing:
            print(f"  - {change}  (name it as: {' or '.join(subjects(change))})")
        return 1
    print(f"breaking changes: {len(changes)} since {base[:12]}, all announced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
