"""Close episode: "plan completed" refused until a TAF has ratified the plan; another
reason closes it today, the episode leaves the work tray, and nothing is deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Episode
from ehtui.recording.taf import save_taf
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, tray_loaded, wait_for

EPISODE = "E000015"  # an EHA with no TAF yet


def episode_row(app: Any) -> Any:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.ref == EPISODE)).one()


def problem(form: Any, field: str) -> str:
    return str(form.rows[field].query_one(".field-error").render())


async def test_plan_completed_needs_a_ratifying_taf_then_closes(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "x", "ClosureScreen")
        await pilot.press("p", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "reason")))
        assert "ratified the plan" in problem(form, "reason")
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
        await pilot.press("x")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "ClosureScreen" and app.screen.context is not None,
        )
        form = app.screen
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
