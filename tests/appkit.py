"""Helpers for Pilot and snapshot tests: a seeded small demo store and waiting for screens."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ehtui.app import EhtuiApp
from ehtui.context import Context

ANCHOR = date(2026, 11, 20)
AS_OF = datetime(2026, 11, 20, 23, 59, 59)


def make_demo_store(folder: Path) -> Path:
    from ehtui.db import open_store
    from ehtui.demo import generate

    path = folder / "demo.db"
    engine = open_store(str(path))
    generate(engine, "small", 1, ANCHOR, progress=False)
    engine.dispose()
    return path


def copy_store(template: Path, folder: Path) -> Path:
    target = folder / "store.db"
    shutil.copy(template, target)
    return target


def make_app(db: Path, user: str | None = None) -> EhtuiApp:
    return EhtuiApp(Context(db=str(db), user=user, as_of=AS_OF))


async def wait_for(pilot: Any, ready: Callable[[], bool], tries: int = 200) -> None:
    """Let the app run (workers included) until ``ready()``; fail if it never is."""
    for _ in range(tries):
        await pilot.pause()
        if ready():
            await pilot.app.workers.wait_for_complete()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause(0.05)
            if ready():
                return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.01)
    raise AssertionError("the screen never became ready")


def tray_loaded(app: Any) -> bool:
    screen = app.screen
    return (
        type(screen).__name__ == "TrayScreen"
        and not screen.fetching
        and "case" in str(screen.query_one("#title").render())
        and _table_laid_out(screen.query_one("#table"), len(screen.shown))
    )


def _table_laid_out(table: Any, rows: int) -> bool:
    """The DataTable has its rows and has measured them (it does so when idle)."""
    return bool(table.row_count == rows and table.virtual_size.height >= rows + 1)


def case_loaded(app: Any) -> bool:
    screen = app.screen
    return type(screen).__name__ == "CaseScreen" and screen.view is not None


def screen_text(app: Any) -> str:
    """The text on the app's screen now (the screenshot without its SVG markup)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def open_case_form(pilot: Any, episode: str, key: str, screen: str) -> Any:
    """From the tray, open ``episode``'s case view, press ``key`` and wait until the form
    ``screen`` (a class name) has loaded what it checks against; the form."""
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    app.open_case(episode)
    await wait_for(pilot, lambda: case_loaded(app))
    await pilot.press(key)
    await wait_for(pilot, lambda: type(app.screen).__name__ == screen)
    form = app.screen
    await wait_for(pilot, lambda: form.context is not None)
    return form


async def steady_cursors(pilot: Any) -> None:
    """Stop every text box on the screen blinking and repaint it, so a snapshot shows the cursor
    drawn steadily whatever phase the blink was in (a TextArea keeps the lines it drew, so
    turning the blink off alone can leave a frame without the cursor)."""
    for box in pilot.app.screen.query("Input, TextArea"):
        box.cursor_blink = False
        # A TextArea keys its kept lines without the focus: a line drawn before the box had
        # the focus would be reused without its cursor. Draw every line afresh.
        cache = getattr(box, "_line_cache", None)
        if cache is not None:
            cache.clear()
        box.refresh()
    await pilot.pause(0.1)
