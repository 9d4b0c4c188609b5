"""``python -m bench`` keeps one row per verdict in docs/benchmarks-*.json: a benchmark that runs
again replaces its rows, the others stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.__main__ as runner


def _verdict(benchmark: str, measure: str, value: float) -> dict[str, object]:
    return {
        "benchmark": benchmark,
        "measure": measure,
        "value": value,
        "goal": "≤ 1",
        "met": value <= 1,
        "conditions": "test",
        "figures": "",
    }


def test_a_benchmark_that_ran_replaces_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    runner._record([_verdict("memory", "old measure", 2.3), _verdict("login", "ratio", 0.7)], [])
    runner._record([_verdict("memory", "new measure", 0.9)], ["--quick"])
    rows = json.loads((tmp_path / "docs" / "benchmarks-sqlite.json").read_text())
    assert [(r["benchmark"], r["measure"], r["quick"]) for r in rows] == [
        ("login", "ratio", False),
        ("memory", "new measure", True),
    ]
    table = (tmp_path / "docs" / "benchmarks-sqlite.md").read_text()
    assert "new measure" in table and "old measure" not in table
