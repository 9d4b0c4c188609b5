"""The one way a benchmark states its result: the measure its docstring names, the goal, met or
NOT met, and the exit status (``make bench`` fails when any goal is missed). Each verdict is also
appended to ``var/bench/results.jsonl`` when ``PORTAL_BENCH_RESULTS`` names a file (see
``python -m bench``), from which docs/PRODUCTION.md's table is generated.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def verdict(
    benchmark: str,
    measure: str,
    value: float,
    goal: float,
    *,
    at_most: bool = False,
    conditions: str = "",
    figures: str = "",
) -> int:
    """Print ``measure: value, goal (met|NOT met)``; 0 when met, 1 when not. ``at_most``: the
    goal is a ceiling (a ratio of costs) instead of a floor (a rate)."""
    met = value <= goal if at_most else value >= goal
    sign = "≤" if at_most else "≥"
    print(f"  VERDICT {benchmark}: {measure} = {value:.3f}, goal {sign} {goal}: "
          f"{'met' if met else 'NOT met'}", flush=True)  # fmt: skip
    target = os.environ.get("PORTAL_BENCH_RESULTS")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a", encoding="utf-8") as out:
            record = {
                "benchmark": benchmark,
                "measure": measure,
                "value": round(value, 3),
                "goal": f"{sign} {goal}",
                "met": met,
                "conditions": conditions,
                "figures": figures,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0 if met else 1
