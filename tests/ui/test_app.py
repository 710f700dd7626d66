"""Pilot flows: first run, the tray, filtering, opening a case, switching trays, the palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from ehtui.db import open_store
from screens.case import CaseScreen
from screens.tray import TrayScreen
from screens.welcome import WelcomeScreen
from tests.appkit import case_loaded, make_app, tray_loaded, wait_for


def title(app: Any) -> str:
    return str(app.screen.query_one("#title").render())


async def test_first_run_shows_welcome_then_create_me(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("c")
        await pilot.press(*"Amira Khan")
        # Saving with no role or hub is refused, naming the fields; nothing is written.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose your role." in str(app.screen.query_one("#role-error").render())
        assert isinstance(app.screen, WelcomeScreen)
        with open_store(str(db)).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM practitioner")).scalar() == 0
        await pilot.press("tab", "enter", "down", "enter")  # role: the first choice
        await pilot.press("tab", "enter", "down", "enter")  # hub: West
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert title(app).startswith("Work tray · 0 cases")
        assert "Amira Khan" in app.sub_title
    with open_store(str(db)).connect() as conn:
        row = conn.execute(text("SELECT name, role, hub, fte FROM practitioner")).one()
        audit = conn.execute(text('SELECT action, "table" FROM audit')).all()
    assert tuple(row) == ("Amira Khan", "practitioner", "West", 1.0)
    assert ("insert", "practitioner") in [tuple(a) for a in audit]


async def test_tray_opens_worst_first(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen = app.screen
        assert isinstance(screen, TrayScreen)
        assert title(app) == "Work tray · 14 cases · 4 overdue · 1 due soon"
        levels = [r.level.rank for r in screen.shown]
        assert levels == sorted(levels)
        assert screen.shown[0].level.value == "critically_overdue"


async def test_filter_by_name_and_postcode(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen = app.screen
        assert isinstance(screen, TrayScreen)
        first = screen.shown[0]
        await pilot.press("slash", *first.family_name.lower())
        assert all(first.family_name in r.family_name for r in screen.shown)
        assert "filtered from 14" in title(app)
        await pilot.press("escape")
        assert len(screen.shown) == 14
        postcode = first.postcode.replace(" ", "").lower()
        await pilot.press("slash", *postcode)
        assert first.episode in [r.episode for r in screen.shown]


async def test_enter_opens_the_case_and_escape_returns(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        assert isinstance(app.screen, TrayScreen)
        first = app.screen.shown[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.view is not None
        assert screen.episode == first.episode
        assert first.family_name in str(screen.query_one("#case-title").render())
        assert first.next_rule in [f.rule for f in screen.view.findings]
        assert first.next_rule in app.export_screenshot()  # on screen, not only loaded
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))


async def test_switching_trays(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("h")
        await wait_for(pilot, lambda: title(app).startswith("West hub tray"))
        assert isinstance(app.screen, TrayScreen)
        assert all(r.lead is None for r in app.screen.shown) and app.screen.shown
        await pilot.press("u")
        await wait_for(pilot, lambda: title(app).startswith("West Universal Plus tray"))
        assert all(r.type == "universal_plus" for r in app.screen.shown)
        await pilot.press("m")
        await wait_for(pilot, lambda: title(app).startswith("Work tray"))


async def test_palette_opens_a_case_by_family_name(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        assert isinstance(app.screen, TrayScreen)
        target = app.screen.shown[-1]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"open case {target.family_name}")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert isinstance(app.screen, CaseScreen)
        assert target.family_name in str(app.screen.query_one("#case-title").render())


async def test_help_lists_the_screens_keys(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("f1")
        await pilot.pause()
        from screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, TrayScreen)


async def test_lock_screen_hides_case_data_after_idle(demo_db: Path) -> None:
    from screens.lock import LockScreen

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        family = app.screen.shown[0].family_name  # type: ignore[attr-defined]
        app.lock_if_idle(now=app.last_input + 9 * 60)  # 9 minutes: still open
        await pilot.pause()
        assert isinstance(app.screen, TrayScreen)
        app.lock_if_idle(now=app.last_input + 10 * 60)  # the default 10 minutes
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        assert family not in app.export_screenshot()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TrayScreen)
        await pilot.press("ctrl+l")  # lock now
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_case_view_shows_the_record_history(demo_db: Path) -> None:
    from ehtui.models import Episode
    from ehtui.unit_of_work import fetch, write
    from screens.history import HistoryScreen

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        first = app.screen.shown[0]  # type: ignore[attr-defined]
        assert app.session is not None
        with write(app.session.engine, "P001") as s:
            fetch(s, Episode, first.episode).agreed_contacts_per_4_weeks = 6
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        await pilot.press("a")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, HistoryScreen) and "loading" not in app.export_screenshot()
            ),
        )
        shown = app.export_screenshot()
        assert "agreed_contacts_per_4_weeks" in shown and "P001" in shown
