"""The footer is rebuilt only when the keys it shows change."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from tests.appkit import case_loaded, make_app, tray_loaded, wait_for


def keys(screen: object) -> list[FooterKey]:
    return list(screen.query(FooterKey))  # type: ignore[attr-defined]


async def test_coming_back_to_the_tray_keeps_its_footer(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray = app.screen
        before = keys(tray)
        assert any(k.key == "w" for k in before)  # the week's key, at 120 columns
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        after = keys(tray)
        assert [id(k) for k in after] == [id(k) for k in before]  # the same widgets


async def test_a_key_that_comes_or_goes_rebuilds_it(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        tray = app.screen
        assert any(k.key == "w" for k in keys(tray))
        await pilot.resize_terminal(100, 40)  # too narrow for the week: no "w"
        await wait_for(pilot, lambda: not any(k.key == "w" for k in keys(tray)))
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: any(k.key == "w" for k in keys(tray)))
