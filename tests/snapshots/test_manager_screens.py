"""Snapshots of the managers' screens: Caseload (F3), the supervision walk (F4) and the
OSR rota (F6), at 120×40, as Imran Shah (P001, Hub Team Manager, West) on the small
demo store (seed 1) as of Fri 20 Nov 2026.

Regenerate after an intended change:
.venv/bin/python -m pytest tests/snapshots/test_manager_screens.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.appkit import make_app, steady_cursors, tray_loaded, wait_for

MANAGER = "P001"
SIZE = (120, 40)


async def _open(pilot: Any, opener: Any, screen: str) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    opener(app)
    await wait_for(pilot, lambda: type(app.screen).__name__ == screen)
    return app.screen


def test_caseload(snap_compare: Any, demo_db: Path) -> None:
    """The title "Caseload · my team · 6 practitioners · 4 over their cap", a line saying
    it is everyone he manages (t: the whole hub), then one row each: Ben Morgan 0.5 FTE
    "██████ 10/7.5 ▲", Deepa Morgan SF lead "5/4 ▲", Hannah Vance AP "11/10 ▲", Ian Osei
    "21/15 ▲", Samir Ellis "█████░ 12/15", Bella Cole "14/15 i"; the kinds of work in
    short ("EHA 7, 0-19 6, UP 5, …"), overdue "! n" with "‼n" critically, due soon "◷ n",
    the last supervision date. Under the table Ben Morgan (highlighted) in full: role,
    grade, FTE, hub, the cap and its bar, every kind of work in the protocol's words,
    the cases by level, "Last supervision: Fri 13 Nov 2026 10:00 (7 days ago)", the
    CASELOAD-15 finding; the footer: esc Back, w Supervision walk, t Team / hub."""
    from screens.caseload import open_caseload

    async def run_before(pilot: Any) -> None:
        screen = await _open(pilot, open_caseload, "CaseloadScreen")
        await wait_for(pilot, lambda: not screen.fetching)

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_walk_chooses_whose_cases(snap_compare: Any, demo_db: Path) -> None:
    """The walk opened from the palette: "Supervision walk · choose a practitioner",
    "Whose cases? ↑↓ to choose, Enter to start the walk.", then his team, each with role,
    open episodes, the load bar and the last supervision date; Ben Morgan (the first)
    highlighted."""
    from screens.walk import open_supervision_walk

    async def run_before(pilot: Any) -> None:
        walk = await _open(pilot, open_supervision_walk, "WalkScreen")
        await wait_for(pilot, lambda: bool(walk.people))

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_walk_case_page(snap_compare: Any, demo_db: Path) -> None:
    """Bella Cole's first case: "Supervision walk · Bella Cole · case 1 of 14 · 0 decisions
    recorded"; the summary line "‼ Critically overdue  Ryan family · Niamh (7) · Step-down
    EHA E000017 · Lead Professional: Bella Cole · 28 days open"; "Clocks running (6)": the
    step-down meeting "! overdue", the rest "→ running" with their due dates and rule IDs;
    "Findings (4)" with state, words, rule and section; on the right "Last supervision
    decision" (Wed 18 Nov 2026 15:30 · Supervision · Hannah Vance, and her words) and
    "Decision in this sitting": "s ● Supervision  g Systemic group supervision" and the
    decision box (with the cursor) showing its hint; the footer: pgup Previous, pgdn Next
    case, ^s Record & next, esc Back."""
    from screens.walk import open_supervision_walk

    async def run_before(pilot: Any) -> None:
        walk = await _open(pilot, lambda app: open_supervision_walk(app, "P003"), "WalkScreen")
        await wait_for(pilot, lambda: walk.page == "case")
        await steady_cursors(pilot)

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_walk_summary(snap_compare: Any, demo_db: Path) -> None:
    """After two decisions (the Ryan and Sultani families) and e: "Supervision walk · Bella
    Cole · summary of this sitting · 2 decisions recorded", then the summary text
    "Supervision of Bella Cole by Imran Shah, Fri 20 Nov 2026", "2 case(s) discussed:",
    each case numbered with family, type, episode, kind and 23:59, the decision indented;
    then the keys (ctrl+e or x export, p back, esc leave); the footer shows pgup
    Previous, pgdn Next case, ^e Export, esc Back."""
    from screens.walk import open_supervision_walk

    async def run_before(pilot: Any) -> None:
        walk = await _open(pilot, lambda app: open_supervision_walk(app, "P003"), "WalkScreen")
        await wait_for(pilot, lambda: walk.page == "case")
        await pilot.press(*"Book the step-down meeting this week.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 1 and walk.page == "case")
        await pilot.press(*"Genogram by Friday.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 2 and walk.page == "case")
        await pilot.press("escape", "e")
        await wait_for(pilot, lambda: walk.page == "end")
        pilot.app.clear_notifications()

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_osr_rota(snap_compare: Any, demo_db: Path) -> None:
    """ "OSR rota · West hub · this week 2026-W47 · 1 week over the limit · 0 coming weeks
    with nobody named"; weeks 2026-W43 to W51 with their Mondays, the lead responder and
    grade, OSR cases "n/3" and flags: W44 "4/3 ▲" "▲ over 3 a week", W50 Imran Shah
    "none ▲" "▲ not H or I grade", the rest "✓"; W47 (◀ this week) highlighted and its
    line under the table (0 OSR cases accepted of 3); the "OSR findings" box with
    OSR-3-PER-WEEK (W44) and OSR-RESPONDER-GRADE (W50); the footer: esc Back, a Assign
    responder, h My hub / all hubs."""
    from screens.osr_rota import open_osr_rota

    async def run_before(pilot: Any) -> None:
        screen = await _open(pilot, open_osr_rota, "OsrRotaScreen")
        await wait_for(pilot, lambda: not screen.fetching)

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_osr_responder_picker(snap_compare: Any, demo_db: Path) -> None:
    """a on W47: a box over the rota, "Lead responder for West 2026-W47", the West hub's
    practitioners, H and I grade first by name (Bella Cole "● named now", highlighted),
    each with grade, role and hub; Imran Shah last, greyed, "(not H or I grade)"; under
    them "H or I grade only (OSR §4.3). Enter: name them · esc: cancel"."""
    from screens.osr_rota import open_osr_rota

    async def run_before(pilot: Any) -> None:
        screen = await _open(pilot, open_osr_rota, "OsrRotaScreen")
        await wait_for(pilot, lambda: not screen.fetching)
        await pilot.press("a")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ResponderPicker")

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)
