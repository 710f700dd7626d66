"""Benchmark: the data tracker (F5) on the borough demo store (budget: 1 s a hub-month).

    .venv/bin/python benchmarks/tracker_borough.py [--db PATH] [--runs N] [--profile]

Builds the borough demo store (seed 1, anchor 2026-11-20) in a temporary
directory unless --db names one, then times, median and max of N runs:

1. each hub's month alone (what the screen shows first) and with its 6-month
   trend (the sparklines: the budget), and a 12-month trend;
2. the whole borough (every hub) with the 6-month trend;
3. with --profile, where the time of one hub's 6-month trend goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

ANCHOR = "2026-11-20"
AS_OF = datetime(2026, 11, 20, 23, 59, 59)
BUDGET_S = 1.0


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """Median and max wall-clock seconds of ``runs`` calls, the median CPU seconds of
    this process (steadier on a busy machine), and the last result."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), max(times), statistics.median(cpu), result


def verdict(seconds: float) -> str:
    return "OK" if seconds <= BUDGET_S else "OVER"


def run(db: str, runs: int, profile: bool) -> None:
    from ehtui.db import open_store
    from ehtui.tracker import tracker

    engine = open_store(db)
    tracker(engine, AS_OF, hub="West", months=1)  # warm up: imports, query compilation
    print(f"Data tracker, {runs} runs each (median, max; budget {BUDGET_S:g} s a hub-month):")
    for hub in ("West", "East/Central", "South"):
        for months in (1, 6, 12):
            med, worst, cpu, t = timed(
                partial(tracker, engine, AS_OF, hub=hub, months=months), runs
            )
            print(
                f"  {hub:13} {t.month} with {months:2}-month trend: median {med:6.3f} s  "
                f"max {worst:6.3f} s  cpu {cpu:6.3f} s  {verdict(med)}"
            )
    med, worst, cpu, t = timed(lambda: tracker(engine, AS_OF, months=6), runs)
    print(
        f"  whole borough {t.month} with  6-month trend: median {med:6.3f} s  "
        f"max {worst:6.3f} s  cpu {cpu:6.3f} s  ({len(t.lines)} lines)"
    )
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        tracker(engine, AS_OF, hub="West", months=6)
        prof.disable()
        print("\nWhere the time goes: West with its 6-month trend (cProfile)")
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(r"ehtui", 16)
        stats.sort_stats("tottime").print_stats(12)
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing borough store (default: build one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("EHTUI_CONFIG_DIR", str(Path(tmp) / "config"))
        os.environ.setdefault("EHTUI_DATA_DIR", str(Path(tmp) / "data"))
        db = args.db or str(Path(tmp) / "borough.db")
        if not args.db:
            print("Building the borough demo store ...", flush=True)
            ehtui = str(Path(sys.executable).with_name("ehtui"))
            subprocess.run(
                [ehtui, "--db", db, "demo", "--size", "borough", "--anchor", ANCHOR],
                check=True,
                capture_output=True,
            )
        run(db, args.runs, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
