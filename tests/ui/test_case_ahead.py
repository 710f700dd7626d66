"""Opening a case the highlight rested on draws it at once from what was read ahead, and
the read that follows checks it; a save forgets what was read ahead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ehtui.case_ahead import Ahead, CaseAhead
from tests.appkit import case_loaded, make_app, screen_text, tray_loaded, wait_for


async def test_resting_on_a_row_reads_its_case_ahead_and_enter_shows_it(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray: Any = app.screen
        second = tray.shown[1].episode
        assert app.case_ahead.get(second) is None
        await pilot.press("down")
        await wait_for(pilot, lambda: app.case_ahead.get(second) is not None)
        ahead = app.case_ahead.get(second)
        assert ahead is not None and ahead.view.episode.ref == second
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.episode == second
        assert f"{second} · " in screen_text(app) and "Lead Professional:" in screen_text(app)


async def test_the_case_opened_next_is_drawn_before_its_fresh_read(demo_db: Path) -> None:
    """The case view is kept: showing another episode read ahead fills the title in the
    same call, with no "loading…" in between."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray: Any = app.screen
        first, second = tray.shown[0].episode, tray.shown[1].episode
        app.open_case(first)
        await wait_for(pilot, lambda: case_loaded(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("down")
        await wait_for(pilot, lambda: app.case_ahead.get(second) is not None)
        case: Any = app.get_screen("case")
        case.show_episode(second)  # what Enter does, without letting the worker run
        assert case.view is not None and case.view.episode.ref == second
        assert "loading" not in str(case.query_one("#case-title").render())


def test_kept_views_are_few_and_a_save_drops_reads_begun_before_it() -> None:
    kept = CaseAhead(keep=2)
    for ref in ("E1", "E2", "E3"):
        kept.keep(ref, Ahead(view=ref, drafts=[]))
    assert kept.get("E1") is None and kept.get("E3") is not None  # the oldest goes
    kept.keep("E2", Ahead(view="again", drafts=[]))  # E2 is now the newest
    kept.keep("E4", Ahead(view="E4", drafts=[]))
    assert kept.get("E3") is None and kept.get("E2") == Ahead(view="again", drafts=[])
    generation = 0  # a read that began before the save below
    kept.forget()
    assert kept.get("E2") is None and kept.get("E4") is None
    kept.keep("E5", Ahead(view="stale", drafts=[]), generation)
    assert kept.get("E5") is None  # read before the save: not kept


async def test_a_save_forgets_what_was_read_ahead(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        top = app.screen.shown[0].episode
        await wait_for(pilot, lambda: app.case_ahead.get(top) is not None)
        app.changed(top)
        assert app.case_ahead.get(top) is None
