"""Benchmark: `ehtui demo --size borough` (budget: under 60 s on 2 cores).

Usage: .venv/bin/python benchmarks/demo_borough.py [--keep PATH]
Generates the borough into a fresh store (a temp dir, or PATH with --keep),
prints the elapsed time, row counts and store size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANCHOR = "2026-11-20"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", metavar="PATH", help="write the store here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.keep) if args.keep else Path(tmp) / "borough.db"
        if db.exists():
            sys.exit(f"{db} exists; name a new file")
        ehtui = Path(sys.executable).with_name("ehtui")
        started = time.perf_counter()
        out = subprocess.run(
            [str(ehtui), "--db", str(db), "demo", "--size", "borough", "--anchor", ANCHOR],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        elapsed = time.perf_counter() - started
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
        print(out.strip())
        print(f"ehtui demo --size borough: {elapsed:.1f} s as a whole process; store {size:.0f} MB")
        print("budget: under 60 s", "OK" if elapsed < 60 else "OVER")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("EHTUI_CONFIG_DIR", tempfile.mkdtemp())
    sys.exit(main())
