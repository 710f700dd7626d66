"""The supervision walk: a manager walks a 15-case caseload recording a decision on
each by keyboard alone (oversight rows with kind, decision and by; one audit entry
each; SUPERVISION-MONTHLY cleared); moving on without recording; the kinds; an
empty decision refused in place; the palette's "whose cases?"; the summary
exported to a new file each time, never over an earlier one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from ehtui.caseload import supervision_walk
from ehtui.db import open_store
from ehtui.models import AuditEntry, Episode, Oversight
from ehtui.rules import evaluate_store
from screens.walk import export_path, open_supervision_walk
from tests.appkit import AS_OF, make_app, screen_text, tray_loaded, wait_for

MANAGER = "P001"  # Imran Shah, Hub Team Manager, West: P003 is in his team (via P002)
MOVED = "E000003"  # Hannah Vance's, SUPERVISION-MONTHLY overdue: given to Bella Cole


def give_bella_fifteen_cases(db: Path) -> None:
    """Bella Cole (P003) leads 14 open episodes in the small demo; one more makes 15."""
    engine = open_store(str(db))
    table = Episode.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.ref == MOVED).values(lead="P003"))
    engine.dispose()


def oversights(app: Any) -> list[Any]:
    t = Oversight.__table__  # type: ignore[attr-defined]
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).order_by(t.c.seq)))


def audited(app: Any, refs: set[str]) -> list[tuple[str, str, str]]:
    t = AuditEntry.__table__  # type: ignore[attr-defined]
    with app.session.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.user, t.c.action, t.c.table, t.c.record).where(t.c.record.in_(refs))
        )
        return sorted((r.user, r.action, r.table) for r in rows)


def monthly_supervision_due(app: Any, episodes: list[str]) -> list[tuple[str, str]]:
    found = evaluate_store(app.session.engine, AS_OF, episodes=episodes)
    return sorted(
        (f.episode or "", str(f.state))
        for f in found
        if f.rule == "SUPERVISION-MONTHLY" and str(f.state) in ("overdue", "due_soon")
    )


async def open_walk(pilot: Any, practitioner: str | None = "P003") -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app))
    open_supervision_walk(app, practitioner)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "WalkScreen")
    walk = app.screen
    if practitioner is not None:
        await wait_for(pilot, lambda: walk.page == "case")
    return walk


async def test_a_manager_walks_fifteen_cases_recording_a_decision_on_each(
    demo_db: Path,
) -> None:
    give_bella_fifteen_cases(demo_db)
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        order = [c.episode for c in supervision_walk(app.session.engine, "P003", AS_OF)]
        assert len(order) == 15 and MOVED in order
        assert [c.episode for c in walk.cases] == order  # worst first, as the core gives it
        due_before = monthly_supervision_due(app, order)
        assert (MOVED, "overdue") in due_before
        before = {r.ref for r in oversights(app)}
        keys = 0
        for n, episode in enumerate(order, 1):
            assert walk.current_episode == episode
            assert f"case {n} of 15 · {n - 1} decision" in screen_text(app)
            words = f"Case {n}: keep going, review in 4 weeks."
            await pilot.press(*words, "ctrl+s")
            keys += 1
            await wait_for(
                pilot,
                lambda n=n: len(walk.decisions) == n and not walk.saving,  # type: ignore[misc]
            )
        assert keys == 15  # beyond the words, one key a case
        assert walk.page == "end"
        new = [r for r in oversights(app) if r.ref not in before]
        assert [(r.episode, r.kind, r.by, r.at) for r in new] == [
            (e, "supervision", MANAGER, AS_OF.replace(second=0)) for e in order
        ]
        assert [r.decision for r in new] == [
            f"Case {n}: keep going, review in 4 weeks." for n in range(1, 16)
        ]
        assert audited(app, {r.ref for r in new}) == [(MANAGER, "insert", "oversight")] * 15
        # the engine, run again: no supervision clock is due soon or overdue any more
        assert monthly_supervision_due(app, order) == []
        # the walk's own findings were worked out again too
        assert not any(
            f.rule == "SUPERVISION-MONTHLY" and str(f.state) in ("overdue", "due_soon")
            for c in walk.cases
            for f in c.findings
        )
        assert all(c.last_decision and c.last_decision.by == MANAGER for c in walk.cases)
        text = screen_text(app)
        assert "Supervision of Bella Cole by Imran Shah, Fri 20 Nov 2026" in text
        assert "15 case(s) discussed:" in text
        assert "summary of this sitting · 15 decisions recorded" in text


async def test_the_summary_exports_to_a_new_file_each_time(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        first = walk.current_episode
        await pilot.press(*"Step-down meeting this week.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 1)
        await pilot.press("escape", "e")  # out of the decision box; the summary
        await wait_for(pilot, lambda: walk.page == "end")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: walk.last_export is not None)
        path = walk.last_export
        assert path is not None and path.name == "supervision-P003-2026-11-20.txt"
        assert path.parent == Path(os.environ["EHTUI_DATA_DIR"]) / "supervision"
        assert path.read_text(encoding="utf-8") == (
            "Supervision of Bella Cole by Imran Shah, Fri 20 Nov 2026\n"
            "1 case(s) discussed:\n"
            "\n"
            f"1. Ryan family, Step-down EHA {first} (Supervision, 23:59)\n"
            "   Step-down meeting this week.\n"
        )
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        await pilot.press("x")  # again: a second file, the first one untouched
        await wait_for(pilot, lambda: walk.last_export != path)
        assert walk.last_export is not None
        assert walk.last_export.name == "supervision-P003-2026-11-20-2.txt"
        assert path.read_text(encoding="utf-8").endswith("Step-down meeting this week.\n")
        assert export_path(path.parent, "P003", AS_OF).name == "supervision-P003-2026-11-20-3.txt"
        assert any(str(walk.last_export) in n.message for n in app._notifications)
        await pilot.press("escape")  # exported: esc leaves at once
        await wait_for(pilot, lambda: type(app.screen).__name__ != "WalkScreen")


async def test_moving_on_records_nothing_and_keeps_the_words(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        before = len(oversights(app))
        first, second, third = (c.episode for c in walk.cases[:3])
        await pilot.press(*"Half a thought", "pagedown")
        assert walk.current_episode == second
        await pilot.press("n")  # n types while the decision has the cursor ...
        assert walk.current_episode == second
        await pilot.press("backspace", "escape", "n")  # ... and moves on when it has not
        assert walk.current_episode == third
        await pilot.press("p", "left")  # stepping through, the cursor stays out of the box
        assert walk.current_episode == first
        area = walk.query_one("#walk-decision")
        assert area.text == "Half a thought"  # kept while stepping through, not recorded
        await pilot.press("right")
        assert walk.current_episode == second
        await pilot.press("d", *" more")  # d: back to writing
        assert area.text == " more"  # (the n typed earlier was rubbed out)
        await pilot.press("pageup")
        assert walk.current_episode == first
        assert "case 1 of 14 · 0 decisions recorded" in screen_text(app)
        assert len(oversights(app)) == before and walk.decisions == []


async def test_group_supervision_is_one_key_away(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        episode = walk.current_episode
        before = {r.ref for r in oversights(app)}
        await pilot.press("shift+tab", "g")  # the kind; the cursor goes back to the decision
        await pilot.press(*"Discussed in group: refer to the MASH.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 1)
        (made,) = [r for r in oversights(app) if r.ref not in before]
        assert (made.episode, made.kind, made.decision) == (
            episode,
            "group_supervision",
            "Discussed in group: refer to the MASH.",
        )
        assert walk.query_one("#walk-kind").form_value == "supervision"  # the next case


async def test_an_empty_decision_is_refused_in_place(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        episode = walk.current_episode
        before = len(oversights(app))
        await pilot.press("space", "space", "ctrl+s")
        await pilot.pause()
        assert walk.current_episode == episode and walk.decisions == []
        assert "Write the decision first" in screen_text(app)
        assert len(oversights(app)) == before


async def test_from_the_palette_the_walk_asks_whose_cases(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot, None)
        await wait_for(pilot, lambda: bool(walk.people))
        # my team (everyone under me, down the line), the first of them highlighted
        assert [r.person.ref for r in walk.people] == [
            "P006",
            "P007",
            "P002",
            "P004",
            "P005",
            "P003",
        ]
        picker = walk.query_one("#walk-people")
        assert picker.highlighted == 0
        await pilot.press("down", "enter")  # Deepa Morgan
        await wait_for(pilot, lambda: walk.page == "case")
        assert walk.practitioner == "P007"
        assert "Supervision walk · Deepa Morgan · case 1 of 9" in screen_text(app)


async def test_leaving_with_a_summary_not_exported_shows_it_first(demo_db: Path) -> None:
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        await pilot.press(*"Chase the school.", "ctrl+s")
        await wait_for(pilot, lambda: len(walk.decisions) == 1)
        await pilot.press("escape")  # out of the decision box
        assert walk.page == "case"
        await pilot.press("escape")  # the summary, with a warning
        assert walk.page == "end" and app.screen is walk
        assert "1. Ryan family" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not walk)


def walk_drafts(app: Any) -> dict[tuple[str, str | None], dict[str, Any]]:
    from ehtui.models import FormDraft

    t = FormDraft.__table__  # type: ignore[attr-defined]
    with app.session.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.form == "walk"))
        return {(r.target, r.user): dict(r.payload) for r in rows}


async def test_the_words_typed_are_a_draft_back_on_return_gone_when_recorded(
    demo_db: Path,
) -> None:
    """Typed words are kept in the store as you type (so a killed terminal loses
    nothing); leaving the walk and opening it again on that case, in this run or a new
    one, puts them back with their kind; recording the decision throws the draft away."""
    app: Any = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        first, second = walk.cases[0].episode, walk.cases[1].episode
        await pilot.press(*"Ask the school about attendance.")
        # written a moment after the last key, while the walk is still open: a kill now
        # loses nothing (on a slow machine an earlier pause in the typing may have kept
        # the words so far first: the whole sentence follows)
        typed = {"kind": "supervision", "words": "Ask the school about attendance."}
        await wait_for(pilot, lambda: walk_drafts(app).get((first, MANAGER)) == typed)
        await pilot.press("pagedown", "shift+tab", "g", *"Group: step up?")
        assert walk.current_episode == second
        await pilot.press("escape", "escape")  # out of the box; leave the walk
        await wait_for(pilot, lambda: app.screen is not walk)
        grouped = {"kind": "group_supervision", "words": "Group: step up?"}
        await wait_for(pilot, lambda: walk_drafts(app).get((second, MANAGER)) == grouped)
        assert oversights(app) and all(
            r.decision != "Ask the school about attendance." for r in oversights(app)
        )
        walk = await open_walk(pilot)  # again, on that practitioner: the words are back
        assert walk is not None and walk.current_episode == first
        area = walk.query_one("#walk-decision")
        assert area.text == "Ask the school about attendance."
        assert "Your draft from" in screen_text(app) and "is back" in screen_text(app)
        await pilot.press("pagedown")
        assert area.text == "Group: step up?"
        assert walk.query_one("#walk-kind").form_value == "group_supervision"
        await pilot.press("ctrl+s")  # recorded: its draft is gone, the other one kept
        await wait_for(pilot, lambda: len(walk.decisions) == 1 and not walk.saving)
        made = oversights(app)[-1]
        assert (made.episode, made.kind, made.decision) == (
            second,
            "group_supervision",
            "Group: step up?",
        )
        await pilot.pause(0.6)  # longer than the draft's delay: nothing written back
        assert set(walk_drafts(app)) == {(first, MANAGER)}
    # a new run (as after a killed terminal): the first case's words are still there
    app = make_app(demo_db, user=MANAGER)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await open_walk(pilot)
        assert walk.current_episode == first
        assert walk.query_one("#walk-decision").text == "Ask the school about attendance."
        await pilot.press("ctrl+u")  # rubbed out: no draft any more
        await wait_for(pilot, lambda: walk_drafts(app) == {})
