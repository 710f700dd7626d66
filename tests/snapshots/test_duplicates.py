"""Snapshots of Find duplicates (F9) at 120×40, as Imran Shah (P001) on the small demo
store (seed 1) as of Fri 20 Nov 2026, with Kacper Wisniewski (M000007) entered again as
"Kasper Wiśniewski" (M09001) under a new family (the small demo has no duplicates).

Regenerate after an intended change:
.venv/bin/python -m pytest tests/snapshots/test_duplicates.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.appkit import make_app, tray_loaded, wait_for
from tests.ui.test_duplicates_screen import add_second_record

MANAGER = "P001"
SIZE = (120, 40)


async def _open(pilot: Any) -> Any:
    from screens.duplicates import open_find_duplicates

    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_find_duplicates(app)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DuplicatesScreen")
    screen = app.screen
    await wait_for(pilot, lambda: not screen.fetching)
    return screen


def test_duplicates_list(snap_compare: Any, demo_db: Path) -> None:
    """The title "Find duplicates · 1 likely pair", the line saying what a pair is and
    the keys ("m: merge (two families: the families first) · u: undo"), then the
    pair: score 89, born 17 Jun 2020, "Kacper Wisniewski M000007 · F00002" beside
    "Kasper Wiśniewski M09001 · F09001", "sounds alike". Under the table the reason in
    full (same date of birth; first name "Kacper" sounds like "Kasper"; same last name;
    different families), then the two records side by side: 1 Kacper, Child, born 17 Jun
    2020, family Wisniewski (F00002), no address, his episodes E000002 Universal Plus
    (open) and E000090 Joint work (closed 8 Nov 2026); 2 Kasper, family Wisniewska
    (F09001), 4 Elm Road, N12 0AA, no episodes. The footer: esc Back, m Merge, f Merge
    families, u Undo last merge."""
    add_second_record(demo_db)

    async def run_before(pilot: Any) -> None:
        await _open(pilot)

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_duplicates_family_merge_confirm(snap_compare: Any, demo_db: Path) -> None:
    """After m on the pair in two families: the box "Merge two families (one household
    entered twice)" over the list; "Kacper Wisniewski M000007 and Kasper Wiśniewski
    M09001 are in different families (F00002 Wisniewski, F09001 Wisniewska): merge the
    families first (an episode's children are members of its family), then the two
    records of the person."; the two families side by side in frames, "● keep" on 1
    (Wisniewski F00002: no address; members Maja M000005 Mother, Szymon M000006 Father,
    Kacper M000007 Child; episodes E000002 and E000090) and "○ merge" on 2 (Wisniewska
    F09001: 4 Elm Road, N12 0AA; member Kasper M09001 Child; no episodes); the words
    "Keep family F00002 and merge F09001 into it: its members (1: Kasper Wiśniewski
    M09001) and episodes (0) move to F00002; ... blank details ... are filled from
    F09001, never overwritten, and the agencies joined; F09001 stays in the store,
    removed as merged ..."; the keys "1 or 2: the family to keep · ctrl+s: merge the
    families · esc: cancel"; the footer: 1 Keep 1, 2 Keep 2, ^s Merge families, esc
    Cancel."""
    add_second_record(demo_db)

    async def run_before(pilot: Any) -> None:
        await _open(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "FamilyMergeConfirm")

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)


def test_duplicates_merge_confirm(snap_compare: Any, demo_db: Path) -> None:
    """After the families are merged (m, ctrl+s), the pair is in one family and m asks
    which record to keep: the box "Merge two records of one person" over the list, the
    two records side by side in frames, both "Family: Wisniewski (F00002)" and "Address:
    4 Elm Road, N12 0AA" (the kept family's blank address, filled by the family merge),
    "● keep" on 1 (Kacper, in two episodes) and "○ merge" on 2 (Kasper, none); the words
    "Keep M000007 and merge M09001 into it: the episodes (0), contacts and voice of the
    child records of M09001 move to M000007; ...blank details ... are filled from
    M09001, never overwritten; M09001 stays in the store, removed as merged", and the
    keys "1 or 2: the record to keep · ctrl+s: merge · esc: cancel"; the footer: 1 Keep
    1, 2 Keep 2, ^s Merge, esc Cancel."""
    add_second_record(demo_db)

    async def run_before(pilot: Any) -> None:
        screen = await _open(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "FamilyMergeConfirm")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.merges and not screen.fetching and not screen.busy)
        pilot.app.clear_notifications()
        await pilot.press("m")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "MergeConfirm")

    assert snap_compare(make_app(demo_db, user=MANAGER), terminal_size=SIZE, run_before=run_before)
