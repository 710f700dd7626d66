"""Allocation from the hub's group tray: the practitioners with their load against cap,
the first allocation starting the clocks, a re-allocation keeping them, both audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import AuditEntry, Episode
from ehtui.rules import upcoming
from ehtui.rules.load import load_from
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for

EPISODE = "E000062"  # an unallocated EHA on the West hub's group tray


def row(app: Any) -> Any:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.ref == EPISODE)).one()


async def open_allocate(pilot: Any) -> Any:
    app = pilot.app
    await pilot.press("A")
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == "AllocateScreen" and app.screen.context is not None,
    )
    return app.screen


async def choose(pilot: Any, form: Any, ref: str) -> None:
    form.query_one("#f-lead").form_value = ref
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is not form and case_loaded(pilot.app))


async def test_allocate_from_the_hub_tray_then_reallocate(demo_db: Path) -> None:
    app = make_app(demo_db, user="P001")  # Imran Shah, the West hub's team manager
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.show_tab("hub")
        await wait_for(pilot, lambda: tray_loaded(app) and app.screen.tab == "hub")
        assert EPISODE in [r.episode for r in app.screen.rows]
        app.open_case(EPISODE)
        await wait_for(pilot, lambda: case_loaded(app))
        form = await open_allocate(pilot)
        _facts, choice = form.context
        names = [r.person.name for r in choice.rows]
        assert "Bella Cole" in names and "Ian Osei" in names
        loads = [r.load if r.load is not None else 2.0 for r in choice.rows]
        assert loads == sorted(loads)  # lightest first
        text = screen_text(app)
        assert "Families / cap" in text and " / 15" in text
        await choose(pilot, form, "P003")
        first = row(app)
        assert (first.lead, first.allocated) == ("P003", AS_OF.replace(microsecond=0))
        ep = load_from(app.session.engine, AS_OF, episodes=[EPISODE]).episodes[0]
        assert "EHA-CONTACT-2WD" in {f.rule for f in upcoming(ep, AS_OF)}  # the clocks run

        form = await open_allocate(pilot)
        await choose(pilot, form, "P004")
        again = row(app)
        assert (again.lead, again.allocated) == ("P004", first.allocated)  # clocks kept
        with app.session.engine.connect() as conn:
            audit = conn.execute(
                select(AuditEntry.__table__)
                .where(AuditEntry.__table__.c.record == EPISODE)
                .order_by(AuditEntry.__table__.c.id)
            ).all()
        leads = [a.changes["lead"] for a in audit if "lead" in a.changes]
        assert leads[-2:] == [{"old": None, "new": "P003"}, {"old": "P003", "new": "P004"}]
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert EPISODE not in [r.episode for r in app.screen.rows]  # off the group tray


async def test_the_same_lead_again_is_refused(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case("E000015")
        await wait_for(pilot, lambda: case_loaded(app))
        form = await open_allocate(pilot)
        form.query_one("#f-lead").form_value = "P003"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in form.rows["lead"].classes)
        assert "already hold" in str(form.rows["lead"].query_one(".field-error").render())
