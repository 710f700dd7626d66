"""Duty lookup (F2): search as you type, the card follows the cursor, Enter opens the case."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from ehtui.lookup.card import family_card
from ehtui.models import AuditEntry, Episode
from screens.case import CaseScreen
from screens.catalogue import APP_ACTIONS
from screens.lookup import LookupScreen, open_duty_lookup
from screens.tray import TrayScreen
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for
from widgets.lookup_card import LookupCard


async def open_lookup(pilot: Any) -> LookupScreen:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_duty_lookup(app)  # what the catalogue's "Duty lookup" (F2) runs
    await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))
    screen = app.screen
    assert isinstance(screen, LookupScreen)
    await wait_for(pilot, lambda: screen.index is not None)
    return screen


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def card_for_cursor(screen: LookupScreen) -> bool:
    """The card on show is the highlighted row's family's."""
    row = screen.query_one("#lookup-results").cursor_row  # type: ignore[attr-defined]
    if not screen.rows:
        return False
    card = screen.query_one(LookupCard).card
    return card is not None and card.ref == screen.rows[row].family


def access_logged(app: Any, family: str) -> int:
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with app.session.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    audit.c.action == "access", audit.c.table == "family", audit.c.record == family
                )
            ).scalar_one()
        )


async def test_typing_finds_people_as_you_type_and_the_card_follows(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        assert screen.query_one("#lookup-query").has_focus
        assert "370 people and families" in screen_text(app)
        await type_text(pilot, "Muhamad")  # misspelt: finds Muhammad and Mohamed
        await wait_for(pilot, lambda: card_for_cursor(screen))
        names = [r.name for r in screen.rows]
        assert names[:2] == ["Muhammad Ahmed", "Mohamed Khan"]
        assert screen.rows[0].family == "F00047"
        shown = screen_text(app)
        assert 'matches for "Muhamad"' in shown
        assert "Ahmed family F00047" in shown
        assert "Samir Ellis, 020 8359 6200" in shown  # the Lead Professional and phone
        assert "Step-up to CSC (§12.5-12.6) goes to MASH" in shown
        assert access_logged(app, "F00047") == 1

        await pilot.press("down")  # the card follows the cursor, from the search box
        await wait_for(pilot, lambda: card_for_cursor(screen))
        card = screen.query_one(LookupCard).card
        assert card is not None and card.ref == "F00060"
        assert card == family_card(app.session.engine, "F00060", AS_OF, app.session.settings)
        shown = screen_text(app)
        assert "Khan family F00060" in shown
        assert "Deepa Morgan, 020 8359 8174" in shown
        assert "Last contact: Mon 16 Nov 2026 10:00, School visit, Completed" in shown
        assert "SUPERVISION-MONTHLY" in shown  # its open finding

        await pilot.press("up")  # back to a card already seen: shown again, not logged again
        await wait_for(pilot, lambda: card_for_cursor(screen))
        assert screen.query_one(LookupCard).card.ref == "F00047"  # type: ignore[union-attr]
        assert access_logged(app, "F00047") == 1


@pytest.mark.parametrize(
    ("query", "first", "why"),
    [
        ("NW7 6AW", "Khan family", "postcode NW7 6AW"),
        ("07700 900356", "Khan family", "phone 07700 900356"),
        ("E000060", "Khan family", "episode ref E000060"),
        ("2/6/1986", "Mohamed Khan", "date of birth"),
    ],
)
async def test_postcode_phone_ref_and_date_of_birth(
    demo_db: Path, query: str, first: str, why: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        await type_text(pilot, query)
        await wait_for(pilot, lambda: card_for_cursor(screen))
        assert screen.rows[0].name == first
        assert screen.rows[0].why.startswith(why)
        assert screen.rows[0].family == "F00060"


async def test_enter_opens_the_open_episode_in_the_case_view(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        await type_text(pilot, "mohamed khan")
        await wait_for(pilot, lambda: card_for_cursor(screen))
        assert screen.rows[0].name == "Mohamed Khan"
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert isinstance(app.screen, CaseScreen) and app.screen.episode == "E000060"
        await pilot.press("escape")  # back to the lookup, as it was
        await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))
        assert app.screen is screen and screen.rows[0].name == "Mohamed Khan"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TrayScreen))


async def test_enter_with_two_open_episodes_opens_the_oldest_and_names_the_other(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        await type_text(pilot, "F00059")
        await wait_for(pilot, lambda: card_for_cursor(screen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.episode == "E000059"  # type: ignore[attr-defined]
        messages = [n.message for n in app._notifications]
        assert any("also open: E000109" in m for m in messages)


async def test_enter_says_so_when_the_family_has_no_open_episode(demo_db: Path) -> None:
    from ehtui.db import open_store

    engine = open_store(str(demo_db))
    with engine.begin() as conn:  # the Khans' work all closed before the as-of date
        conn.execute(
            update(Episode.__table__)  # type: ignore[attr-defined]
            .where(Episode.__table__.c.family == "F00060")  # type: ignore[attr-defined]
            .values(closed=date(2026, 11, 2), closure_reason="no_further_action")
        )
    engine.dispose()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        await type_text(pilot, "mohamed khan")
        await wait_for(pilot, lambda: card_for_cursor(screen))
        assert screen.rows[0].work == "none open"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # nothing opened
        messages = [n.message for n in app._notifications]
        assert "Mohamed Khan: the Khan F00060 family has no open episode." in messages
        assert "closed Mon 2 Nov 2026" in screen_text(app)  # recent work stays on the card


async def test_a_practitioner_has_no_card_and_no_match_says_so(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(pilot)
        await type_text(pilot, "Deepa Morgan")
        await wait_for(pilot, lambda: bool(screen.rows))
        assert screen.rows[0].kind == "practitioner"
        assert screen.query_one(LookupCard).border_title == "Practitioner"
        assert "020 8359 8174" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "zzqxv")
        await pilot.pause()
        assert screen.rows == []
        assert 'no one matches "zzqxv"' in screen_text(app)


@pytest.mark.skipif(
    not any(a.id == "lookup" for a in APP_ACTIONS),
    reason="the catalogue's Duty lookup entry has not landed yet",
)
async def test_f2_opens_the_duty_lookup(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))


async def test_what_is_typed_while_the_index_builds_is_searched_once_it_is_built(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ehtui.lookup.index import LookupIndex

    release = threading.Event()
    build = LookupIndex.build.__func__  # type: ignore[attr-defined]

    def slow_build(cls: type[LookupIndex], engine: Any, as_of: Any = None) -> LookupIndex:
        release.wait(10)
        return build(cls, engine, as_of)  # type: ignore[no-any-return]

    monkeypatch.setattr(LookupIndex, "build", classmethod(slow_build))
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        open_duty_lookup(app)
        while not isinstance(app.screen, LookupScreen):  # (wait_for would wait for the build)
            await pilot.pause()
        screen = app.screen
        await type_text(pilot, "khan")
        assert screen.index is None and screen.rows == []
        assert "Duty lookup · building the index…" in screen_text(app)
        release.set()
        await wait_for(pilot, lambda: card_for_cursor(screen))
        assert screen.rows[0].name == "Amina Khan" and screen.rows[0].family == "F00060"
        await pilot.press("f1")  # the help shows this screen's words
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        assert "step-up to Children's Social Care" in screen_text(app)
