"""The speed budgets of issue 4 without losing anything a person sees: the case view built
ahead while the app is idle, each panel's height fitting the lines it draws, the footer's
keys styled once, the week ahead kept only once the app is quiet."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from tests.appkit import case_loaded, make_app, screen_text, tray_loaded, wait_for


async def test_the_case_view_is_built_ahead_and_the_first_case_fills_it(demo_db: Path) -> None:
    """Once the tray is up the case view exists, empty and off the stack; Enter shows the
    highlighted case in that same view, title and panels filled."""
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.is_screen_installed("case"))
        built: Any = app.get_screen("case")
        await wait_for(pilot, lambda: built.is_running and bool(built.query("#family")))
        assert built not in app.screen_stack and built.view is None
        tray: Any = app.screen
        top = tray.shown[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen is built and built.episode == top.episode
        text = screen_text(app)
        assert f"{top.episode} · " in text and "Lead Professional:" in text
        assert f"Family: {top.family_name}" in text and "Referral received" in text


async def test_the_case_the_highlight_rests_on_is_drawn_ahead(demo_db: Path) -> None:
    """Resting on a tray row draws that case into the view kept off the stack; Enter then
    shows exactly that case, and moving on before Enter draws the next one instead."""
    from widgets.panel import Panel

    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.is_screen_installed("case"))
        built: Any = app.get_screen("case")
        tray: Any = app.screen
        second = tray.shown[1]

        def drawn_for(episode: str) -> bool:
            panels = list(built.query(Panel)) if built.is_running else []
            return bool(panels) and all(
                p._view is not None and p._view.episode.ref == episode for p in panels
            )

        await wait_for(pilot, lambda: drawn_for(tray.shown[0].episode))
        await pilot.press("down")
        await wait_for(pilot, lambda: drawn_for(second.episode))
        assert built not in app.screen_stack
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen is built)
        assert built.episode == second.episode
        text = screen_text(app)
        assert f"{second.episode} · " in text and f"Family: {second.family_name}" in text


async def test_the_kept_case_view_shows_the_next_case_and_nothing_of_the_last(
    demo_db: Path,
) -> None:
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray: Any = app.screen
        first = next(r for r in tray.shown if r.family_name != tray.shown[0].family_name)
        second = tray.shown[0]
        app.open_case(first.episode)
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode == first.episode)
        case = app.screen
        assert f"Family: {first.family_name}" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case(second.episode)
        await wait_for(
            pilot,
            lambda: case_loaded(app) and app.screen.view.episode.ref == second.episode,
        )
        assert app.screen is case  # the same view, refilled
        text = screen_text(app)
        assert f"{second.episode} · " in text and f"Family: {second.family_name}" in text
        assert first.episode not in text and f"Family: {first.family_name}" not in text


async def test_a_save_repaints_the_kept_case_view(demo_db: Path) -> None:
    """What changed in the store shows after a save (the app's ``changed``), panel and height."""
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray: Any = app.screen
        top = tray.shown[0].episode
        app.open_case(top)
        await wait_for(pilot, lambda: case_loaded(app))
        family = app.screen.query_one("#family")
        height = family.size.height
        address = "1 Quick Street, Repaint Road, London, N1 1AA, a long enough line to wrap twice"
        with sqlite3.connect(demo_db) as conn:
            conn.execute(
                "UPDATE family SET address = ?"
                " WHERE ref = (SELECT family FROM episode WHERE ref = ?)",
                (address, top),
            )
        app.changed(top)
        await wait_for(pilot, lambda: "1 Quick Street" in screen_text(app))
        await wait_for(pilot, lambda: family.size.height > height)  # it wraps: one line more


async def test_each_panel_is_as_tall_as_the_lines_it_draws(demo_db: Path) -> None:
    """A panel measured at one width and placed a cell wider (a 2fr column) still fits its
    lines: nothing cut off at its foot, no blank line left; at 120 and at 80 columns."""
    from widgets.panel import Panel

    for size in ((120, 40), (80, 24)):
        app: Any = make_app(demo_db)
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: tray_loaded(app))  # noqa: B023
            app.open_case(app.screen.shown[0].episode)
            await wait_for(pilot, lambda: case_loaded(app))  # noqa: B023
            await pilot.pause(0.1)
            for panel in app.screen.query(Panel):
                width = panel.content_region.width
                assert panel.content_region.height == len(panel.drawn(width).lines), panel.id


async def test_footer_keys_are_styled_as_textual_draws_them(demo_db: Path) -> None:
    """The footer's keys start as they end: none compact but the palette's key."""
    from textual.widgets._footer import FooterKey

    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case(app.screen.shown[0].episode)
        await wait_for(pilot, lambda: case_loaded(app) and bool(app.screen.query(FooterKey)))
        for key in app.screen.query(FooterKey):
            palette = key.has_class("-command-palette")
            assert key.compact is palette and key.has_class("-compact") is palette


async def test_the_week_ahead_is_kept_only_once_the_app_is_quiet(
    demo_db: Path, monkeypatch: Any
) -> None:
    import ehtui.app

    monkeypatch.setattr(ehtui.app, "KEEP_AHEAD_AFTER", 0.3)
    app: Any = make_app(demo_db)
    kept: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        monkeypatch.setattr(app, "_keep_ahead", lambda: kept.append(time.monotonic()))
        app.last_input = time.monotonic()  # a key just now
        app._keep_ahead_when_quiet()
        assert kept == []  # not yet: put off until 0.3 s after that key
        await pilot.pause(0.6)
        assert len(kept) == 1 and kept[0] - app.last_input >= 0.3
