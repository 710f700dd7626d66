"""Pilot flows on the welcome screen: load the demo, import a file and pick me, refusals."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from ehtui.db import open_store
from ehtui.interchange import export_to
from screens.tray import TrayScreen
from screens.welcome import WelcomeScreen
from tests.appkit import make_app, tray_loaded, wait_for


def count(db: Path, table: str) -> int:
    engine = open_store(str(db))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    finally:
        engine.dispose()


async def test_load_the_demo_opens_the_demo_users_tray(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    app = make_app(db)
    app.demo_size = "small"  # the borough is the same code, ten times bigger
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("d")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert app.session is not None and app.session.me is not None
        assert app.session.me.name == "Bella Cole"
        assert app.sub_title == "Bella Cole · empty.db"
        assert str(app.screen.query_one("#title").render()).startswith("Work tray · 14 cases")
    assert count(db, "practitioner") == 7
    from ehtui.context import remembered_user
    from ehtui.db import resolve_target

    assert remembered_user(resolve_target(str(db))) == "P003"


async def test_import_a_file_then_pick_me(tmp_path: Path, demo_db: Path) -> None:
    source = open_store(str(demo_db))
    export_to(source, tmp_path / "export.json")
    source.dispose()
    db = tmp_path / "empty.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("i", *str(tmp_path / "missing.json"), "enter")
        await wait_for(
            pilot,
            lambda: "Nothing was imported" in str(app.screen.query_one("#path-error").render()),
        )
        assert count(db, "practitioner") == 0
        field = app.screen.query_one("#path")
        field.value = str(tmp_path / "export.json")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.screen.query_one("#pick-form").has_class("hidden"))
        await wait_for(pilot, lambda: len(app.screen.query_one("#who")._options) > 1)  # type: ignore[attr-defined]
        # The names are in alphabetical order: Bella Cole is the first.
        await pilot.press("enter", "down", "enter")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert isinstance(app.screen, TrayScreen)
        assert app.session is not None and app.session.me is not None
        assert app.session.me.ref == "P003"
    assert count(db, "episode") == count(demo_db, "episode")


async def test_create_me_refuses_a_bad_fte_beside_the_field(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("c", *"Sam Okafor")
        app.screen.query_one("#fte").value = "1.5"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert "at most 1" in str(screen.query_one("#fte-error").render())
        assert "Choose your role." in str(screen.query_one("#role-error").render())
        assert str(screen.query_one("#name-error").render()) == ""
    assert count(db, "practitioner") == 0
