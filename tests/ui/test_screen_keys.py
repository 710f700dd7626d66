"""Every key a screen shows in its footer is also an entry of the command palette.

The data tracker's "Previous month" ([) is run by name from the palette: the
month moves back as the key would move it. The app's own actions and the
recording actions keep their one entry each (no second one from a screen's key).
"""

from __future__ import annotations

from pathlib import Path

from screens.catalogue import APP_ACTIONS
from screens.screen_keys import ScreenKeysProvider
from screens.tracker import TrackerScreen, open_data_tracker
from tests.appkit import make_app, screen_text, tray_loaded, wait_for
from tests.ui.test_tracker_screen import open_tracker


async def test_a_screens_key_runs_from_the_palette(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_tracker(pilot)
        assert screen.month == "2026-10"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"previous month")
        await wait_for(pilot, lambda: "Previous month" in screen_text(app))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.month == "2026-09")
        await wait_for(pilot, lambda: not screen.trending)
        assert "September 2026" in screen_text(app)


async def test_the_entries_are_the_footers_keys_not_the_apps(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        open_data_tracker(app)
        await wait_for(pilot, lambda: isinstance(app.screen, TrackerScreen))
        provider = ScreenKeysProvider(app.screen)
        names = [name for name, _help, _run in provider._entries()]
        assert {"Previous month", "Next month", "Export CSV", "Back"} <= set(names)
        assert not set(names) & {a.name for a in APP_ACTIONS}  # F2-F9 are named already
        assert len(names) == len(set(names))
