"""Case milestones: only those of the episode's type (and source) are shown; EHA completed
and the documents saved meet their clocks at once; a Return Home Interview's interview and
QA, with their times, stop RHI-72H; an OSR case records its 0-19 Request Form; a future
date, a date without its time or an over-long Universal Plus extension is refused beside
its field with nothing saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Episode
from ehtui.rules import upcoming
from ehtui.rules.load import load_from
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, wait_for

EHA = "E000008"  # Bella Cole's: EHA completion due Wed 16 Dec; chronology only on file
UP = "E000021"  # Universal Plus, P004's


def row(app: Any, episode: str) -> Any:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.ref == episode)).one()


def running(app: Any) -> set[str]:
    ep = load_from(app.session.engine, AS_OF, episodes=[EHA]).episodes[0]
    return {f.rule for f in upcoming(ep, AS_OF)}


def shown(form: Any) -> set[str]:
    return {name for name, r in form.rows.items() if r.display}


def problem(form: Any, field: str) -> str:
    return str(form.rows[field].query_one(".field-error").render())


async def test_eha_completed_and_documents_meet_their_clocks(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EHA, "k", "MilestonesScreen")
        assert shown(form) == {
            "engagement_confirmed",
            "eha_completed",
            "doc_case_summary",
            "doc_chronology",
            "doc_genogram",
            "agreed_contacts_per_4_weeks",
        }
        assert "EHA-COMPLETE-6W" in running(app)
        assert form.values()["doc_chronology"] is True and form.values()["doc_genogram"] is False
        form.query_one("#f-eha_completed").focus()
        await pilot.press("ctrl+u", *"19/11/2026")
        for box in ("#f-doc_case_summary", "#f-doc_genogram"):
            form.query_one(box).focus()
            await pilot.press("space")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        saved = row(app, EHA)
        assert saved.eha_completed == date(2026, 11, 19)
        assert (saved.doc_case_summary, saved.doc_chronology, saved.doc_genogram) == (
            True,
            True,
            True,
        )
        assert "EHA-COMPLETE-6W" not in running(app)  # met on time: the clock has stopped


async def test_a_future_date_is_refused_and_nothing_saved(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, EHA, "k", "MilestonesScreen")
        version = row(app, EHA).version
        form.query_one("#f-engagement_confirmed").focus()
        await pilot.press("ctrl+u", *"30/11/2026", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "engagement_confirmed")))
        assert "in the future" in problem(form, "engagement_confirmed")
        assert row(app, EHA).version == version and app.screen is form


async def test_universal_plus_extension_and_sessions(demo_db: Path) -> None:
    app = make_app(demo_db, user="P004")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, UP, "k", "MilestonesScreen")
        assert shown(form) == {"extension_approved_until", "sessions_planned", "sessions_delivered"}
        allocated = row(app, UP).allocated
        form.query_one("#f-extension_approved_until").focus()
        await pilot.press("ctrl+u", *"31/12/2027", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "extension_approved_until")))
        assert "at most 12 weeks after allocation" in problem(form, "extension_approved_until")
        last = (allocated.date()).toordinal() + 7 * 12
        form.query_one("#f-extension_approved_until").focus()
        await pilot.press("ctrl+u", *f"{date.fromordinal(last):%d/%m/%Y}")
        form.query_one("#f-sessions_planned").focus()
        await pilot.press("ctrl+u", *"12")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        saved = row(app, UP)
        assert saved.extension_approved_until == date.fromordinal(last)
        assert saved.sessions_planned == 12


RHI = "E000006"  # P002's Return Home Interview: allocated Wed 18 Nov 14:30, due Sat 21 Nov 14:30
OSR = "E000005"  # P002's OSR joint work, allocated Thu 12 Nov: no 0-19 Request Form yet


async def test_a_return_home_interview_needs_its_times(demo_db: Path) -> None:
    app = make_app(demo_db, user="P002")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, RHI, "k", "MilestonesScreen")
        assert shown(form) == {"rhi_interview", "qa_completed"}
        ep = load_from(app.session.engine, AS_OF, episodes=[RHI]).episodes[0]
        assert "RHI-72H" in {f.rule for f in upcoming(ep, AS_OF)}
        version = row(app, RHI).version
        form.query_one("#f-rhi_interview").focus()
        await pilot.press("ctrl+u", *"19/11/2026", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "rhi_interview")))
        assert "needs its time too" in problem(form, "rhi_interview")
        assert row(app, RHI).version == version and app.screen is form  # nothing saved
        form.query_one("#f-rhi_interview").focus()
        await pilot.press("ctrl+u", *"19/11/2026 10:00")
        form.query_one("#f-qa_completed").focus()
        await pilot.press("ctrl+u", *"today 09:00", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        saved = row(app, RHI)
        assert (saved.assessment_completed, saved.qa_completed) == (
            "2026-11-19T10:00:00",
            "2026-11-20T09:00:00",
        )
        ep = load_from(app.session.engine, AS_OF, episodes=[RHI]).episodes[0]
        assert "RHI-72H" not in {f.rule for f in upcoming(ep, AS_OF)}  # met: the clock stops


async def test_an_osr_case_records_its_request_form(demo_db: Path) -> None:
    app = make_app(demo_db, user="P002")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, OSR, "k", "MilestonesScreen")
        assert shown(form) == {"sessions_planned", "sessions_delivered", "osr_request_form"}
        form.query_one("#f-osr_request_form").focus()
        await pilot.press("ctrl+u", *"13/11", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        assert row(app, OSR).osr_request_form == date(2026, 11, 13)
