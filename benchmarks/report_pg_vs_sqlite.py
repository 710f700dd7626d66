"""Benchmark: `ehtui report --format json` over the borough store, SQLite vs PostgreSQL.

    .venv/bin/python benchmarks/report_pg_vs_sqlite.py [--runs N] [--server URL]

Builds the borough demo store (anchor 2026-11-20) in a SQLite file, copies it
with `ehtui copy` to a fresh database on a PostgreSQL server on loopback, then
times the report as a whole process on both, runs interleaved, and prints the
medians and their ratio (budget: PostgreSQL within 1.5 x SQLite). Both reports
must be byte-identical. The server is --server URL, else $EHTUI_TEST_PG_URL,
else a throw-away one started (and stopped) with tools/pgserver.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AS_OF = "2026-11-20"
BUDGET = 1.5
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """A server URL: the one given, or a throw-away server for the run."""
    url = url or os.environ.get("EHTUI_TEST_PG_URL")
    if url:
        yield url
        return
    tool = [sys.executable, str(ROOT / "tools" / "pgserver.py")]
    state = json.loads(
        subprocess.run([*tool, "start", "--json"], check=True, capture_output=True).stdout
    )
    try:
        yield state["url"]
    finally:
        subprocess.run([*tool, "stop", state["dir"]], check=True)


@contextmanager
def database(server_url: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ehtui_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(command: list[str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--server", metavar="URL", help="a PostgreSQL server (any database)")
    args = parser.parse_args()
    ehtui = str(Path(sys.executable).with_name("ehtui"))
    with tempfile.TemporaryDirectory() as tmp, server(args.server) as url, database(url) as pg:
        lite = str(Path(tmp) / "borough.db")
        demo = [ehtui, "--db", lite, "demo", "--size", "borough", "--anchor", AS_OF]
        made, _ = run(demo)
        copied, _ = run([ehtui, "copy", "--from", lite, "--to", pg])
        back, _ = run([ehtui, "copy", "--from", pg, "--to", str(Path(tmp) / "back.db")])
        report = ["--as-of", AS_OF, "report", "--format", "json"]
        times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        outputs: dict[str, bytes] = {}
        run([ehtui, "--db", lite, *report])  # warm the OS caches for both
        run([ehtui, "--db", pg, *report])
        for _ in range(args.runs):
            for engine, target in (("sqlite", lite), ("postgresql", pg)):
                took, out = run([ehtui, "--db", target, *report])
                times[engine].append(took)
                outputs[engine] = out
        same = outputs["sqlite"] == outputs["postgresql"]
        findings = len(json.loads(outputs["sqlite"])["findings"])
    on_sqlite = statistics.median(times["sqlite"])
    on_server = statistics.median(times["postgresql"])
    ratio = on_server / on_sqlite
    print(f"borough demo built (SQLite)               {made:6.2f} s")
    print(f"ehtui copy SQLite -> PostgreSQL           {copied:6.2f} s")
    print(f"ehtui copy PostgreSQL -> SQLite           {back:6.2f} s")
    print(f"ehtui report --format json, SQLite        {on_sqlite:6.3f} s (median of {args.runs})")
    print(f"ehtui report --format json, PostgreSQL    {on_server:6.3f} s (median of {args.runs})")
    verdict = "OK" if ratio <= BUDGET else "OVER"
    print(f"ratio PostgreSQL / SQLite                 {ratio:6.2f}   budget {BUDGET}: {verdict}")
    print(f"reports identical: {'yes' if same else 'NO'} ({findings:,} findings)")
    return 0 if same and ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
