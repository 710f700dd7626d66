"""Step up: an EHA to Children's Social Care with its route and the next Transfer meeting,
refused while a contact note is in draft or without the reasons, which are kept as an
oversight record; Universal Plus to an EHA, which opens for the same family, children
and Lead Professional with its clocks running, shown in the case view at once; joint
work refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.db import open_store
from ehtui.models import Contact, Episode, EpisodeChild, Family, Oversight
from ehtui.recording.contact import finalise_contact
from ehtui.rules import upcoming
from ehtui.rules.load import load_from
from ehtui.unit_of_work import fetch, write
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, screen_text, wait_for

EHA = "E000012"  # Bella Cole's EHA (family F00012)
UP = "E000021"  # a West hub Universal Plus episode (P004) with four children
JOINT = "E000013"  # a joint-work episode (P003)
REASONS = "Bruising seen on the home visit; mum could not explain it."


def episodes(app: Any, family: str) -> list[Any]:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.family == family).order_by(t.c.ref)))


def oversights(app: Any, episode: str) -> list[Any]:
    t = Oversight.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.episode == episode).order_by(t.c.at)))


def problem(form: Any, field: str) -> str:
    return " ".join(str(form.rows[field].query_one(".field-error").render()).split())


def children(app: Any, episode: str) -> list[str]:
    t = EpisodeChild.__table__
    with app.session.engine.connect() as conn:
        rows = conn.execute(select(t.c.child).where(t.c.episode == episode).order_by(t.c.position))
        return list(rows.scalars())


async def test_an_eha_steps_up_to_csc_by_the_route_shown(demo_db: Path) -> None:
    store = open_store(str(demo_db))
    with write(store, "P003") as s:  # I&P closed the family in September
        family = fetch(s, Family, "F00012")
        family.last_csc_closure_team, family.last_csc_closure_date = "i_and_p", date(2026, 9, 1)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EHA, "u", "StepUpScreen")
        plan = " ".join(str(form.query_one("#stepup-plan").render()).split())
        assert "To Children's Social Care: I&P" in plan and "within 3 months" in plan
        assert "Transfer meeting Wed 25 Nov 2026; agenda closes Tue 24 Nov 2026 12:00" in plan
        assert "Next Hub Panel: Tue 24 Nov 2026" in plan
        # Today's home visit (10:00) is still in draft, and no reasons are written yet.
        assert "✗ Finalise the 1 draft note first" in plan
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "reasons")))
        assert problem(form, "reasons").startswith("Write why the work steps up")
        assert problem(form, "on").startswith("Finalise the 1 draft note first")
        assert app.screen is form and not [e.closed for e in episodes(app, "F00012") if e.closed]
        t = Contact.__table__
        with store.connect() as conn:  # finalised from the contact log meanwhile
            draft = conn.execute(
                select(t).where(t.c.episode == EHA, t.c.recorded_at.is_(None))
            ).one()
        finalise_contact(store, user="P003", contact=draft.ref, version=draft.version, now=AS_OF)
        await pilot.press("escape")
        await wait_for(pilot, lambda: case_loaded(app))
        await pilot.press("u")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "StepUpScreen" and app.screen.context is not None,
        )
        form = app.screen
        await pilot.press(*REASONS, "ctrl+s")  # the focus is on the reasons
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (row,) = [e for e in episodes(app, "F00012") if e.ref == EHA]
        assert (row.closed, row.closure_reason) == (AS_OF.date(), "step_up_csc")
        (kept,) = [o for o in oversights(app, EHA) if o.kind == "desk_discussion"]
        assert kept.at == AS_OF.replace(microsecond=0) and kept.decision.endswith(
            f"Reasons: {REASONS}"
        )
        assert kept.decision.startswith("Stepped up to Children's Social Care: I&P")


async def test_joint_work_is_not_stepped_up(demo_db: Path) -> None:
    app = make_app(demo_db, user="P003")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, JOINT, "u", "StepUpScreen")
        assert "Joint work is not stepped up" in str(form.query_one("#stepup-plan").render())
        await pilot.press(*REASONS, "ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in str(form.query_one("#form-status").render()))
        assert app.screen is form
        (row,) = [e for e in episodes(app, form.context[0].snap.family.ref) if e.ref == JOINT]
        assert row.closed is None
        assert not [o for o in oversights(app, JOINT) if o.decision.startswith("Stepped up")]


async def test_universal_plus_steps_up_to_an_eha_that_opens_at_once(demo_db: Path) -> None:
    app = make_app(demo_db, user="P004")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, UP, "u", "StepUpScreen")
        assert "Universal Plus → EHA" in str(form.query_one("#stepup-plan").render())
        family = form.context[0].snap.family.ref
        before = {e.ref for e in episodes(app, family)}
        await pilot.press(*"Past 12 weeks; needs a TAF.", "ctrl+s")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode != UP)
        (new,) = [e for e in episodes(app, family) if e.ref not in before]
        up = next(e for e in episodes(app, family) if e.ref == UP)
        assert (up.closed, up.closure_reason) == (AS_OF.date(), "stepped_up_eha")
        assert (new.type, new.lead, new.hub, new.source) == (
            "eha",
            "P004",
            up.hub,
            "universal_plus_form",
        )
        assert new.referral_received == AS_OF.date()
        assert new.allocated == AS_OF.replace(microsecond=0)
        assert children(app, new.ref) == children(app, UP)
        assert app.screen.episode == new.ref and "EHA" in screen_text(app)
        ep = load_from(app.session.engine, AS_OF, episodes=[new.ref]).episodes[0]
        running = {f.rule: f.due for f in upcoming(ep, AS_OF)}
        assert running["EHA-CONTACT-2WD"] == date(2026, 11, 24)  # 2 working days on
        assert running["EHA-HOME-VISIT-7WD"] == date(2026, 12, 1)
        assert running["EHA-COMPLETE-6W"] == date(2027, 1, 1)
