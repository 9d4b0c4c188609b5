"""The benchmarks' CPU pinning (bench/_load.py): the login and refresh benchmarks narrow their own
process to the load's CPU before they start the server with ``pin(0)``; the server must still land
on the first CPU, not inherit the load generator's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# In a child process, so that the test worker keeps its own affinity.
_CHILD = """
import json, os, shutil, subprocess, sys
from bench._load import pin
allowed = sorted(os.sched_getaffinity(0))
os.sched_setaffinity(0, {allowed[-1]})  # as bench_login and bench_refresh do for the load
prefix = pin(0)
probe = [*prefix, sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"]
server = json.loads(subprocess.run(probe, capture_output=True, text=True, check=True).stdout)
taskset = shutil.which("taskset") is not None
print(json.dumps({"allowed": allowed, "prefix": prefix, "server": server, "taskset": taskset}))
"""


def test_the_server_runs_on_the_first_cpu_after_the_load_took_the_last() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = json.loads(out)
    if len(seen["allowed"]) < 2 or not seen["taskset"]:  # nothing to pin with, or nothing to pin
        assert seen["prefix"] == []
        return
    assert seen["prefix"] == ["taskset", "-c", str(seen["allowed"][0])]
    assert seen["server"] == [seen["allowed"][0]]
