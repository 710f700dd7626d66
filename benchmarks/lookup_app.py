"""Benchmark: the duty lookup (F2) and the data tracker (F5) in the app, on the borough store.

    .venv/bin/python benchmarks/lookup_app.py [--db PATH] [--rounds N]

Copies the borough store (``--db``, default /tmp/rb/borough.db; built with
``ehtui demo --size borough --anchor 2026-11-20`` when there is none) to a
temporary folder (opening a family card writes an access entry to the audit
trail), runs the app headless with Pilot at 120×40, as of Fri 20 Nov 2026, and
types each query below letter by letter, as a duty officer would. It prints:

- the index build, from opening the screen to searchable (thread worker);
- per keystroke, the event-loop work of a search: ``LookupScreen.search`` (the
  in-memory search, the result rows, the table refilled, the title), median and
  95th percentile over every keystroke of every query, N rounds;
- per keystroke, from the key event handed to the app (as the terminal driver
  hands it) to the results table refilled, typing at about 30 keys a second
  while the card worker runs: median and 95th percentile (the paint follows on
  the next refresh);
- the data tracker for my hub-month (the default: last month), from opening the
  screen to the month's rows on show (computed first, alone), then to its 6-month
  trend on show; ``[`` (the month before, prefetched while the first is read);
  and the same hub-month computed outside the app, for comparison.

Budgets (issue 6): lookup ≤ 100 ms a keystroke; tracker for a hub-month ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ANCHOR = "2026-11-20"
# What a duty officer types: names (some misspelt, surname first), postcode
# fragments, dates of birth in several forms, phones and refs.
QUERIES = (
    "Mohamed",
    "Muhammad Khan",
    "mohammed",
    "khan moh",
    "Aisha",
    "Ayesha Begum",
    "Smith",
    "o'brien",
    "Jon Smyth",
    "Zoe",
    "Kowalski",
    "n12",
    "N12 0",
    "NW9 5US",
    "nw4",
    "HA8 1",
    "2/5/2016",
    "2016-05-02",
    "12 May 1990",
    "07/01/15",
    "07700 900",
    "020 8359",
    "F00121",
    "E0007",
    "M00444",
    "Kingsbury Close",
    "Larkfield",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def keys_of(text: str) -> list[str]:
    names = {" ": "space", "/": "slash", "'": "apostrophe", "-": "minus"}
    return [names.get(ch, ch) for ch in text]


def core_tracker_s(db: Path, hub: str) -> float:
    """The same hub-month computed on its own (no app), for comparison."""
    from datetime import datetime

    from ehtui.db import open_store
    from ehtui.tracker import tracker

    engine = open_store(str(db))
    started = time.perf_counter()
    tracker(engine, datetime(2026, 11, 20, 23, 59, 59), hub=hub)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


async def run(db: Path, rounds: int) -> dict[str, Any]:
    from textual import events

    from screens.lookup import LookupScreen, open_duty_lookup
    from screens.tracker import TrackerScreen, open_data_tracker
    from tests.appkit import make_app, tray_loaded, wait_for

    app = make_app(db)
    out: dict[str, Any] = {"search_ms": [], "press_ms": [], "rows": {}}
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app), tries=5000)
        started = time.perf_counter()
        open_duty_lookup(app)
        await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen), tries=5000)
        screen = app.screen
        assert isinstance(screen, LookupScreen)
        await wait_for(pilot, lambda: screen.index is not None, tries=5000)
        out["index_s"] = time.perf_counter() - started
        out["people"] = len(screen.index) if screen.index is not None else 0

        search = screen.search
        timings: list[float] = out["search_ms"]

        def timed(text: str) -> None:
            t0 = time.perf_counter()
            search(text)
            timings.append((time.perf_counter() - t0) * 1000)

        screen.search = timed  # type: ignore[method-assign]
        driver = app._driver
        assert driver is not None
        for _ in range(rounds):
            for query in QUERIES:
                await pilot.press("ctrl+u")
                typed = ""
                await pilot.pause(0.2)  # the last card's worker done
                for key, ch in zip(keys_of(query), query, strict=True):
                    typed += ch
                    event = events.Key(key, ch)
                    event.set_sender(app)
                    t0 = time.perf_counter()
                    driver.send_message(event)  # as the terminal driver delivers a key
                    while screen.query_text != typed:
                        await asyncio.sleep(0)
                    out["press_ms"].append((time.perf_counter() - t0) * 1000)
                    out.setdefault("worst", []).append((out["press_ms"][-1], typed))
                    await asyncio.sleep(0.03)  # a fast typist: ~30 keys a second
                out["rows"][query] = len(screen.rows)
        await pilot.press("escape")

        await wait_for(pilot, lambda: tray_loaded(app), tries=5000)
        started = time.perf_counter()
        open_data_tracker(app)
        while not isinstance(app.screen, TrackerScreen):  # (wait_for waits for the prefetch)
            await asyncio.sleep(0.01)
        tracker_screen = app.screen
        assert isinstance(tracker_screen, TrackerScreen)
        while tracker_screen.fetching:
            await asyncio.sleep(0.01)
        out["tracker_s"] = time.perf_counter() - started
        while tracker_screen.trending:
            await asyncio.sleep(0.01)
        out["tracker_trend_s"] = time.perf_counter() - started
        out["tracker_title"] = f"{tracker_screen.hub} hub, {tracker_screen.month}"
        await app.workers.wait_for_complete()  # the person reads; the month before computes
        shown = tracker_screen.month
        event = events.Key("left_square_bracket", "[")
        event.set_sender(app)
        started = time.perf_counter()
        driver.send_message(event)
        while tracker_screen.month == shown or tracker_screen.trending:
            await asyncio.sleep(0.005)
        out["tracker_prev_s"] = time.perf_counter() - started
        out["hub"] = tracker_screen.hub
    out["core_tracker_s"] = core_tracker_s(db, out["hub"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/rb/borough.db", help="a borough store (copied)")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is typed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["EHTUI_CONFIG_DIR"] = str(folder / "config")
        os.environ["EHTUI_DATA_DIR"] = str(folder / "data")
        db = folder / "borough.db"
        source = Path(args.db)
        if source.exists():
            shutil.copy(source, db)
        else:
            ehtui = str(Path(sys.executable).with_name("ehtui"))
            subprocess.run(
                [ehtui, "--db", str(db), "demo", "--size", "borough", "--anchor", ANCHOR],
                check=True,
            )
        result = asyncio.run(run(db, args.rounds))
    search, press = result["search_ms"], result["press_ms"]
    print(f"borough store: {result['people']:,} people, families and practitioners indexed")
    print(f"index build (opening F2 to searchable): {result['index_s'] * 1000:.0f} ms")
    print(
        f"{len(QUERIES)} queries typed letter by letter, {args.rounds} rounds: "
        f"{len(search)} keystrokes"
    )
    print(
        f"  search on the event loop (LookupScreen.search): median {statistics.median(search):.1f}"
        f" ms, p95 {percentile(search, 0.95):.1f} ms, max {max(search):.1f} ms"
        f"  [budget 100 ms: {'OK' if percentile(search, 0.95) <= 100 else 'OVER'}]"
    )
    print(
        f"  key event to table refilled: median "
        f"{statistics.median(press):.1f} ms, p95 {percentile(press, 0.95):.1f} ms"
    )
    worst = sorted(result["worst"], reverse=True)[:5]
    print("  slowest keystrokes:", ", ".join(f"{t!r} {ms:.0f} ms" for ms, t in worst))
    print("  results per query:", ", ".join(f"{q!r} {n}" for q, n in result["rows"].items()))
    for label, key in (
        ("opening, the month's figures on show", "tracker_s"),
        ("opening, its 6-month trend on show too", "tracker_trend_s"),
        ("[ after reading it (the month before was prefetched)", "tracker_prev_s"),
        ("computed alone, outside the app", "core_tracker_s"),
    ):
        seconds = result[key]
        print(
            f"data tracker, {result['tracker_title']} hub-month, {label}: {seconds:.2f} s"
            f"  [budget 1 s: {'OK' if seconds <= 1 else 'OVER'}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
