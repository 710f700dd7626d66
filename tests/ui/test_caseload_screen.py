"""Caseload: my team's families against their caps (a bar, the numbers, ▲ over), the
kinds of work, overdue and due soon, the last supervision; t for the whole hub; a
practitioner sees their own row; Enter walks the highlighted practitioner; a
supervision recorded in the walk shows on coming back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ehtui.caseload import caseload
from screens.caseload import open_caseload
from tests.appkit import AS_OF, make_app, screen_text, tray_loaded, wait_for
from widgets.load_bar import load_bar

MANAGER = "P001"  # Imran Shah, Hub Team Manager, West


async def open_screen(pilot: Any) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_caseload(app)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseloadScreen")
    screen = app.screen
    await wait_for(pilot, lambda: not screen.fetching)
    return screen


def cells(screen: Any, ref: str) -> list[str]:
    table = screen.query_one("#caseload-table")
    return [str(getattr(c, "plain", c)) for c in table.get_row(ref)]


def test_the_load_bar_reads_without_colour() -> None:
    assert load_bar(21, 15, "over_limit").plain == "████████ 21/15 ▲"
    assert load_bar(9, 15, None).plain == "█████░░░ 9/15"
    assert load_bar(13, 15, "advice").plain == "███████░ 13/15 i"
    assert load_bar(10, 7.5, "over_limit", 6).plain == "██████ 10/7.5 ▲"
    assert load_bar(1, 15, None).plain == "█░░░░░░░ 1/15"  # one family shows
    assert load_bar(0, 15, None).plain == "░░░░░░░░ 0/15"
    assert load_bar(3, None, None).plain == "········ 3 (no cap)"


async def test_a_manager_sees_the_team_against_their_caps(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        core = caseload(app.session.engine, MANAGER, AS_OF)
        assert [r.person.ref for r in screen.rows] == [r.person.ref for r in core.rows]
        assert [r.person.ref for r in screen.rows] == [
            "P006",
            "P007",
            "P002",
            "P004",
            "P005",
            "P003",
        ]
        # Ian Osei: 21 families of 15, over; the kinds; 7 overdue (1 critically); 4 due soon
        assert cells(screen, "P004") == [
            "Ian Osei",
            "Practitioner",
            "1.0",
            "██████ 21/15 ▲",
            "EHA 7, 0-19 6, UP 5, OOC 5, …",
            "! 7 ‼1",
            "◷ 4",
            "Wed 18 Nov 2026",
        ]
        assert cells(screen, "P006")[2:4] == ["0.5", "██████ 10/7.5 ▲"]  # pro rata FTE
        assert cells(screen, "P007")[1:4] == ["SF lead", "0.8", "██████ 5/4 ▲"]  # not pro rata
        assert cells(screen, "P002")[1:4] == ["AP", "1.0", "██████ 11/10 ▲"]
        assert cells(screen, "P005")[3] == "█████░ 12/15"
        assert cells(screen, "P003")[3] == "██████ 14/15 i"  # the engine's advice, 13 of 15
        text = screen_text(app)
        assert "Caseload · my team · 6 practitioners · 4 over their cap" in text
        # the highlighted practitioner in full under the table
        await pilot.press("down", "down", "down")
        text = screen_text(app)
        assert "Ian Osei · EH practitioner · H grade · 1.0 FTE · West hub" in text
        assert (
            "Work (24 open episodes): EHA/LP 7, LCS 0-19 requests 6, Universal Plus 5, "
            "out-of-court work 5, Return Home Interviews" in text
        )
        assert "Last supervision: Wed 18 Nov 2026 11:30 (2 days ago)" in text
        assert "CASELOAD-15" in text


async def test_t_shows_the_whole_hub_and_back(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: not screen.fetching and screen.scope == "hub")
        assert len(screen.rows) == 7  # everyone in West, me (no cap) too
        assert cells(screen, "P001")[1:4] == ["Team Manager", "1.0", "······ 0 (no cap)"]
        assert cells(screen, "P001")[7] == "none"
        assert "Caseload · West hub · 7 practitioners · 4 over their cap" in screen_text(app)
        await pilot.press("t")
        await wait_for(pilot, lambda: not screen.fetching and screen.scope == "team")
        assert len(screen.rows) == 6


async def test_a_practitioner_sees_just_their_own_caseload(demo_db: Path) -> None:
    app: Any = make_app(demo_db)  # Bella Cole, EH practitioner
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        assert [r.person.ref for r in screen.rows] == ["P003"]
        text = screen_text(app)
        assert "Caseload · Bella Cole · 1 practitioner" in text
        assert "Your own caseload" in text
        await pilot.press("t")  # not for her: said so, nothing else shown
        await pilot.pause()
        assert screen.scope == "team" and [r.person.ref for r in screen.rows] == ["P003"]
        assert any("team managers" in n.message for n in app._notifications)


async def test_enter_walks_the_highlighted_practitioner_and_back(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        assert cells(screen, "P002")[7] == "Tue 3 Nov 2026"
        await pilot.press("down", "down", "enter")  # Hannah Vance
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WalkScreen")
        walk = app.screen
        await wait_for(pilot, lambda: walk.page == "case")
        assert walk.practitioner == "P002"
        assert "Supervision walk · Hannah Vance · case 1 of 11" in screen_text(app)
        await pilot.press(*"Agreed a plan for the overdue TAF.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 1)
        await pilot.press("escape", "escape", "escape")  # box, summary, leave
        await wait_for(pilot, lambda: app.screen is screen and not screen.fetching)
        await wait_for(pilot, lambda: cells(screen, "P002")[7] == "Fri 20 Nov 2026")


async def test_f3_f4_f6_open_the_managers_screens(demo_db: Path) -> None:
    """The catalogue's keys: F3 Caseload, F4 the walk (asking whose cases), F6 the OSR rota."""
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        for key, screen in (
            ("f3", "CaseloadScreen"),
            ("f4", "WalkScreen"),
            ("f6", "OsrRotaScreen"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: type(app.screen).__name__ == screen)  # type: ignore[misc]
            if screen == "WalkScreen":
                walk = app.screen
                await wait_for(pilot, lambda walk=walk: bool(walk.people))  # type: ignore[misc]
                assert walk.page == "choose" and walk.practitioner is None
            await pilot.press("escape")
            await wait_for(pilot, lambda: tray_loaded(app))
