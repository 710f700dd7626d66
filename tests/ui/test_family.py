"""Edit family: the family's details saved and audited; a member's demographics put right
from the list, clearing the checklist's gaps; a member added; bad input refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Family, Member
from tests.appkit import case_loaded, make_app, open_case_form, wait_for

EPISODE = "E000015"  # the Stan family: Mihai and Elena


def members(app: Any, family: str) -> list[Any]:
    t = Member.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.family == family)))


async def test_family_details_and_a_members_demographics(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "e", "FamilyScreen")
        family = form.context[0]
        form.query_one("#f-agencies").focus()
        await pilot.press("ctrl+u", *"School, CAMHS, Police")
        form.query_one("#f-csc_team").focus()
        await pilot.press("i")
        form.query_one("#f-csc_closed").focus()
        await pilot.press("ctrl+u", *"2/10/2026")

        table = form.query_one("#members")
        table.focus()
        elena = next(m for m in form.context[2] if m.values["first_name"] == "Elena")
        table.move_cursor(row=table.get_row_index(elena.ref))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MemberScreen")
        member = app.screen
        await wait_for(pilot, lambda: member._baseline != {})
        member.query_one("#f-language").focus()
        await pilot.press("ctrl+u", *"Romanian")
        member.query_one("#f-interpreter").focus()
        await pilot.press("y")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is form)
        saved = next(m for m in members(app, family) if m.ref == elena.ref)
        assert (saved.language, saved.interpreter_needed) == ("Romanian", True)

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        t = Family.__table__
        with app.session.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.ref == family)).one()
        assert row.agencies == ["School", "CAMHS", "Police"]
        assert (row.last_csc_closure_team, row.last_csc_closure_date) == (
            "i_and_p",
            date(2026, 10, 2),
        )


async def test_a_member_added_and_bad_input_refused(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EPISODE, "e", "FamilyScreen")
        family = form.context[0]
        before = len(members(app, family))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MemberScreen")
        member = app.screen
        await wait_for(pilot, lambda: member.context is not None)
        member.query_one("#f-first_name").focus()
        await pilot.press(*"Radu")
        member.query_one("#f-dob").focus()
        await pilot.press(*"1/1/2030")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in member.rows["dob"].classes)
        errors = {n: str(r.query_one(".field-error").render()) for n, r in member.rows.items()}
        assert "future" in errors["dob"] and "surname" in errors["last_name"]
        assert "Choose who they are" in errors["relationship"]
        assert len(members(app, family)) == before
        member.query_one("#f-last_name").focus()
        await pilot.press(*"Stan")
        member.query_one("#f-dob").focus()
        await pilot.press("ctrl+u", *"1/1/1980")
        member.query_one("#f-relationship").focus()
        await pilot.press("f")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is form)
        added = [m for m in members(app, family) if m.first_name == "Radu"]
        assert [(m.relationship, m.dob) for m in added] == [("father", date(1980, 1, 1))]
        await wait_for(
            pilot, lambda: any(m.values["first_name"] == "Radu" for m in form.context[2])
        )
