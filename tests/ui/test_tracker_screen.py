"""Data tracker (F5): a hub-month as the engine computed it, months, views, CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ehtui.tracker import tracker, tracker_csv
from screens.catalogue import APP_ACTIONS
from screens.tracker import HUBS, PEOPLE, TrackerScreen, export_path, open_data_tracker
from screens.tray import TrayScreen
from tests.appkit import AS_OF, make_app, screen_text, tray_loaded, wait_for


async def open_tracker(pilot: Any) -> TrackerScreen:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_data_tracker(app)  # what the catalogue's "Data tracker" (F5) runs
    await wait_for(pilot, lambda: isinstance(app.screen, TrackerScreen))
    screen = app.screen
    assert isinstance(screen, TrackerScreen)
    await wait_for(pilot, lambda: not screen.trending)
    return screen


def cells(screen: TrackerScreen) -> list[list[str]]:
    table = screen.query_one("#tracker-table")
    return [
        [str(c) for c in table.get_row_at(n)]  # type: ignore[attr-defined]
        for n in range(table.row_count)  # type: ignore[attr-defined]
    ]


async def test_the_hub_month_is_the_engines(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_tracker(pilot)
        assert screen.month == "2026-10" and screen.view == PEOPLE and screen.hub == "West"
        core = tracker(app.session.engine, AS_OF, hub="West", settings=app.session.settings)
        lines = core.for_month("2026-10")
        hub_line = lines[0]
        assert hub_line.practitioner is None
        rows = cells(screen)
        assert len(rows) == len(lines) == 7  # the hub, then its six practitioners
        assert rows[0][:3] == ["West hub", str(hub_line.open_episodes), str(hub_line.drifting)]
        assert rows[0][3] == "▃▃▅▃▅█"  # drifting May-Oct 2026: 3 3 6 3 5 10
        by_name = {line.name: line for line in lines[1:]}
        for row in rows[1:]:
            line = by_name[row[0]]
            drift = [line.drift[m] for m in ("eha_not_started", "reviews_overdue")]
            assert row[1:3] == [str(line.open_episodes), str(line.drifting)]
            assert row[4:6] == [str(n) for n in drift]
        drifting = [int(r[2]) for r in rows[1:]]
        assert drifting == sorted(drifting, reverse=True)  # most drifting first
        shown = screen_text(app)
        assert "Data tracker · West hub and its practitioners · October 2026" in shown
        assert "Drifting work · West hub" in shown
        assert "3 3 6 3 5 10" in shown  # the month-by-month counts under the sparkline
        rate = hub_line.rates["EHA-CONTACT-2WD"]
        assert f"{rate.rate:.0%}" in shown and f"{rate.on_time}/{rate.met}" in shown

        await pilot.press("down")  # the detail follows the highlighted practitioner
        await pilot.pause()
        assert f"Drifting work · {rows[1][0]}" in screen_text(app)


async def test_brackets_move_a_month_and_not_past_this_one(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_tracker(pilot)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: not screen.trending)
        assert screen.month == "2026-09"
        core = tracker(app.session.engine, AS_OF, month="2026-09", hub="West")
        assert cells(screen)[0][1] == str(core.for_month()[0].open_episodes)
        assert "September 2026" in screen_text(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_for(pilot, lambda: not screen.trending)
        assert screen.month == "2026-11"
        assert "November 2026 so far (to Fri 20 Nov)" in screen_text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.month == "2026-11"
        assert any("latest month" in n.message for n in app._notifications)


async def test_h_shows_every_hub_and_enter_a_hubs_practitioners(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_tracker(pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: not screen.trending)
        assert screen.view == HUBS
        assert [r[0] for r in cells(screen)] == ["West hub"]  # the small demo has one hub
        assert "Data tracker · every hub · October 2026 · 1 hub" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.trending)
        assert screen.view == PEOPLE and len(cells(screen)) == 7
        await pilot.press("escape")  # back to every hub
        await pilot.pause()
        assert screen.view == HUBS
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TrayScreen))


async def test_e_writes_the_csv_to_a_new_file_and_never_overwrites(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tracker(pilot)
        await pilot.press("e")
        await pilot.pause()
        first = tmp_path / "tracker-west-2026-10.csv"
        core = tracker(app.session.engine, AS_OF, hub="West", settings=app.session.settings)
        assert first.read_text(encoding="utf-8") == tracker_csv(core)
        first.write_text("kept", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause()
        assert first.read_text(encoding="utf-8") == "kept"
        second = tmp_path / "tracker-west-2026-10-2.csv"
        assert second.read_text(encoding="utf-8") == tracker_csv(core)
        messages = [n.message for n in app._notifications]
        assert any(str(first) in m for m in messages) and any(str(second) in m for m in messages)


def test_export_names_are_safe_for_any_hub(tmp_path: Path) -> None:
    assert export_path(tmp_path, "East/Central", "2026-10").name == (
        "tracker-east-central-2026-10.csv"
    )
    assert export_path(tmp_path, None, "2026-10").name == "tracker-all-hubs-2026-10.csv"


@pytest.mark.skipif(
    not any(a.id == "tracker" for a in APP_ACTIONS),
    reason="the catalogue's Data tracker entry has not landed yet",
)
async def test_f5_opens_the_data_tracker(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TrackerScreen))


def test_the_month_alone_has_the_same_figures_as_with_its_trend(demo_db: Path) -> None:
    """What the screen relies on to show the month first: the month's lines do not
    depend on how many months of trend are computed with it."""
    from ehtui.db import open_store

    engine = open_store(str(demo_db))
    for month in ("2026-06", "2026-10", "2026-11"):
        alone = tracker(engine, AS_OF, month=month, hub="West", months=1)
        with_trend = tracker(engine, AS_OF, month=month, hub="West", months=6)
        assert alone.for_month() == with_trend.for_month() != []
    engine.dispose()


async def test_the_figures_show_first_and_the_trend_follows(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import ehtui.tracker

    release = threading.Event()
    compute = ehtui.tracker.tracker

    def slow_trend(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("months", 6) > 1:
            release.wait(10)
        return compute(*args, **kwargs)

    monkeypatch.setattr(ehtui.tracker, "tracker", slow_trend)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        open_data_tracker(app)
        while not (isinstance(app.screen, TrackerScreen) and not app.screen.fetching):
            await pilot.pause()  # (wait_for would wait for the trend's worker)
        screen = app.screen
        assert screen.trending
        rows = cells(screen)
        assert rows[0][:3] == ["West hub", "65", "10"] and rows[0][3] == "…"
        assert "the trend is coming…" in screen_text(app)
        await pilot.press("e")
        assert any("Still computing the trend" in n.message for n in app._notifications)
        release.set()
        await wait_for(pilot, lambda: not screen.trending)
        assert cells(screen)[0][3] == "▃▃▅▃▅█"
