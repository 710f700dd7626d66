"""Snapshots of the recording forms: 120×40, as-of Fri 20 Nov 2026, the small demo (seed 1),
opened on Bella Cole's E000015 (Mihai and Elena).

Regenerate after an intended change: .venv/bin/python -m pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.appkit import case_loaded, make_app, steady_cursors, tray_loaded, wait_for

EPISODE = "E000015"


async def open_form(pilot: Any, key: str, screen: str, focus: str | None = None) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    app.open_case(EPISODE)
    await wait_for(pilot, lambda: case_loaded(app))
    await pilot.press(key)
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == screen and app.screen.context is not None
    )
    # The defaults filled in (boxes ticked, rows hidden) are painted before the picture.
    await wait_for(pilot, lambda: app.screen._baseline != {} and not app.screen._restoring)
    if focus is not None:  # a form that moves the cursor after its first refresh
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == focus)
    # The list beside the form measures its columns when idle: wait until it has, and
    # until its measure holds across a pause (a picture once caught it half-measured).
    await wait_for(pilot, lambda: tables_measured(app))
    measured = table_widths(app)
    await pilot.pause(0.05)
    await wait_for(pilot, lambda: tables_measured(app) and table_widths(app) == measured)
    await steady_cursors(pilot)


def tables_measured(app: Any) -> bool:
    """Every DataTable on the screen has measured its rows: nothing waits for the idle
    pass, and its virtual size holds the header and every row."""
    return all(
        not t._require_update_dimensions
        and not t._new_rows
        and not t._updated_cells
        and t.virtual_size.height >= t.row_count + (1 if t.show_header else 0)
        for t in app.screen.query("DataTable")
    )


def table_widths(app: Any) -> list[tuple[int, ...]]:
    return [
        tuple(c.get_render_width(t) for c in t.ordered_columns)
        for t in app.screen.query("DataTable")
    ]


def test_contact_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Record contact · episode E000015": the method line (h Home visit, o Office visit, ...
    with none chosen), When "now" with its hint, the outcome with "● Completed" chosen,
    both children ticked as seen, nobody seen alone, an empty note; on the right the
    episode's contacts newest first with their recording state; the footer shows ctrl+f
    Save and finalise and ctrl+s Save as draft."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "n", "ContactLogScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_voice_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Voice of the child · episode E000015": the most due child chosen (1 or 2 with
    names and ages), the prompts band fitted to that child's age and the matching "How
    heard" chosen, When "now", the child's own words box, the band's prompts with their
    questions as hints; on the right each child with last heard, next due and state
    (the most due first); the footer shows ctrl+s Save."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "v", "VoiceScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_supervision_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Record supervision · episode E000015": Kind with "● Supervision" chosen among the
    §26.1 kinds (s, g, t, v, p, k, d, f, q), When "now", an empty Decision box with the
    cursor in it and its hint; on the right the episode's oversight so far, newest first;
    the footer shows ctrl+s Save."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "s", "OversightScreen", focus="f-decision")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_taf_form(snap_compare: Any, demo_db: Path) -> None:
    """ "TAF meeting · episode E000015" (no TAF held yet): "● Initial TAF" chosen, When
    "now", the family's agencies filled in, an empty plan with its "what | who | by when
    | status ... | progress" hint, RADAR "● Not gathered" and the family's feedback box,
    the contacts agreed box, the decisions (c continue, a plan achieved, f further need,
    u step up, l transfer LP) with none chosen; on the right "The plan so far": "No plan
    yet", no meetings yet and "Next meeting due …" for the overdue initial TAF; the
    footer shows ctrl+s Save."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "m", "TafScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_closure_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Close episode E000015": the reasons by key (p plan completed, l LP transferred, u
    stepped down, d disengaged, m moved away, n no further action, c stepped up to CSC,
    e stepped up to an EHA) with none chosen, "Closed on" today; on the right "✗ No TAF
    has ratified the plan as achieved.", "✗ Notes still in draft, to finalise first (1):"
    with the contact of Fri 20 Nov 2026 10:00, and the clocks that stop at closure."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "x", "ClosureScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_step_up_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Step up · episode E000015": "Stepped up on" today and the empty Reasons box; on
    the right "To Children's Social Care: MASH", why (no recent CSC closure), "✗ Finalise
    the 1 draft note first", "Next Hub Panel: Tue 24 Nov 2026 (morning)" and "Transfer
    meeting Wed 25 Nov 2026; agenda closes Tue 24 Nov 2026 12:00"; the footer shows
    ctrl+s Step up."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "u", "StepUpScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_milestones_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Case milestones · episode E000015" (an EHA): Engagement confirmed 17/09/2026, EHA
    completed 03/11/2026, the three document boxes ticked, Contacts agreed blank with its
    hint (1 to 20); the step-down, extension, session, out-of-court, RHI and OSR fields are
    not shown; on the right the clocks still running."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "k", "MilestonesScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)


def test_allocate_form(snap_compare: Any, demo_db: Path) -> None:
    """ "Allocate · episode E000015": the family, type and hub, the referral date and the
    current Lead Professional (Bella Cole); then the West hub's practitioners lightest
    first with role, families against cap (e.g. "14 / 15", "▲" when over), cases
    overdue and due soon; the footer shows ctrl+s Allocate."""

    async def run_before(pilot: Any) -> None:
        await open_form(pilot, "A", "AllocateScreen")

    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=run_before)
