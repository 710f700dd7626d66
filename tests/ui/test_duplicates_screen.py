"""Find duplicates (F9): the small demo with Kacper Wisniewski (M000007, family F00002)
entered again as "Kasper Wiśniewski" under a new family; the pair is listed side by
side. The two are in different families, so m first merges the families (the kept
family's blank address filled, the other removed as merged, its member moved), after
which the pair is in one family and m then ctrl+s merges the people (the second
record removed as merged, the kept one's blank phone filled); u undoes each in turn;
2 keeps the other family and record; escape in the confirm step changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ehtui.audit import trail
from ehtui.db import open_store
from ehtui.models import Episode, EpisodeChild, Family, Member
from ehtui.unit_of_work import fetch, write
from screens.duplicates import open_find_duplicates
from tests.appkit import make_app, screen_text, tray_loaded, wait_for


def add_second_record(db: Path) -> None:
    """The same child entered again under another family (as a duty officer might)."""
    engine = open_store(str(db))
    with write(engine, "P003") as s:
        s.add(Family(ref="F09001", name="Wisniewska", address="4 Elm Road, N12 0AA"))
        s.add(
            Member(
                ref="M09001",
                family="F09001",
                relationship="child",
                first_name="Kasper",
                last_name="Wiśniewski",
                dob=date(2020, 6, 17),
                phone="07700 900555",
            )
        )
    engine.dispose()


def member(engine: Engine, ref: str) -> Member:
    with write(engine, None) as s:
        return fetch(s, Member, ref)


async def open_screen(pilot: Any) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_find_duplicates(app)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DuplicatesScreen")
    screen = app.screen
    await wait_for(pilot, lambda: not screen.fetching)
    return screen


def family(engine: Engine, ref: str) -> Family:
    with write(engine, None) as s:
        return fetch(s, Family, ref)


async def confirm(pilot: Any, name: str) -> None:
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name)


async def saved(pilot: Any, screen: Any, count: int) -> None:
    await wait_for(
        pilot, lambda: len(screen.merges) == count and not screen.fetching and not screen.busy
    )


async def test_two_families_are_merged_first_then_the_people_and_both_undone(
    demo_db: Path,
) -> None:
    add_second_record(demo_db)
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        assert [(p.keep.ref, p.other.ref) for p in screen.pairs] == [("M000007", "M09001")]
        text = screen_text(app)
        assert "Find duplicates · 1 likely pair" in text
        assert "Kasper Wiśniewski M09001 · F09001   sounds alike" in text
        assert "Family: Wisniewski (F00002)" in text and "Family: Wisniewska (F09001)" in text
        assert 'first name "Kacper" sounds like "Kasper"' in text
        assert "E000002 Universal Plus, open" in text and "Episodes: none" in text
        assert "Postcode: N12 0AA" in text

        # m on a pair in two families: the families first, the one of M000007 kept
        await pilot.press("m")
        await confirm(pilot, "FamilyMergeConfirm")
        text = screen_text(app)
        assert "Merge two families (one household entered twice)" in text
        assert "M09001 are in different families (F00002 Wisniewski, F09001" in text
        assert "Wisniewska): merge the families first" in text
        assert "1 Wisniewski family  F00002  ● keep" in text
        assert "2 Wisniewska family  F09001  ○ merge" in text
        assert "Kasper Wiśniewski M09001 (Child)" in text
        assert "Keep family F00002 and merge F09001 into it: its members (1: Kasper" in text
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 1)
        assert app.screen is screen
        engine = app.session.engine
        assert family(engine, "F09001").deleted_reason == (
            "merged into F00002 (one household entered twice)"
        )
        assert family(engine, "F00002").address == "4 Elm Road, N12 0AA"  # a blank filled
        assert member(engine, "M09001").family == "F00002"
        assert member(engine, "M09001").deleted_at is None
        merges = [(e.table, e.record) for e in trail(engine) if e.action == "merge"]
        assert merges == [("family", "F09001")]
        # the pair is now in one family
        assert [(p.keep.ref, p.other.ref) for p in screen.pairs] == [("M000007", "M09001")]
        text = screen_text(app)
        assert "both in the Wisniewski family (F00002)" in text
        assert "1 merged in this sitting" in text
        assert any("Family F09001 merged into F00002" in n.message for n in app._notifications)
        await pilot.press("f")  # one family already: said so
        await pilot.pause()
        assert any("in one family already" in n.message for n in app._notifications)

        # then the people, with the same keys
        await pilot.press("m")
        await confirm(pilot, "MergeConfirm")
        assert "Keep M000007 and merge M09001 into it" in screen_text(app)
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 2)
        merged, kept = member(engine, "M09001"), member(engine, "M000007")
        assert merged.deleted_reason == "merged into M000007 (the same person entered twice)"
        assert (kept.phone, kept.deleted_at) == ("07700 900555", None)
        with write(engine, None) as s:
            assert s.get(EpisodeChild, ("E000002", "M000007")) is not None
        merges = [(e.table, e.record, e.user) for e in trail(engine) if e.action == "merge"]
        assert merges == [("member", "M09001", "P003"), ("family", "F09001", "P003")]
        assert screen.pairs == []
        text = screen_text(app)
        assert "Find duplicates · 0 likely pairs · 2 merged in this sitting" in text
        assert "No likely duplicates" in text

        # u undoes the last merge, then the one before
        await pilot.press("u")
        await saved(pilot, screen, 1)
        assert member(engine, "M09001").deleted_at is None
        assert member(engine, "M000007").phone is None
        await pilot.press("u")
        await saved(pilot, screen, 0)
        assert family(engine, "F09001").deleted_at is None
        assert family(engine, "F00002").address is None
        assert member(engine, "M09001").family == "F09001"
        assert any("families F09001 and F00002 are two" in n.message for n in app._notifications)
        assert "Find duplicates · 1 likely pair" in screen_text(app)
        await pilot.press("u")  # nothing left to undo in this sitting: said so
        await pilot.pause()
        assert any("No merge to undo" in n.message for n in app._notifications)


async def test_2_keeps_the_other_family_and_record_and_escape_cancels(demo_db: Path) -> None:
    add_second_record(demo_db)
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot)
        await pilot.press("enter")
        await confirm(pilot, "FamilyMergeConfirm")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        engine = app.session.engine
        assert family(engine, "F09001").deleted_at is None and screen.merges == []

        await pilot.press("f")
        await confirm(pilot, "FamilyMergeConfirm")
        await pilot.press("2")
        assert "Keep family F09001 and merge F00002 into it" in screen_text(app)
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 1)
        assert family(engine, "F00002").deleted_reason == (
            "merged into F09001 (one household entered twice)"
        )
        assert member(engine, "M000007").family == "F09001"
        with write(engine, None) as s:
            assert fetch(s, Episode, "E000002").family == "F09001"

        await pilot.press("m")
        await confirm(pilot, "MergeConfirm")
        await pilot.press("2")
        assert "Keep M09001 and merge M000007 into it" in screen_text(app)
        await pilot.press("ctrl+s")
        await saved(pilot, screen, 2)
        assert member(engine, "M000007").deleted_reason == (
            "merged into M09001 (the same person entered twice)"
        )
        with write(engine, None) as s:
            assert s.get(EpisodeChild, ("E000002", "M09001")) is not None
            assert s.get(EpisodeChild, ("E000002", "M000007")) is None


async def test_f9_and_the_palette_open_find_duplicates(demo_db: Path) -> None:
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        names = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert names["Find duplicates"].startswith("People entered twice")
        await pilot.press("f9")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DuplicatesScreen")
        screen = app.screen
        await wait_for(pilot, lambda: not screen.fetching)
        text = screen_text(app)
        assert "Find duplicates · 0 likely pairs" in text and "No likely duplicates" in text
        await pilot.press("m")  # nothing to merge: said so
        await pilot.pause()
        assert any("No pair to merge" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
