"""Snapshots: fixed size, fixed as-of (Fri 20 Nov 2026), the small demo store (seed 1).

Regenerate after an intended change: .venv/bin/python -m pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.appkit import case_loaded, make_app, tray_loaded, wait_for


def test_work_tray(snap_compare: Any, demo_db: Path) -> None:
    """The demo practitioner's work tray: "Work tray · 14 cases · 4 overdue · 1 due soon",
    a critically overdue step-down EHA (Ryan) first, then overdue, due soon and on-track
    rows, each with a symbol and colour, the next thing due and its date."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app))

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_work_tray_at_80_by_24(snap_compare: Any, demo_db: Path) -> None:
    """The same tray in an 80×24 terminal: tabs, title with counts, filter, status, family,
    children and next due visible; the footer still shows the keys."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app))

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_case_view(snap_compare: Any, demo_db: Path) -> None:
    """The Ryan family's step-down EHA: critically overdue badge in the title; family and
    child with ages; episode dates; milestones (first contact and home visit late, the
    step-down meeting overdue, EHA completion due soon); Niamh's voice of the child; the
    findings with rule IDs and sections."""

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: tray_loaded(pilot.app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(pilot.app))

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_welcome(snap_compare: Any, tmp_path: Path) -> None:
    """An empty store: the welcome text and three choices (load the demo borough, import a
    file, create me) with their keys in the footer."""
    from screens.welcome import WelcomeScreen

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen))

    assert snap_compare(
        make_app(tmp_path / "empty.db"), terminal_size=(120, 40), run_before=run_before
    )
