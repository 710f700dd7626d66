"""The week beside the work tray: appointments planned through the diary core show under
"Today" and "This week" with the week's fixed meetings; w moves into the panel and Enter
opens the appointment's case; r reloads it; below 110 columns it is hidden and w is not
offered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ehtui.db import open_store
from ehtui.diary import plan_appointment, week_ahead
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for

EPISODE = "E000015"  # one of Bella Cole's (P003, the demo's user) episodes


def plan(db: Path, at: str, kind: str = "home_visit") -> str:
    engine = open_store(str(db))
    try:
        return plan_appointment(
            engine, user="P003", values={"episode": EPISODE, "kind": kind, "at": at}, now=AS_OF
        )
    finally:
        engine.dispose()


def week_loaded(app: Any) -> bool:
    return tray_loaded(app) and app.screen.query_one("#week").loaded


def panel_lines(app: Any) -> list[str]:
    week = app.screen.query_one("#week")
    return [str(week.get_option_at_index(n).prompt) for n in range(week.option_count)]


async def test_the_week_shows_my_appointments_and_opens_their_case(demo_db: Path) -> None:
    plan(demo_db, "today 10:00")  # Fri 20 Nov 2026
    plan(demo_db, "23/11/2026 14:00", "telephone")  # Mon
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: week_loaded(app))
        family = week_ahead(app.session.engine, "P003", AS_OF).today[0].family
        assert family
        lines = panel_lines(app)
        assert lines == [
            "Today · Fri 20 Nov",
            f"10:00 {family}, home visit",
            "This week",
            f"Mon 14:00 {family}, telephone",
            "Tue 09:30 Hub Panel",
            "Tue 12:00 Transfer cut-off",
            "Wed 09:30 Transfer meeting",
        ]
        shown = screen_text(app)
        assert f"10:00 {family}, home visit" in shown and "Tue 12:00 Transfer cut-off" in shown
        assert "w This week" in shown  # the key is in the footer
        # Another appointment planned meanwhile: r reloads the tray and the week.
        plan(demo_db, "24/11/2026 11:00", "school_visit")
        await pilot.press("r")
        await wait_for(pilot, lambda: f"Tue 11:00 {family}, school visit" in panel_lines(app))
        # w moves into the week; Enter on an appointment opens its case.
        await pilot.press("w")
        week = app.screen.query_one("#week")
        assert app.focused is week
        week.highlighted = panel_lines(app).index(f"Mon 14:00 {family}, telephone")
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.episode == EPISODE


async def test_the_week_is_hidden_below_110_columns(demo_db: Path) -> None:
    plan(demo_db, "today 10:00")
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.session is not None)
        week = app.screen.query_one("#week")
        assert not week.display or week.region.width == 0
        assert not week.loaded  # not even read while it cannot be seen
        await pilot.press("w")
        assert app.focused is not week
        assert "This week" not in screen_text(app)


async def test_the_palette_moves_into_the_week(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: week_loaded(app))
        tray = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"this week")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is tray and app.focused is tray.query_one("#week"))
