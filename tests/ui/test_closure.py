"""Close episode: refused while a contact note is in draft (finalised from the contact log)
and, as "plan completed", until a TAF has ratified the plan; then it closes today, the
episode leaves the work tray, and nothing is deleted. A step-up chosen here is handed
over to the Step up form with the date typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.db import open_store
from ehtui.drafts import load_draft, save_draft
from ehtui.models import Episode
from ehtui.recording.taf import save_taf
from ehtui.unit_of_work import fetch, write
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, tray_loaded, wait_for

EPISODE = "E000015"  # an EHA with no TAF yet, and a home visit today 10:00 still in draft
UP = "E000021"  # a West hub Universal Plus episode (P004)


def episode_row(app: Any, ref: str = EPISODE) -> Any:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.ref == ref)).one()


def problem(form: Any, field: str) -> str:
    return " ".join(str(form.rows[field].query_one(".field-error").render()).split())


def status(form: Any) -> str:
    return " ".join(str(form.query_one("#form-status").render()).split())


def side(form: Any) -> str:
    return str(form.query_one("#closure-facts").render())


async def reopen(pilot: Any, key: str, screen: str) -> Any:
    app = pilot.app
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == screen and app.screen.context is not None,
    )
    return app.screen


async def test_draft_notes_and_plan_completed_are_refused_until_put_right(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        assert "✗ No TAF has ratified the plan as achieved." in side(form)
        assert "contact of Fri 20 Nov 2026 10:00" in side(form)
        await pilot.press("p", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "reason")))
        assert "ratified the plan" in problem(form, "reason")
        assert problem(form, "closed").startswith("Finalise the 1 draft note first")
        assert episode_row(app).closed is None and app.screen is form
        await pilot.press("escape")
        await wait_for(pilot, lambda: case_loaded(app))
        values = {"kind": "initial", "at": "today 9:00", "agencies": "School", "radar": "no"}
        save_taf(
            app.session.engine,
            user="P003",
            episode=EPISODE,
            values={**values, "actions": "", "agreed": "", "decision": "plan_achieved"},
            now=AS_OF,
        )
        log = await reopen(pilot, "n", "ContactLogScreen")  # the draft finalised: f on it
        log.query_one("#log").focus()
        await pilot.press("f")
        await wait_for(pilot, lambda: log.context[1][0].finalised)
        await pilot.press("escape")
        await wait_for(pilot, lambda: case_loaded(app))
        form = await reopen(pilot, "x", "ClosureScreen")
        assert "✓ Plan ratified as achieved at the TAF of Fri 20 Nov 2026." in side(form)
        assert "draft" not in side(form)
        await pilot.press("p", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        row = episode_row(app)
        assert (row.closed, row.closure_reason) == (AS_OF.date(), "plan_completed")
        assert row.deleted_at is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert EPISODE not in [r.episode for r in app.screen.rows]


async def test_a_closure_date_in_the_future_is_refused(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        await pilot.press("d")  # disengaged; the focus moves to the date
        await pilot.press("ctrl+u", *"30/11/2026", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "closed")))
        assert "future" in problem(form, "closed")
        assert episode_row(app).closed is None and app.screen is form


async def test_a_step_up_to_csc_is_handed_over_to_step_up(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        await pilot.press("c")  # stepped up to CSC; the focus moves to the date
        await pilot.press("ctrl+u", *"19/11/2026")
        assert problem(form, "reason") == (
            "A step-up to Children's Social Care is recorded with Step up (u): it shows where "
            "it goes and the next Transfer meeting. ctrl+s opens Step up."
        )
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "StepUpScreen" and app.screen.context is not None,
        )
        assert app.screen.values()["on"] == "19/11/2026"
        assert "To Children's Social Care" in str(app.screen.query_one("#stepup-plan").render())
        assert episode_row(app).closed is None
        user = app.session.me.ref
        assert load_draft(app.session.engine, form="closure", target=EPISODE, user=user) is None


async def test_universal_plus_is_handed_over_to_step_up_to_an_eha(demo_db: Path) -> None:
    app = make_app(demo_db, user="P004")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, UP, "x", "ClosureScreen")
        await pilot.press("c")  # to CSC: not how Universal Plus steps up
        assert problem(form, "reason") == "Universal Plus steps up to an EHA, with Step up (u)."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in str(form.query_one("#form-status").render()))
        assert app.screen is form and episode_row(app, UP).closed is None
        form.query_one("#f-reason").focus()
        await pilot.press("e", "ctrl+s")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "StepUpScreen" and app.screen.context is not None,
        )
        assert "Universal Plus → EHA" in str(app.screen.query_one("#stepup-plan").render())
        assert episode_row(app, UP).closed is None


async def test_a_step_up_key_on_a_closed_episode_says_it_is_closed(demo_db: Path) -> None:
    """c on an episode already closed, then leaving the field: the form says the episode
    is closed (it crashed, looking for a reason problem the closed episode never has)."""
    store = open_store(str(demo_db))
    with write(store, "P003") as s:
        row = fetch(s, Episode, EPISODE)
        row.closed, row.closure_reason = date(2026, 11, 19), "disengaged"
    store.dispose()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        await pilot.press("c", "tab", "ctrl+s")
        await wait_for(pilot, lambda: "was closed on Thu 19 Nov 2026" in status(form))
        assert app.screen is form and episode_row(app).closure_reason == "disengaged"


async def test_the_date_handed_over_stands_over_a_step_up_draft(demo_db: Path) -> None:
    """A Step up draft kept from before (dated today, reasons half-typed) comes back when
    the closure form hands over, with the date typed in the closure form."""
    store = open_store(str(demo_db))
    user = "P003"
    save_draft(
        store, form="stepup", target=EPISODE, user=user, payload={"on": "today", "reasons": "Mum"}
    )
    store.dispose()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        await pilot.press("c", "ctrl+u", *"19/11/2026", "ctrl+s")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "StepUpScreen" and app.screen.context is not None,
        )
        step_up = app.screen
        await wait_for(pilot, lambda: step_up.values()["on"] == "19/11/2026")
        assert step_up.values()["reasons"] == "Mum"
