"""OSR rota: per hub and ISO week the lead responder and grade, the OSR cases accepted
of 3, flags with symbols and the engine's OSR findings; a names a responder from a
picker (H and I grade first, others greyed), saved and audited, the findings redone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import AuditEntry, OsrRota
from screens.osr_rota import open_osr_rota
from tests.appkit import make_app, screen_text, tray_loaded, wait_for

MANAGER = "P001"


async def open_screen(pilot: Any) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_osr_rota(app)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "OsrRotaScreen")
    screen = app.screen
    await wait_for(pilot, lambda: not screen.fetching)
    return screen


def row(screen: Any, key: str) -> list[str]:
    table = screen.query_one("#osr-table")
    return [str(getattr(c, "plain", c)) for c in table.get_row(key)]


def rota(app: Any) -> dict[tuple[str, str], str]:
    t = OsrRota.__table__  # type: ignore[attr-defined]
    with app.session.engine.connect() as conn:
        return {(r.hub, r.week): r.practitioner for r in conn.execute(select(t))}


async def test_the_rota_shows_each_week_its_responder_cases_and_flags(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        assert [w.week for w in screen.weeks] == [f"2026-W{n}" for n in range(43, 52)]
        assert {w.hub for w in screen.weeks} == {"West"}
        assert screen.highlighted.week == "2026-W47"  # this week
        assert row(screen, "West|2026-W47") == [
            "West",
            "2026-W47 ◀",
            "Mon 16 Nov 2026",
            "Bella Cole",
            "I",
            "0/3",
            "✓",
        ]
        assert row(screen, "West|2026-W44")[3:] == [
            "Ben Morgan",
            "H",
            "4/3 ▲",
            "▲ over 3 a week",
        ]
        assert row(screen, "West|2026-W50")[3:] == [
            "Imran Shah",
            "none ▲",
            "0/3",
            "▲ not H or I grade",
        ]
        text = screen_text(app)
        assert "OSR rota · West hub · this week 2026-W47 · 1 week over the limit" in text
        assert "West 2026-W44: 4 OSR cases accepted; the limit is 3 a week" in text
        assert "West 2026-W50: lead responder Imran Shah has no grade" in text
        await pilot.press("up", "up", "up")  # W44: its four cases under the table
        assert screen.highlighted.week == "2026-W44"
        text = screen_text(app)
        assert "West 2026-W44 (week of Mon 26 Oct 2026): 4 OSR cases accepted of 3" in text
        await pilot.press("h")
        await wait_for(pilot, lambda: not screen.fetching and len(screen.weeks) == 27)
        assert [w.hub for w in screen.weeks[::9]] == ["West", "East/Central", "South"]
        assert row(screen, "South|2026-W48")[3:] == [
            "nobody named",
            "",
            "0/3",
            "? name a responder",
        ]


async def test_a_names_an_h_or_i_grade_responder_audited(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("down", "down", "down")  # W50: Imran Shah, no grade
        assert screen.highlighted.week == "2026-W50"
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ResponderPicker")
        picker = app.screen
        options: Any = picker.query_one("#osr-picker-list")
        shown = [options.get_option_at_index(i) for i in range(options.option_count)]
        # H and I grade first, by name; the team manager (no grade) last, not choosable
        assert [o.id for o in shown] == ["P003", "P006", "P007", "P002", "P004", "P005", "P001"]
        assert [o.disabled for o in shown] == [False] * 6 + [True]
        assert options.highlighted == 6  # who is named now
        await pilot.press("up", "up", "enter")  # Ian Osei, H grade
        await wait_for(pilot, lambda: app.screen is screen and not screen.fetching)
        await wait_for(pilot, lambda: row(screen, "West|2026-W50")[3] == "Ian Osei")
        assert rota(app)[("West", "2026-W50")] == "P004"
        assert row(screen, "West|2026-W50")[4:] == ["H", "0/3", "✓"]
        audit = AuditEntry.__table__  # type: ignore[attr-defined]
        with app.session.engine.connect() as conn:
            logged = conn.execute(
                select(audit.c.user, audit.c.action, audit.c.changes).where(
                    audit.c.record == "West 2026-W50"
                )
            ).all()
        assert [(r.user, r.action) for r in logged] == [(MANAGER, "update")]
        assert "P004" in str(logged[0].changes)
        text = screen_text(app)
        assert "OSR-RESPONDER-GRADE" not in text  # the finding is gone with its cause
        assert "OSR-3-PER-WEEK" in text
        assert any("in place of Imran Shah" in n.message for n in app._notifications)


async def test_escape_in_the_picker_changes_nothing(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        before = rota(app)
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ResponderPicker")
        await pilot.press("down", "escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert rota(app) == before


async def test_only_the_hubs_team_manager_may_name_a_responder(demo_db: Path) -> None:
    """A practitioner pressing a is told who names the responder; no picker, nothing
    written. The West Team Manager on a South week (all hubs shown) is refused too."""
    app: Any = make_app(demo_db, user="P006")  # Ben Morgan, EH practitioner, West
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        before = rota(app)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen  # no picker
        said = [n.message for n in app._notifications]
        assert any(
            "Not saved: user: Ben Morgan (P006) is EH practitioner, West hub; only the West "
            "Hub Team Manager names its OSR lead responder" in m
            for m in said
        ), said
        assert rota(app) == before
    app = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: not screen.fetching and len(screen.weeks) == 27)
        table = screen.query_one("#osr-table")
        table.move_cursor(row=[f"{w.hub}|{w.week}" for w in screen.weeks].index("South|2026-W48"))
        await pilot.pause()
        assert (screen.highlighted.hub, screen.highlighted.week) == ("South", "2026-W48")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen
        assert any("only the South Hub Team Manager" in n.message for n in app._notifications)
        assert ("South", "2026-W48") not in rota(app)
