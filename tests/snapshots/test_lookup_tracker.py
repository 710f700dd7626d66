"""Snapshots of the duty lookup (F2) and the data tracker (F5): 120×40 unless said,
as of Fri 20 Nov 2026, the small demo store (seed 1), Bella Cole (West hub).

Regenerate after an intended change:
.venv/bin/python -m pytest tests/snapshots/test_lookup_tracker.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from screens.lookup import LookupScreen, open_duty_lookup
from screens.tracker import TrackerScreen, open_data_tracker
from tests.appkit import make_app, steady_cursors, tray_loaded, wait_for
from widgets.lookup_card import LookupCard


async def _lookup(pilot: Any, query: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_duty_lookup(app)
    await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.index is not None)
    await steady_cursors(pilot)
    await pilot.press(*query)
    await wait_for(
        pilot,
        lambda: (
            bool(screen.rows)
            and (card := screen.query_one(LookupCard).card) is not None
            and card.ref == screen.rows[0].family
        ),
    )


def test_duty_lookup(snap_compare: Any, demo_db: Path) -> None:
    """ "Muhamad" typed (misspelt) in the search box at the top: the title "Duty lookup ·
    3 matches for "Muhamad", best first · 370 people and families"; the results, best
    first, with name, born and age, role, family, postcode, open work and its Lead
    Professional, and why each matched (Muhammad Ahmed and Mohamed Khan "sound like"
    it, then Mahad Hassan); below, the first one's card, the Ahmed family F00047: the
    address and phone, three members (Fatima in bold, a child), the open Universal
    Plus episode E000047 in the West hub "✓ On track" with its Lead Professional Samir
    Ellis and his phone, the last contact (a home visit on Sat 14 Nov), one open
    finding (advice: 4 agencies, an EHA may be needed), and the step-up route (the
    MASH) with the next Transfer meeting, Wed 25 Nov (agenda closes Tue 24 Nov 12:00);
    the footer shows esc Back and enter Open case."""

    async def run_before(pilot: Any) -> None:
        await _lookup(pilot, "Muhamad")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_duty_lookup_wide(snap_compare: Any, demo_db: Path) -> None:
    """At 200 columns the card sits beside the results: "khan" typed, the Khan
    family's four members first (Amina, Hafsa, Hafsa, Mohamed), then Kian Karimi and
    others who sound alike; on the right the Khan family F00060 card (the open EHA
    E000060 "◷ Due soon" with Deepa Morgan, the step-down EHA closed Thu 16 Apr 2026,
    the school visit on Mon 16 Nov, the SUPERVISION-MONTHLY finding, the MASH)."""

    async def run_before(pilot: Any) -> None:
        await _lookup(pilot, "khan")

    assert snap_compare(make_app(demo_db), terminal_size=(200, 40), run_before=run_before)


def test_data_tracker(snap_compare: Any, demo_db: Path) -> None:
    """October 2026 for the West hub and its practitioners: the title says so and "6
    practitioners"; two-line headers; the West hub row in bold (65 open, 10 drifting,
    the trend ▃▃▅▃▅█, then 4 EHA not started, 2 TAF reviews overdue, 1 near a year, 2
    over a year, 2 Universal Plus past its weeks, 0 step-down past 6 months), then
    the practitioners, most drifting first (Deepa Morgan 3 … Bella Cole 0); zeros dim;
    below, for the West hub, "Drifting work" (each measure now, its sparkline and the
    six counts May-October) and "On-time rates" (first contact 88% 7/8 with 1 unmet past
    due, home visit 100% 6/6, … contact notes finalised 97% 266/274, "–" where nothing
    was met, each with its trend); the footer shows esc, [, ], h, e."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(pilot, lambda: tray_loaded(app))
        open_data_tracker(app)
        await wait_for(pilot, lambda: isinstance(app.screen, TrackerScreen))
        screen = app.screen
        await wait_for(pilot, lambda: not screen.trending)

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)
