"""Benchmark the app as a person sees it, in tmux, against a bare Textual app.

    .venv/bin/python benchmarks/app_startup.py [--db PATH] [--runs N]

Needs tmux (Debian: apt-get install -y tmux). Builds the borough demo store
(anchor 2026-11-20) unless --db names one. In one run it measures, by polling
`tmux capture-pane` every few milliseconds from the moment the command starts:

- the bare app (a Static and a Footer): time to first paint;
- ehtui: first paint, and the loaded work tray ("N cases" visible), three ways:
  the very first start (nothing kept: the store opens and the engine runs before
  the tray can show), a start on the same day as the last one, and a start three
  days later (kept on Friday, opened on Monday, nothing changed in between);
- a filter keystroke (the title changes), opening the first case (its loaded title
  visible), then back, down a row, a half-second's rest and opening that one;
- the ehtui process's resident memory with the case open.

Budgets (issue 4): first paint ≤ 1.2 × bare; loaded tray ≤ 2 × bare;
keystroke ≤ 50 ms; open case ≤ 150 ms; memory < 250 MB. The polling adds a few
milliseconds to every figure.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AS_OF = "2026-11-20"  # a Friday
LATER = "2026-11-23"  # the Monday after
SETTLE = 1.5  # seconds: keystrokes and opening a case are measured once the store is open
BARE = """
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    def compose(self):
        yield Static("BARE READY")
        yield Footer()


Bare().run()
"""


SOCKET = "ehtui-bench"  # a tmux server of its own, started with this environment


def tmux(*args: str) -> str:
    command = ["tmux", "-L", SOCKET, *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


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
    subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", session], capture_output=True)
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sleep 3600")
    time.sleep(0.2)
    tmux("respawn-pane", "-k", "-t", session, command)
    return time.perf_counter()


def rss_mb(session: str) -> float:
    pane = tmux("list-panes", "-t", session, "-F", "#{pane_pid}").strip()
    status = Path(f"/proc/{pane}/status").read_text()
    kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return kb / 1024


def forget_kept_trays(db: str) -> None:
    """The very first start: no tray kept from an earlier one."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key LIKE 'tray_cache:%'")


def main() -> int:
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed (Debian: apt-get install -y tmux)")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # As installed on a practitioner's machine: Python keeps compiled bytecode. (Some
    # sandboxes set PYTHONDONTWRITEBYTECODE, which makes every start compile every
    # module of ehtui afresh and measures the sandbox, not the app.)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    root = Path(__file__).resolve().parent.parent
    for package in ("ehtui", "screens", "widgets"):
        compileall.compile_dir(str(root / package), quiet=1)
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
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
        k: [] for k in ("bare", "paint", "cold", "tray", "later", "key", "case", "next", "rss")
    }
    loaded = re.compile(r"\d+ cases")

    def drawn(s: str) -> bool:  # the case's title and its panels filled
        return "Lead Professional:" in s and "Referral received" in s

    for _ in range(args.runs):
        start = launch("bench-bare", f"{python} {bare_py}")
        wait_until("bench-bare", lambda s: "BARE READY" in s)
        results["bare"].append(time.perf_counter() - start)
        tmux("kill-session", "-t", "bench-bare")

        forget_kept_trays(db)
        start = launch("bench", f"{env}{ehtui} --db {db} --as-of {AS_OF}")
        wait_until("bench", lambda s: loaded.search(s) is not None)
        results["cold"].append(time.perf_counter() - start)
        time.sleep(5)  # once quiet (3 s), the app keeps the trays of the days ahead
        tmux("kill-session", "-t", "bench")

        start = launch("bench", f"{env}{ehtui} --db {db} --as-of {AS_OF}")
        wait_until("bench", lambda s: "ehtui" in s)
        results["paint"].append(time.perf_counter() - start)
        wait_until("bench", lambda s: loaded.search(s) is not None)
        results["tray"].append(time.perf_counter() - start)
        time.sleep(SETTLE)  # the store opens and confirms the tray behind it
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
        wait_until("bench", drawn)  # the case's title and its panels
        results["case"].append(time.perf_counter() - moment)
        # Back to the tray, down one row, a moment's rest on it, and open that case: what
        # every case after the first costs (the first also builds the case view).
        tmux("send-keys", "-t", "bench", "Escape")
        wait_until("bench", lambda s: "Lead Professional:" not in s)
        tmux("send-keys", "-t", "bench", "Down")
        time.sleep(0.5)
        moment = time.perf_counter()
        tmux("send-keys", "-t", "bench", "Enter")
        wait_until("bench", drawn)
        results["next"].append(time.perf_counter() - moment)
        results["rss"].append(rss_mb("bench"))
        tmux("kill-session", "-t", "bench")

        start = launch("bench", f"{env}{ehtui} --db {db} --as-of {LATER}")
        wait_until("bench", lambda s: loaded.search(s) is not None)
        results["later"].append(time.perf_counter() - start)
        tmux("kill-session", "-t", "bench")

    med = {k: statistics.median(v) for k, v in results.items()}
    bare = med["bare"]
    rows = [
        ("bare Textual app, first paint", med["bare"], ""),
        ("ehtui first paint", med["paint"], f"{med['paint'] / bare:.2f} × bare (≤ 1.2)"),
        ("loaded tray, same day", med["tray"], f"{med['tray'] / bare:.2f} × bare (≤ 2)"),
        ("loaded tray, 3 days later", med["later"], f"{med['later'] / bare:.2f} × bare (≤ 2)"),
        ("loaded tray, nothing kept", med["cold"], f"{med['cold'] / bare:.2f} × bare"),
        ("filter keystroke", med["key"], "≤ 0.050 s"),
        ("open the first case", med["case"], "≤ 0.150 s"),
        ("open the next case", med["next"], "≤ 0.150 s"),
    ]
    print(f"borough store, median of {args.runs} runs (tmux polling adds a few ms):")
    for name, value, budget in rows:
        print(f"  {name:<32} {value:7.3f} s   {budget}")
    print(f"  {'memory with a case open':<32} {med['rss']:7.1f} MB  < 250 MB")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
