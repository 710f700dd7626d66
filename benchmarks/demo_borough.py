"""Benchmark: `ehtui demo --size borough` (budget: under 60 s on 2 cores).

Usage: .venv/bin/python benchmarks/demo_borough.py [--keep PATH] [--rules] [--size small]

Generates the borough (anchor 2026-11-20, seed 1) into a fresh store (a temp
dir, or PATH with --keep) as a whole `ehtui` process, and prints the elapsed
time, row counts and store size. ``--rules`` then prints, for every rule ID,
its findings by state as of the anchor and how many cases it finds on time
(:mod:`ehtui.demo.coverage`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ANCHOR = "2026-11-20"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", metavar="PATH", help="write the store here and keep it")
    parser.add_argument("--rules", action="store_true", help="print how each rule is exercised")
    parser.add_argument("--size", default="borough", choices=("small", "borough"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.keep) if args.keep else Path(tmp) / f"{args.size}.db"
        if db.exists():
            sys.exit(f"{db} exists; name a new file")
        ehtui = Path(sys.executable).with_name("ehtui")
        command = [str(ehtui), "--db", str(db), "demo", "--size", args.size, "--anchor", ANCHOR]
        started = time.perf_counter()
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        elapsed = time.perf_counter() - started
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
        print(out.strip())
        print(f"ehtui demo --size {args.size}: {elapsed:.1f} s as a whole process")
        print(f"store: {size:.0f} MB")
        print("budget: under 60 s", "OK" if elapsed < 60 else "OVER")
        if args.rules:
            print_rules(db)
    return 0


def print_rules(db: Path) -> None:
    from ehtui.db import open_store
    from ehtui.demo.coverage import rule_coverage

    engine = open_store(str(db))
    as_of = datetime.fromisoformat(ANCHOR + "T23:59:59")
    started = time.perf_counter()
    coverage = rule_coverage(engine, as_of)
    print(f"\nrules as of {as_of} ({time.perf_counter() - started:.1f} s to evaluate)")
    print(f"{'rule':<24} {'on time':>8}  findings by state")
    for rule, c in coverage.items():
        states = ", ".join(f"{state} {n}" for state, n in sorted(c.states.items()))
        gap = "" if c.findings and c.on_time else "   <- nothing to show on one side"
        print(f"{rule:<24} {c.on_time:>8}  {states}{gap}")
    engine.dispose()


if __name__ == "__main__":
    os.environ.setdefault("EHTUI_CONFIG_DIR", tempfile.mkdtemp())
    sys.exit(main())
