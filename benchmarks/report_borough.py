"""Benchmark: `ehtui report --format json` over the borough demo store (budget: < 1.0 s).

    .venv/bin/python benchmarks/report_borough.py [--db PATH] [--runs N] [--profile]

Builds the borough demo store (anchor 2026-11-20) in a temporary directory
unless --db names one, then:

1. times the report as a whole process (median of N runs): plain (the budget),
   with --include-late (closed episodes' detail loaded for their history) and
   with --summary (findings and on-time rates);
2. times load and evaluation in one process, hub by hub (growing shares of the
   borough), and the engine alone on the open episodes replicated 1x, 2x, 4x,
   to show the cost grows linearly with the number of open episodes;
3. with --profile, prints where the time of one whole report goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

AS_OF = "2026-11-20"


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def whole_process(ehtui: str, db: str, runs: int) -> None:
    base = [ehtui, "--db", db, "--as-of", AS_OF, "report", "--format", "json"]
    plain = timed(base, runs)
    late = timed([*base, "--include-late"], runs)
    summary = timed([*base, "--summary"], runs)
    startup = timed([ehtui, "--help"], runs)
    verdict = "OK" if plain < 1.0 else "OVER"
    print(f"Whole process, median of {runs} runs:")
    print(f"  ehtui report --format json                 {plain:6.3f} s  budget 1.0 s: {verdict}")
    print(f"  ehtui report --format json --include-late  {late:6.3f} s")
    print(f"  ehtui report --format json --summary       {summary:6.3f} s")
    print(f"  ehtui --help (interpreter and CLI start)   {startup:6.3f} s")


def scaling(db: str) -> None:
    from sqlalchemy import text

    from ehtui.db import open_store
    from ehtui.rules import evaluate
    from ehtui.rules.load import load_from
    from ehtui.rules.model import StoreSnap

    engine = open_store(db)
    as_of = datetime.fromisoformat(f"{AS_OF}T23:59:59")
    load_from(engine, as_of, hub="West")  # warm up: imports, query compilation
    print("\nLoad + evaluate in one process, by hub (growing shares of the borough):")
    hubs = ("West", "South", "East/Central")
    for n_hubs in (1, 2, 3):
        chosen = hubs[:n_hubs]
        with engine.connect() as conn:
            in_list = ", ".join(f"'{h}'" for h in chosen)
            n_open = conn.execute(
                text(f"SELECT count(*) FROM episode WHERE closed IS NULL AND hub IN ({in_list})")
            ).scalar_one()
        started = time.perf_counter()
        found = 0
        for hub in chosen:
            found += len(evaluate(load_from(engine, as_of, hub=hub), as_of))
        elapsed = time.perf_counter() - started
        print(
            f"  {n_hubs} hub(s): {n_open:5d} open episodes  {elapsed:6.3f} s  "
            f"{1000 * elapsed / max(n_open, 1):5.3f} ms per open episode  {found} findings"
        )
    snap = load_from(engine, as_of)
    open_eps = [e for e in snap.episodes if e.closed is None or e.closed > as_of.date()]
    print("\nThe engine alone on the open episodes replicated (no I/O):")
    for times in (1, 2, 4):
        episodes = tuple(replace(e, ref=f"{e.ref}-{k}") for k in range(times) for e in open_eps)
        sub = StoreSnap(episodes=episodes, with_caps=False)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            found_n = len(evaluate(sub, as_of))
            runs.append(time.perf_counter() - started)
        elapsed = statistics.median(runs)
        print(
            f"  {len(episodes):5d} open episodes  {elapsed:6.3f} s  "
            f"{1000 * elapsed / len(episodes):5.3f} ms per episode  {found_n} findings"
        )
    engine.dispose()


def profile(db: str, late: bool) -> None:
    from ehtui.cli import main

    argv = ["--db", db, "--as-of", AS_OF, "report", "--format", "json"]
    if late:
        argv.append("--include-late")
    out = sys.stdout
    prof = cProfile.Profile()
    try:
        sys.stdout = io.StringIO()
        prof.enable()
        main(argv)
        prof.disable()
    finally:
        sys.stdout = out
    label = " --include-late" if late else ""
    print(f"\nWhere the time goes: ehtui report --format json{label}, in process (cProfile)")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(r"ehtui", 14)
    stats.sort_stats("tottime").print_stats(10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing borough store (default: build one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    ehtui = str(Path(sys.executable).with_name("ehtui"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "borough.db")
        if not args.db:
            started = time.perf_counter()
            subprocess.run(
                [ehtui, "--db", db, "demo", "--size", "borough", "--anchor", AS_OF],
                check=True,
                capture_output=True,
            )
            print(f"Borough demo store built in {time.perf_counter() - started:.1f} s")
        whole_process(ehtui, db, args.runs)
        scaling(db)
        if args.profile:
            profile(db, late=False)
            profile(db, late=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("EHTUI_CONFIG_DIR", tempfile.mkdtemp())
    sys.exit(main())
