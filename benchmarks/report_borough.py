"""Benchmark: `ehtui report --format json` over the borough demo store (budget: < 1.0 s).

    .venv/bin/python benchmarks/report_borough.py [--db PATH] [--runs N] [--profile]

Builds the borough demo store (anchor 2026-11-20) in a temp dir unless --db
names one, then times the report as a whole process (median of N runs), with
and without --include-late; then times the engine alone on growing shares of
the open episodes (hubs one, two, three) to show the cost grows linearly; with
--profile, prints where the time goes (cProfile, top functions).
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
            subprocess.run(
                [ehtui, "--db", db, "demo", "--size", "borough", "--anchor", AS_OF],
                check=True,
                capture_output=True,
            )
        base = [ehtui, "--db", db, "--as-of", AS_OF, "report", "--format", "json"]
        plain = timed(base, args.runs)
        late = timed([*base, "--include-late"], max(1, args.runs // 2))
        startup = timed([ehtui, "--help"], args.runs)
        print(
            f"ehtui report --format json               {plain:6.3f} s (median of {args.runs})"
            f"  budget 1.0 s: {'OK' if plain < 1.0 else 'OVER'}"
        )
        print(f"ehtui report --format json --include-late {late:6.3f} s")
        print(f"ehtui --help (process start-up)           {startup:6.3f} s")

        from ehtui.db import open_store
        from ehtui.rules import evaluate_store

        engine = open_store(db)
        as_of = datetime.fromisoformat(f"{AS_OF}T23:59:59")
        from sqlalchemy import text

        evaluate_store(engine, as_of, hub="West")  # warm up (query compilation, imports)
        print("\nEngine alone, by share of the borough (linear growth expected):")
        for hubs in (["West"], ["West", "South"], ["West", "South", "East/Central"]):
            with engine.connect() as conn:
                n = conn.execute(
                    text(
                        "SELECT count(*) FROM episode WHERE closed IS NULL AND hub IN "
                        f"({', '.join(repr(h) for h in hubs)})"
                    )
                ).scalar()
            started = time.perf_counter()
            found = 0
            for hub in hubs:
                found += len(evaluate_store(engine, as_of, hub=hub))
            elapsed = time.perf_counter() - started
            print(
                f"  {len(hubs)} hub(s): {n:5d} open episodes  {elapsed:6.3f} s  "
                f"{1000 * elapsed / max(n or 1, 1):5.2f} ms per open episode  {found} findings"
            )
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            evaluate_store(engine, as_of)
            profile.disable()
            print("\nWhere the time goes (evaluate_store over the borough, cumulative):")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(18)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("EHTUI_CONFIG_DIR", tempfile.mkdtemp())
    sys.exit(main())
