"""Pilot flows on the work tray: managers' team trays, the report, the filter's speed
(no database per keystroke), the columns at 80 and 200 columns, user keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from ehtui.rules import evaluate_store
from screens.report import ReportScreen
from screens.tray import COLUMNS, PADDING, TrayScreen, column_widths
from tests.appkit import AS_OF, make_app, tray_loaded, wait_for


def title(app: Any) -> str:
    return str(app.screen.query_one("#title").render())


def test_columns_fit_120_and_use_200() -> None:
    at_120 = column_widths(118)
    assert sum(w + PADDING for w in at_120) <= 118
    at_200 = column_widths(198)
    assert sum(w + PADDING for w in at_200) == 198  # every cell of a wide terminal used
    assert all(wide >= narrow for wide, narrow in zip(at_200, at_120, strict=True))
    flex = next(i for i, c in enumerate(COLUMNS) if c.flex)
    assert at_200[flex] > at_120[flex]


async def test_manager_has_a_tray_per_team_member(demo_db: Path) -> None:
    app = make_app(demo_db, user="P001")  # Imran Shah, the West hub's Team Manager
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        assert app.session is not None
        team = {p.ref for p in app.session.team}
        assert len(team) == 5 and "P004" in team
        screen = app.screen
        assert isinstance(screen, TrayScreen)
        screen.select_tab("p-P004")
        await wait_for(pilot, lambda: title(app).startswith("Ian Osei's tray"))
        assert screen.shown and all(r.lead == "P004" for r in screen.shown)
        await pilot.press("left_square_bracket")  # the previous tray: Hannah Vance's
        await wait_for(pilot, lambda: title(app).startswith("Hannah Vance's tray"))


async def test_filter_never_touches_the_database(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        assert app.session is not None
        statements: list[str] = []

        def seen(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(app.session.engine, "before_cursor_execute", seen)
        try:
            await pilot.press("slash", *"ryan")
            await pilot.pause()
        finally:
            event.remove(app.session.engine, "before_cursor_execute", seen)
        screen = app.screen
        assert isinstance(screen, TrayScreen)
        assert [r.family_name for r in screen.shown] == ["Ryan"]
        assert statements == []
        assert title(app) == "Work tray · 1 case · 1 overdue · 0 due soon (filtered from 14)"


async def test_report_lists_what_the_engine_found_for_me_and_my_hub(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and not app.screen.fetching
        )
        assert app.session is not None and app.session.me is not None
        engine = app.session.engine
        mine = evaluate_store(engine, AS_OF, practitioner="P003", include_late=False)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.findings == mine and mine
        shown = str(screen.query_one("#report-title").render())
        assert shown == f"Report for Bella Cole · {len(mine)} findings to act on"
        await pilot.press("h")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and not app.screen.fetching
        )
        hub = evaluate_store(engine, AS_OF, hub="West", include_late=False)
        assert screen.findings == hub and len(hub) > len(mine)
        await pilot.press("escape")
        assert isinstance(app.screen, TrayScreen)


async def test_user_keymap_rebinds_the_filter(demo_db: Path, tmp_path: Path) -> None:
    from ehtui import paths

    keys = paths.config_dir() / "keys.toml"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"tray.filter" = "f"\n', encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("f", *"ryan")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrayScreen)
        assert [r.family_name for r in screen.shown] == ["Ryan"]
        await pilot.press("escape")  # back to the table: the footer shows the new key
        assert screen.active_bindings["f"].binding.id == "tray.filter"
        assert "slash" not in screen.active_bindings


async def test_a_bad_keymap_entry_is_reported_not_fatal(demo_db: Path) -> None:
    from ehtui import paths

    keys = paths.config_dir() / "keys.toml"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"tray.filter" = 7\n', encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        messages = [n.message for n in app._notifications]
        assert any("keys.toml: keys.tray.filter: 7 is not a key list" in m for m in messages)
        await pilot.press("slash", *"ryan")  # the default key still works
        await pilot.pause()
        assert [r.family_name for r in app.screen.shown] == ["Ryan"]  # type: ignore[attr-defined]


async def test_theme_choice_is_remembered(demo_db: Path) -> None:
    from ehtui.ui_prefs import saved_theme

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.theme = "nord"
        await pilot.pause()
    assert saved_theme() == "nord"
    again = make_app(demo_db)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(again))
        assert again.theme == "nord"


async def test_an_unknown_user_is_named_and_the_welcome_screen_shown(demo_db: Path) -> None:
    from screens.welcome import WelcomeScreen

    app = make_app(demo_db, user="P999")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        messages = [n.message for n in app._notifications]
        assert "--user P999: no such practitioner in this store" in messages
        assert app.sub_title.startswith("nobody yet")
