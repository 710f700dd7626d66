"""Benchmark: duty lookup and data tracker on the borough demo store.

    .venv/bin/python benchmarks/lookup_borough.py [--db PATH] [--runs N]

Builds the borough demo store (seed 1, anchor 2026-11-20) in a temporary
directory unless --db names one, then times:

1. building the lookup index (budget: once per screen; reported);
2. each keystroke of "Mohamed" typed letter by letter, then other queries
   (a misspelling, surname first, a DOB, a postcode, a phone, a ref), median of
   N runs each (budget: 100 ms a keystroke, aim 20 ms);
3. the family card of the best match (engine findings included);
4. ``ehtui lookup`` as a whole process (budget: 1 s): the very first run on a
   machine (England's bank holidays not yet kept in the cache folder) and the
   usual run; and the cost of the imports it avoids;
5. the data tracker for a hub-month, with its 6- and 12-month trends (budget: 1 s).
"""

from __future__ import annotations

import argparse
import os
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


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def verdict(ms: float, budget_ms: float) -> str:
    return "OK" if ms <= budget_ms else "OVER"


def ehtui_bin() -> str:
    return str(Path(sys.executable).with_name("ehtui"))


def whole_process(db: str, runs: int, *args: str, cache: str | None = None) -> float:
    """Median seconds of ``ehtui lookup ARGS`` as a process; ``cache``: a cache folder
    of its own (a fresh, empty one gives the very first run on a machine)."""
    env = dict(os.environ)
    if cache is not None:
        env["EHTUI_CACHE_DIR"] = cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [ehtui_bin(), "--db", db, "--as-of", ANCHOR, "lookup", *args],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_cost(runs: int) -> list[tuple[str, float]]:
    out = []
    for what in (
        "pass",
        "import sqlalchemy",
        "import ehtui.db",
        "import ehtui.lookup.card",
        "import holidays",
    ):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", what], check=True)
            times.append(time.perf_counter() - started)
        out.append((what, statistics.median(times)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing borough store (default: build one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("EHTUI_CONFIG_DIR", str(Path(tmp) / "config"))
        os.environ.setdefault("EHTUI_DATA_DIR", str(Path(tmp) / "data"))
        db = args.db or str(Path(tmp) / "borough.db")
        if not args.db:
            print("Building the borough demo store ...", flush=True)
            subprocess.run(
                [ehtui_bin(), "--db", db, "demo", "--size", "borough", "--anchor", ANCHOR],
                check=True,
                capture_output=True,
            )
        run(db, args.runs)
    return 0


def run(db: str, runs: int) -> None:
    from ehtui.db import open_store
    from ehtui.lookup.card import family_card
    from ehtui.lookup.index import LookupIndex
    from ehtui.tracker import tracker

    engine = open_store(db)
    build_ms, index = median_ms(lambda: LookupIndex.build(engine, AS_OF), runs)
    print(f"Lookup index over {len(index):,} people and families: built in {build_ms:.0f} ms")
    print("\nPer keystroke (median of runs; budget 100 ms, aim 20 ms):")
    word = "Mohamed"
    worst = 0.0
    for n in range(1, len(word) + 1):
        typed = word[:n]
        ms, hits = median_ms(partial(index.search, typed), runs)
        worst = max(worst, ms)
        top = hits[0].name if hits else "-"
        print(f"  {typed!r:14} {ms:6.2f} ms  {len(hits):2} hits, best: {top}")
    for typed in (
        "Muhamad Khan",
        "khan moh",
        "Ayesha",
        "Catherine",
        "2/5/16",
        "2 May 2016",
        "n12",
        "NW4 1",
        "07700 900035",
        "+44 7700 900035",
        "F0001",
        "E000347",
        "Larkfield Way",
    ):
        ms, hits = median_ms(partial(index.search, typed), runs)
        worst = max(worst, ms)
        top = f"{hits[0].name} ({hits[0].why})" if hits else "-"
        print(f"  {typed!r:18} {ms:6.2f} ms  {len(hits):2} hits, best: {top}")
    print(f"  slowest query: {worst:.2f} ms  budget 100 ms: {verdict(worst, 100)}")

    family = index.search("Mohamed Khan")[0].family or "F00001"
    card_ms, card = median_ms(lambda: family_card(engine, family, AS_OF), runs)
    print(
        f"\nFamily card {family} ({len(card.members)} members, {len(card.episodes)} episodes, "
        f"{len(card.findings)} findings): {card_ms:.0f} ms"
    )

    print("\nehtui lookup as a whole process (median; budget 1 s):")
    print("  (a plain SQLite file is read with the standard library: no SQLAlchemy loaded)")
    with tempfile.TemporaryDirectory() as fresh:
        seconds = whole_process(db, 1, "Mohamed Khan", cache=fresh)
    print(
        f"  first run on a machine (bank holidays not yet kept) {seconds:6.3f} s  "
        f"{verdict(seconds, 1.0)}"
    )
    for extra in (["Mohamed Khan"], ["khan moh", "--format", "json"], ["--family", family]):
        seconds = whole_process(db, runs, *extra)
        print(f"  ehtui lookup {' '.join(extra):28} {seconds:6.3f} s  {verdict(seconds, 1.0)}")
    print("  imports (interpreter start included):")
    for what, seconds in import_cost(runs):
        print(f"    python -c {what!r:28} {seconds:6.3f} s")

    print("\nData tracker, one hub-month (median; budget 1 s):")
    for hub in ("West", "East/Central", "South"):
        for months in (1, 6, 12):
            ms, t = median_ms(
                partial(tracker, engine, AS_OF, hub=hub, months=months),
                runs,
            )
            print(
                f"  {hub:13} {t.month} with {months:2}-month trend: {ms / 1000:6.3f} s  "
                f"{verdict(ms, 1000)}"
            )
    ms, _ = median_ms(lambda: tracker(engine, AS_OF, months=6), runs)
    print(f"  whole borough, 6-month trend:          {ms / 1000:6.3f} s")


if __name__ == "__main__":
    sys.exit(main())
