"""The contact log: a routine home visit in three keys beyond the note, a draft note and its
48-hour clock, and bad input refused beside its field with nothing saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Contact, EpisodeChild
from ehtui.rules import evaluate_store
from tests.appkit import (
    AS_OF,
    case_loaded,
    make_app,
    open_case_form,
    screen_text,
    tray_loaded,
    wait_for,
)

EPISODE = "E000015"  # Bella Cole's, in the small demo: two children


def contacts(app: Any) -> list[Any]:
    with app.session.engine.connect() as conn:
        return list(
            conn.execute(select(Contact.__table__).where(Contact.__table__.c.episode == EPISODE))
        )


def children(app: Any) -> set[str]:
    t = EpisodeChild.__table__
    with app.session.engine.connect() as conn:
        return set(conn.execute(select(t.c.child).where(t.c.episode == EPISODE)).scalars())


def problem(form: Any, field: str) -> str:
    """The message shown beside a field."""
    return str(form.rows[field].query_one(".field-error").render())


async def open_log(pilot: Any) -> Any:
    return await open_case_form(pilot, EPISODE, "n", "ContactLogScreen")


async def test_a_routine_home_visit_takes_three_keys_beyond_the_note(demo_db: Path) -> None:
    """From the case view: n, h, the note, ctrl+f. Every key sent is counted; the store then
    holds the whole visit, so those keys were all it took (the budget is 12)."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case(EPISODE)
        await wait_for(pilot, lambda: case_loaded(app))
        before = {c.ref for c in contacts(app)}
        sent: list[str] = []

        async def press(*keys: str) -> None:
            sent.extend(keys)
            await pilot.press(*keys)

        await press("n")
        await wait_for(pilot, lambda: getattr(app.screen, "context", None) is not None)
        form = app.screen
        await press("h")  # the method; the focus goes to the note
        note = "Saw mum and both children; the house was warm and calm."
        await pilot.press(*note)  # the note itself is not counted
        await press("ctrl+f")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        assert sent == ["n", "h", "ctrl+f"]
        new = [c for c in contacts(app) if c.ref not in before]
        assert len(new) == 1
        contact = new[0]
        assert contact.method == "home_visit" and contact.outcome == "completed"
        assert contact.note == note
        assert contact.recorded_at == AS_OF.replace(microsecond=0)
        assert contact.at == AS_OF.replace(second=0, microsecond=0)
        assert set(contact.children_seen) == children(app)
        assert contact.children_seen_alone == []


async def test_no_answer_unticks_the_children_seen(demo_db: Path) -> None:
    """Nobody is seen at a visit that did not happen: choosing no answer unticks every
    child, so the attempt saves without unticking them one by one."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(pilot)
        before = {c.ref for c in contacts(app)}
        await pilot.press("h")
        form.query_one("#f-outcome").focus()
        await pilot.press("n")
        await pilot.pause()
        assert form.values()["children_seen"] == []
        form.query_one("#f-outcome").focus()  # (a choice moves the focus on)
        await pilot.press("c")  # back to completed: every child seen again
        await pilot.pause()
        assert set(form.values()["children_seen"]) == children(app)
        form.query_one("#f-outcome").focus()
        await pilot.press("n", "ctrl+f")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (contact,) = [c for c in contacts(app) if c.ref not in before]
        assert (contact.outcome, contact.children_seen) == ("no_answer", [])
        assert contact.recorded_at is not None


async def test_a_draft_note_starts_its_48_hour_clock(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(pilot)
        await pilot.press("tab", "ctrl+u", *"yesterday 9:00")  # the date-time box
        await pilot.press("shift+tab", "t")  # back to the method: telephone
        await pilot.press(*"Mum rang about school.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        (contact,) = [c for c in contacts(app) if c.note == "Mum rang about school."]
        assert contact.method == "telephone" and contact.recorded_at is None
        found = [
            f
            for f in evaluate_store(app.session.engine, AS_OF, episodes=[EPISODE])
            if f.rule == "RECORD-48H" and f.record == contact.ref
        ]
        # 19 Nov 09:00 + 48 hours = 21 Nov 09:00; as of 20 Nov 23:59 that is within 12 hours.
        assert [(str(f.state), str(f.due)) for f in found] == [("due_soon", "2026-11-21 09:00:00")]
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ContactLogScreen")
        await wait_for(pilot, lambda: app.screen.context is not None)
        table = app.screen.query_one("#log")
        await wait_for(pilot, lambda: contact.ref in {k.value for k in table.rows})
        row = [str(cell) for cell in table.get_row(contact.ref)]
        assert row[2] == "Telephone/MS Teams" and row[4] == "Mum rang about school."
        assert row[1].startswith("◷") and "21 Nov 09:00" in row[1]


async def test_bad_input_is_refused_beside_its_field_and_nothing_saved(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(pilot)
        before = len(contacts(app))
        await pilot.press("tab", "ctrl+u", *"tomorrow 9:00", "tab")
        await wait_for(pilot, lambda: "is in the future" in problem(form, "at"))
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: "Not saved" in screen_text(app))
        text = screen_text(app)
        assert "Choose how the contact was made" in text
        assert app.screen is form and len(contacts(app)) == before
        assert app.focused is form.query_one("#f-method")  # the first field to put right
        await pilot.press("tab", "ctrl+u", *"1/1/2020 10:00", "tab")
        await wait_for(pilot, lambda: "is before the episode's referral" in problem(form, "at"))
        assert len(contacts(app)) == before


async def test_a_draft_note_in_the_log_is_finalised_with_f(demo_db: Path) -> None:
    """The log's newest contact (20 Nov 10:00) has its note still in draft: on that row, f
    finalises it now; the 48-hour clock stops; f means nothing on a finalised row."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(pilot)
        _facts, log = form.context
        draft = log[0]
        assert not draft.finalised and draft.record_state is None
        form.query_one("#log").focus()
        await pilot.pause()
        assert form.check_action("finalise_draft", ()) is True
        await pilot.press("f")
        await wait_for(pilot, lambda: form.context[1][0].finalised)
        (row,) = [c for c in contacts(app) if c.ref == draft.ref]
        assert row.recorded_at == AS_OF.replace(microsecond=0)
        found = evaluate_store(app.session.engine, AS_OF, episodes=[EPISODE])
        assert not [f for f in found if f.rule == "RECORD-48H" and f.record == draft.ref]
        assert form.check_action("finalise_draft", ()) is False


async def test_the_highlighted_contact_is_shown_in_full_below_the_log(demo_db: Path) -> None:
    """The log's columns are short; below it, the highlighted contact's whole note, who was
    seen and its recording state."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(pilot)
        _facts, log = form.context
        detail = form.query_one("#log-detail")
        assert log[0].note.splitlines()[0] in str(detail.render())
        form.query_one("#log").focus()
        await pilot.press("down")
        await pilot.pause()
        shown = str(detail.render())
        second = log[1]
        assert f"{second.at:%a %d %b %Y %H:%M}" in shown
        assert second.note.strip().splitlines()[-1] in shown  # the whole note, to its end
        assert f"Seen: {', '.join(second.seen) or 'nobody'}" in shown
