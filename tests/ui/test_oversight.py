"""Record supervision: supervision and now by default, the decision typed, ctrl+s; the
monthly supervision clock restarts; other kinds are recorded but do not meet it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ehtui.models import Oversight
from ehtui.recording.facts import episode_facts
from ehtui.rules import upcoming
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, wait_for

EPISODE = "E000015"


def records(app: Any) -> list[Any]:
    t = Oversight.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.episode == EPISODE)))


def supervision_due(app: Any) -> Any:
    """The running SUPERVISION-MONTHLY clock's due day (E000015's: Thu 10 Dec 2026)."""
    facts = episode_facts(app.session.engine, EPISODE, AS_OF)
    (clock,) = [c for c in upcoming(facts.snap, AS_OF) if c.rule == "SUPERVISION-MONTHLY"]
    return clock.due


async def open_form(pilot: Any) -> Any:
    return await open_case_form(pilot, EPISODE, "s", "OversightScreen")


async def test_supervision_in_a_few_keys_restarts_the_monthly_clock(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        assert supervision_due(app) == date(2026, 12, 10)
        before = {r.ref for r in records(app)}
        await pilot.press(*"Continue the plan; review school attendance by Fri 4 Dec.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (record,) = [r for r in records(app) if r.ref not in before]
        assert (record.kind, record.by) == ("supervision", "P003")
        assert record.decision == "Continue the plan; review school attendance by Fri 4 Dec."
        assert record.at == AS_OF.replace(second=0, microsecond=0)
        assert supervision_due(app) == date(2026, 12, 20)  # a month from Fri 20 Nov


@pytest.mark.parametrize(("key", "kind"), [("k", "desk_discussion"), ("a", "transfer_outcome")])
async def test_other_oversight_is_recorded_but_is_not_supervision(
    demo_db: Path, key: str, kind: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        assert supervision_due(app) == date(2026, 12, 10)
        before = {r.ref for r in records(app)}
        form.query_one("#f-kind").focus()
        await pilot.press(key)  # e.g. desk discussion; the focus goes back to the decision
        await pilot.press(*"Agreed to chase the school nurse.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        assert [(r.kind, r.decision) for r in records(app) if r.ref not in before] == [
            (kind, "Agreed to chase the school nurse.")
        ]
        assert supervision_due(app) == date(2026, 12, 10)  # not restarted


async def test_an_empty_decision_or_a_future_moment_saves_nothing(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        before = len(records(app))
        form.query_one("#f-at").focus()
        await pilot.press("ctrl+u", *"tomorrow 10:00", "ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in form.rows["decision"].classes)
        errors = {
            name: str(row.query_one(".field-error").render()) for name, row in form.rows.items()
        }
        assert "future" in errors["at"] and "Write the decision" in errors["decision"]
        assert app.screen is form and len(records(app)) == before
