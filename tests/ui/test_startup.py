"""Paint first: the app's start-up path imports no database code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.appkit import case_loaded, make_app, tray_loaded, wait_for


def test_the_app_module_loads_no_database_code() -> None:
    code = (
        "import sys\n"
        "import ehtui.cli, ehtui.commands.app, ehtui.app, screens.loading\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'ehtui.db', 'ehtui.models', 'alembic')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


async def test_the_second_start_paints_the_kept_tray_then_confirms_it(demo_db: Path) -> None:
    """The first start keeps "me"'s tray in the store; the next start shows it before the
    store is open (no session yet), and the engine's fresh rows then replace it in the same
    screen; Enter pressed meanwhile opens the case once the store is open."""
    first = make_app(demo_db)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(first))
        kept = [r.episode for r in first.screen.rows]

    app = make_app(demo_db)
    seen: list[tuple[bool, list[str]]] = []

    def watch(message: Any) -> None:
        if type(message).__name__ == "TrayPeeked" and message.peeked is not None:
            seen.append((app.session is None, [r.episode for r in message.peeked.load.rows]))

    async with app.run_test(size=(120, 40), message_hook=watch) as pilot:
        await wait_for(pilot, lambda: bool(seen))
        shown = app.screen
        await wait_for(pilot, lambda: tray_loaded(app) and app.session is not None)
        assert seen == [(True, kept)]
        assert app.screen is shown  # confirmed in place, not rebuilt
        assert [r.episode for r in app.screen.rows] == kept
        assert app.peeked is None


async def test_enter_before_the_store_is_open_opens_the_case_after(demo_db: Path) -> None:
    first = make_app(demo_db)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(first))
        top = first.screen.rows[0].episode
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.peeked is not None or app.session is not None)
        app.open_case(top)  # as Enter on the first row would, before the store is open
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.episode == top


async def test_once_quiet_the_app_keeps_the_trays_of_the_week_ahead(
    demo_db: Path, monkeypatch: Any
) -> None:
    """Friday's session, left open a moment, keeps Monday's tray: Monday's first start
    paints it before the store is open, rows as the engine gives them on Monday."""
    from datetime import datetime

    import ehtui.app
    from ehtui.context import Context
    from ehtui.tray_cache import peek_tray

    monkeypatch.setattr(ehtui.app, "KEEP_AHEAD_AFTER", 0.05)
    url = f"sqlite:///{demo_db}"
    first = make_app(demo_db)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(first))
        monday = datetime(2026, 11, 23, 9, 0)
        assert first.session is not None and first.session.me is not None
        me = first.session.me.ref
        await wait_for(pilot, lambda: peek_tray(url, me, monday.date(), "-") is not None)

    app = ehtui.app.EhtuiApp(Context(db=str(demo_db), as_of=monday))
    peeked: list[bool] = []

    def watch(message: Any) -> None:
        if type(message).__name__ == "TrayPeeked":
            peeked.append(message.peeked is not None)

    async with app.run_test(size=(120, 40), message_hook=watch) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.session is not None)
        assert peeked == [True]
        kept = peek_tray(url, me, monday.date(), "-")
        assert kept is not None
        assert [(r.episode, r.level, r.days_open) for r in kept.load.rows] == [
            (r.episode, r.level, r.days_open) for r in app.screen.rows
        ]
