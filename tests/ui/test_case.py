"""The case view shows what the engine computed: findings, clocks, voice of the child,
the checklist and the meetings, for the case opened from the tray."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehtui.rules import evaluate_store, next_panel, next_transfer_meeting, upcoming
from ehtui.rules.load import load_from
from screens.case import CaseScreen
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for


async def test_every_number_on_the_case_view_is_the_engines(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 90)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("enter")  # the worst case: Ryan's step-down EHA
        await wait_for(pilot, lambda: case_loaded(app))
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.view is not None
        assert app.session is not None
        view = screen.view
        engine = app.session.engine
        found = [
            f
            for f in evaluate_store(engine, AS_OF, episodes=[screen.episode])
            if f.episode == screen.episode
        ]
        assert list(view.findings) == found
        ep = load_from(engine, AS_OF, episodes=[screen.episode]).episodes[0]
        running = upcoming(ep, AS_OF)
        clocks = {(e.rule, e.when) for e in view.timeline if e.label.endswith(": due")}
        assert {
            (f.rule, f.due) for f in running if f.rule not in ("VOC-4W", "RECORD-48H")
        } <= clocks
        assert ("STEPDOWN-MEETING-10WD", "overdue") in {(e.rule, e.state) for e in view.timeline}
        voc = {f.child: f.due for f in running if f.rule == "VOC-4W"}
        assert {v.child: v.due for v in view.voices} == voc
        assert view.meetings.panel == next_panel(AS_OF)
        assert view.meetings.transfer == next_transfer_meeting(AS_OF)
        shown = screen_text(app)
        for text in ("STEPDOWN-MEETING-10WD", "Tue 24 Nov 2026", "agenda closes", "Niamh"):
            assert text in shown


async def test_an_unknown_episode_says_so(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case("E999999")
        await wait_for(
            pilot,
            lambda: "No episode E999999" in str(app.screen.query_one("#case-title").render()),
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))


async def test_case_view_at_80_columns_stacks_the_panels(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        screen = app.screen
        assert screen.has_class("narrow")
        family, episode = screen.query_one("#family"), screen.query_one("#episode")
        assert family.region.x == episode.region.x  # one above the other
        await pilot.press("f")  # jump to the findings
        await pilot.pause()
        assert screen.query_one("#findings").region.y <= 3


async def test_the_next_case_opened_shows_nothing_of_the_last(demo_db: Path) -> None:
    """The case view is built once and kept: the second case opened from the tray shows
    its own family, title and findings, and none of the first's."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 90)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        first_row, second_row = app.screen.rows[0], app.screen.rows[1]
        assert first_row.family_name != second_row.family_name
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        first = app.screen
        assert first_row.family_name in screen_text(app)
        await pilot.press("escape", "down", "enter")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode == second_row.episode)
        assert app.screen is first  # the same screen, new data
        shown = screen_text(app)
        assert f"{second_row.family_name} family" in shown and second_row.episode in shown
        assert first_row.family_name not in shown and first_row.episode not in shown
        assert [type(s).__name__ for s in app.screen_stack[-2:]] == ["TrayScreen", "CaseScreen"]
        assert len(app.screen_stack) == 3  # (the default screen), the tray, the case


async def test_the_palette_names_each_recording_action_exactly(demo_db: Path) -> None:
    """From the case view the palette offers the issue's six names for the episode on
    show, each with the key the footer shows and bound to it."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        names = {c.title: c.help for c in app.get_system_commands(app.screen)}
        episode = app.screen.episode
        bound = {b.id: b.key for b in app.screen.BINDINGS if hasattr(b, "id")}
        for name, key, action in RECORDING:
            assert name in names and episode in names[name] and f"({key} " in names[name]
            assert bound[f"case.{action}"] == key


RECORDING = (
    ("Record contact", "n", "contact"),
    ("Voice of the child", "v", "voice"),
    ("TAF meeting", "m", "taf"),
    ("Record supervision", "s", "oversight"),
    ("Close episode", "x", "close"),
    ("Step up", "u", "stepup"),
)


@pytest.mark.parametrize(
    ("name", "screen"),
    [
        ("Record contact", "ContactLogScreen"),
        ("Voice of the child", "VoiceScreen"),
        ("TAF meeting", "TafScreen"),
        ("Record supervision", "OversightScreen"),
        ("Close episode", "ClosureScreen"),
        ("Step up", "StepUpScreen"),
    ],
)
async def test_each_recording_form_opens_from_the_palette(
    demo_db: Path, name: str, screen: str
) -> None:
    """ctrl+p, the name typed, Enter: the form opens for the episode on show."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        episode = app.screen.episode
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
        await pilot.press(*name)
        palette = app.screen
        await wait_for(
            pilot,
            lambda: any(
                str(o.prompt).startswith(name) for o in palette.query_one("CommandList").options
            ),
        )
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == screen)
        assert app.screen.target == episode


async def test_the_case_view_shows_the_visits_planned_on_it(demo_db: Path) -> None:
    """A home visit planned on E000015 for Mon 23 Nov 10:00 shows in the case view's diary
    line with whom; an episode with nothing planned says so."""
    from ehtui.db import open_store
    from ehtui.diary import plan_appointment

    engine = open_store(str(demo_db))
    values = {"episode": "E000015", "kind": "home_visit", "at": "23/11/2026 10:00", "note": ""}
    plan_appointment(engine, user="P003", values=values, now=AS_OF)
    engine.dispose()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 90)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case("E000015")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode == "E000015")
        assert "Planned: Mon 23 Nov 2026 10:00 Home visit with Bella Cole" in screen_text(app)
        app.open_case("E000007")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode == "E000007")
        assert "Planned: nothing" in screen_text(app)
