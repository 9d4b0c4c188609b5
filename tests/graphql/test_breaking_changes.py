"""scripts/breaking_changes.py: what breaks a client, and when it counts as announced."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scripts.breaking_changes import breaking_changes, main, subjects, unannounced

OLD = """
type Query { viewer: Viewer!  devices(first: Int): [String!]! }
type Viewer { name: String!  role: Role! }
enum Role { ADMIN USER }
"""


def test_additions_break_nothing() -> None:
    new = OLD + "type Extra { id: ID! }\n"
    new = new.replace("name: String!", "name: String!  email: String")
    assert breaking_changes(OLD, new) == []


def test_removals_and_narrowing_are_breaking() -> None:
    new = """
    type Query { viewer: Viewer  devices(first: Int!): [String!]! }
    type Viewer { role: Role! }
    enum Role { ADMIN }
    """
    changes = breaking_changes(OLD, new)
    assert len(changes) == 4, changes
    assert {name for change in changes for name in subjects(change)} >= {
        "Viewer.name",
        "Role.USER",
        "Query.viewer",
        "Query.devices",
    }


def test_a_breaking_line_naming_the_change_announces_it() -> None:
    changes = ["Field Viewer.name was removed.", "Enum value Role.USER was removed."]
    notes = "Drop names\n\nBREAKING: Viewer.name is gone (use displayName)\n"
    assert unannounced(changes, notes) == ["Enum value Role.USER was removed."]
    # A mention without BREAKING, or of a longer name, does not count.
    assert unannounced(changes[:1], "Viewer.name is gone") == changes[:1]
    assert unannounced(changes[:1], "BREAKING: Viewer.names") == changes[:1]


def test_a_removed_type_is_named_by_its_name() -> None:
    changes = breaking_changes(OLD + "type Gone { id: String! }\n", OLD)
    assert changes == ["Gone was removed."]
    assert unannounced(changes, "BREAKING: type Gone removed") == []


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "SCHEMA_BASE_REF": "",
    }.items():
        monkeypatch.setenv(name, value)
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("x\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "start")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _commit_sdl(repo: Path, sdl: str, message: str) -> None:
    (repo / "schema.graphql").write_text(sdl)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", message)


def test_passes_without_an_earlier_schema(repo: Path) -> None:
    _commit_sdl(repo, OLD, "first schema")
    assert main([]) == 0


def test_fails_on_an_unannounced_break_and_passes_once_announced(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_sdl(repo, OLD, "first schema")
    broken = OLD.replace("name: String!", "")
    _commit_sdl(repo, broken, "tidy the viewer")
    assert main([]) == 1
    assert "Viewer.name" in capsys.readouterr().out

    _git(repo, "commit", "-q", "--amend", "-m", "tidy the viewer\n\nBREAKING: Viewer.name removed")
    assert main([]) == 0

    _git(repo, "commit", "-q", "--amend", "-m", "tidy the viewer")
    (repo / "CHANGELOG.md").write_text("- BREAKING: `Viewer.name` removed; ask `User` instead\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "--amend", "--no-edit")
    assert main([]) == 0
    # An explicit base (CI's merge base) wins over HEAD~1.
    _git(repo, "commit", "-q", "--allow-empty", "-m", "later")
    assert main(["--base", "HEAD~1"]) == 0
    assert main(["--base", "HEAD~3"]) == 0
