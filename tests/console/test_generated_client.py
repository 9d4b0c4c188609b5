"""The console's typed client (console/api) is generated from the live schema and the queries in
console/queries (`make console-client`): these tests fail when either changed without it."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

from graphql import parse, print_ast

REPO = Path(__file__).resolve().parents[2]
CONSOLE = REPO / "console"
CODEGEN = REPO / ".venv-codegen" / "bin" / "ariadne-codegen"


def test_every_operation_is_in_the_generated_client() -> None:
    """Cheap and always on: each operation's text, as written, is what the client sends."""
    client = (CONSOLE / "api" / "client.py").read_text()
    compact = " ".join(client.split())
    for path in sorted((CONSOLE / "queries").glob("*.graphql")):
        for definition in parse(path.read_text()).definitions:
            if getattr(definition, "operation", None) is None:
                continue
            body = " ".join(print_ast(definition).split())
            assert body in compact, (
                f"{path.name}: {definition.name.value} is stale: `make console-client`"
            )  # type: ignore[union-attr]


def test_regenerating_the_client_changes_nothing(tmp_path: Path) -> None:
    """Against the checked-in schema.graphql (itself checked against the live schema by
    tests/graphql/test_sdl_file.py). `make test` installs the generator (.venv-codegen)."""
    assert CODEGEN.exists(), "ariadne-codegen is missing: `make test-deps` installs it"
    work = tmp_path / "console"
    work.mkdir()
    shutil.copy(REPO / "schema.graphql", tmp_path / "schema.graphql")
    for name in ("base_client.py", "codegen.toml"):
        shutil.copy(CONSOLE / name, work / name)
    shutil.copytree(CONSOLE / "queries", work / "queries")
    subprocess.run(
        [str(CODEGEN), "--config", "console/codegen.toml", "client"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh, committed = work / "api", CONSOLE / "api"
    names = sorted(p.name for p in fresh.glob("*.py"))
    assert names == sorted(p.name for p in committed.glob("*.py"))
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, names, shallow=False)
    assert not mismatch and not errors, f"stale: {mismatch + errors}; run `make console-client`"


def test_the_console_imports_neither_domain_nor_db() -> None:
    """The import-linter contract in pyproject.toml (`lint-imports`)."""
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(linter), "--contract", "console-public-api-only"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
