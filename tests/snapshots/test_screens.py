"""Snapshots: fixed size, fixed as-of (Fri 20 Nov 2026), the small demo store (seed 1).

Regenerate after an intended change: .venv/bin/python -m pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.appkit import case_loaded, make_app, tray_loaded, wait_for


def test_work_tray(snap_compare: Any, demo_db: Path) -> None:
    """Bella Cole's work tray on Fri 20 Nov 2026: the tabs (mine, West hub tray, Universal
    Plus tray), the title "Work tray · 14 cases · 4 overdue · 1 due soon" with the filter
    box beside it, then one row per episode, worst first: "‼ Critical" Ryan (step-down
    meeting), three "! Overdue", one "◷ Due soon", then "✓ On track" rows, each with the
    children's ages, the due date and the next thing due (the episode, lead and days open
    scroll sideways: the week takes the right-hand 34 columns); on the right "Today · Fri
    20 Nov" (nothing planned), then "This week": Tue 09:30 Hub Panel, Tue 12:00 Transfer
    cut-off, Wed 09:30 Transfer meeting; the footer shows / Filter, ⏎ Open case, m, h, u,
    r, w This week, F1."""

    async def run_before(pilot: Any) -> None:
        await wait_for(
            pilot, lambda: tray_loaded(pilot.app) and pilot.app.screen.query_one("#week").loaded
        )

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_work_tray_at_80_by_24(snap_compare: Any, demo_db: Path) -> None:
    """The same tray in an 80×24 terminal: tabs, the whole title with its counts, the
    filter box, and all 14 rows with status, family, children, due date and the start of
    the next thing due (the rest of the columns scroll sideways); no week panel (it needs
    110 columns) and no w in the footer; the footer shows the keys."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app))

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_case_view(snap_compare: Any, demo_db: Path) -> None:
    """The Ryan family's step-down EHA (opened with Enter from the tray): "‼ Critically
    overdue" and the Lead Professional in the title; the family (Ciara 46, Niamh 7 with
    school, language, interpreter "no", the agencies); the episode's dates and hub; the
    milestones in date order (first contact and home visit "· late", the step-down meeting
    "! overdue", EHA completion, supervision, the 6-month step-down and 12-month drift
    clocks "→ running" with their due dates); Niamh's voice of the child (last 7 Nov,
    next 5 Dec); the demographics checklist (chronology and genogram missing); the four
    findings with rule ID and section; "Planned: nothing" in the diary panel; the next Hub
    Panel (Tue 24 Nov) and Transfer meeting
    (Wed 25 Nov, agenda closes Tue 24 Nov 12:00); the footer shows esc Back, a History,
    then "n Contact", "v Voice", "s Supervision", "m TAF", "x Close", "u Step up" and "k
    Milestones" (in the palette: "Record contact", "Voice of the child", "Record
    supervision", "TAF meeting", "Close episode", "Step up", "Case milestones"); f, t, r
    (findings, milestones, refresh) are listed by F1."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(pilot.app))

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_welcome(snap_compare: Any, tmp_path: Path) -> None:
    """An empty store: the welcome text and three choices as buttons (load the demo
    borough, import a file, create me), the header saying "nobody yet · empty.db", and the
    keys d, i, c in the footer (no Save until the form is open, no Work tray yet)."""
    from screens.welcome import WelcomeScreen

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen))

    assert snap_compare(
        make_app(tmp_path / "empty.db"), terminal_size=(120, 40), run_before=run_before
    )


def test_diary(snap_compare: Any, demo_db: Path) -> None:
    """Bella Cole's diary on Fri 20 Nov 2026: "Diary · the next 14 days · 0 appointments
    planned", then in italics the Hub Panel (Tue 24 Nov, Tue 1 Dec 09:30), the Transfer
    meeting agenda cut-offs (Tue 12:00) and the Allocations/Transfer meetings (Wed 25 Nov,
    Wed 2 Dec 09:30); the footer shows n Plan, k Kept, d Did not attend, c Cancel it."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app) and pilot.app.session is not None)
        await pilot.press("f7")
        await wait_for(
            pilot,
            lambda: type(pilot.app.screen).__name__ == "DiaryScreen" and pilot.app.screen.lines,
        )

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)
