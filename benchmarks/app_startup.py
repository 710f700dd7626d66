"""Benchmark the app as a person sees it, in tmux, against a bare Textual app.

    .venv/bin/python benchmarks/app_startup.py [--db PATH] [--runs N]

Needs tmux (Debian: apt-get install -y tmux). Builds the borough demo store
(anchor 2026-11-20) unless --db names one. In one run it measures, by polling
`tmux capture-pane` every few milliseconds from the moment the command starts:

- the bare app (a Static and a Footer): time to first paint;
- ehtui: first paint, and the loaded work tray ("N cases" visible);
- a filter keystroke (the title changes), opening a case (its loaded title visible);
- the ehtui process's resident memory with the case open.

Budgets (issue 4): first paint ≤ 1.2 × bare; loaded tray ≤ 2 × bare;
keystroke ≤ 50 ms; open case ≤ 150 ms; memory < 250 MB. The polling adds a few
milliseconds to every figure.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AS_OF = "2026-11-20"
BARE = """
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    def compose(self):
        yield Static("BARE READY")
        yield Footer()


Bare().run()
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_until(session: str, ready: Callable[[str], bool], timeout: float = 30.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if ready(screen(session)):
            return time.perf_counter() - started
        time.sleep(0.003)
    raise SystemExit(f"timed out; the screen shows:\n{screen(session)}")


def launch(session: str, command: str) -> float:
    """Start ``command`` in a fresh 120×40 tmux session; return the start moment."""
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sleep 3600")
    time.sleep(0.2)
    tmux("respawn-pane", "-k", "-t", session, command)
    return time.perf_counter()


def rss_mb(session: str) -> float:
    pane = tmux("list-panes", "-t", session, "-F", "#{pane_pid}").strip()
    status = Path(f"/proc/{pane}/status").read_text()
    kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return kb / 1024


def main() -> int:
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed (Debian: apt-get install -y tmux)")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    ehtui = str(Path(python).with_name("ehtui"))
    tmp = tempfile.mkdtemp()
    db = args.db or os.path.join(tmp, "borough.db")
    if not args.db:
        subprocess.run(
            [ehtui, "--db", db, "demo", "--size", "borough", "--anchor", AS_OF],
            check=True,
            capture_output=True,
        )
    bare_py = Path(tmp) / "bare.py"
    bare_py.write_text(BARE)
    env = f"EHTUI_CONFIG_DIR={tmp}/config "
    results: dict[str, list[float]] = {
        k: [] for k in ("bare", "paint", "tray", "key", "case", "rss")
    }
    for _ in range(args.runs):
        start = launch("bench-bare", f"{python} {bare_py}")
        wait_until("bench-bare", lambda s: "BARE READY" in s)
        results["bare"].append(time.perf_counter() - start)
        tmux("kill-session", "-t", "bench-bare")

        start = launch("bench", f"{env}{ehtui} --db {db} --as-of {AS_OF}")
        wait_until("bench", lambda s: "ehtui" in s)
        results["paint"].append(time.perf_counter() - start)
        wait_until("bench", lambda s: re.search(r"\d+ cases", s) is not None)
        results["tray"].append(time.perf_counter() - start)
        time.sleep(0.3)
        tmux("send-keys", "-t", "bench", "/")
        time.sleep(0.2)
        before = screen("bench")
        moment = time.perf_counter()
        tmux("send-keys", "-t", "bench", "q")  # "q" narrows the tray: the title changes
        wait_until("bench", lambda s: s != before and "filtered from" in s)  # noqa: B023
        results["key"].append(time.perf_counter() - moment)
        tmux("send-keys", "-t", "bench", "Escape")
        time.sleep(0.3)
        moment = time.perf_counter()
        tmux("send-keys", "-t", "bench", "Enter")
        wait_until("bench", lambda s: "Lead Professional:" in s)  # the case's title, loaded
        results["case"].append(time.perf_counter() - moment)
        results["rss"].append(rss_mb("bench"))
        tmux("kill-session", "-t", "bench")

    med = {k: statistics.median(v) for k, v in results.items()}
    bare = med["bare"]
    rows = [
        ("bare Textual app, first paint", med["bare"], ""),
        ("ehtui first paint", med["paint"], f"{med['paint'] / bare:.2f} × bare (≤ 1.2)"),
        ("ehtui loaded work tray", med["tray"], f"{med['tray'] / bare:.2f} × bare (≤ 2)"),
        ("filter keystroke", med["key"], "≤ 0.050 s"),
        ("open a case", med["case"], "≤ 0.150 s"),
    ]
    print(f"borough store, median of {args.runs} runs (tmux polling adds a few ms):")
    for name, value, budget in rows:
        print(f"  {name:<32} {value:7.3f} s   {budget}")
    print(f"  {'memory with a case open':<32} {med['rss']:7.1f} MB  < 250 MB")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
