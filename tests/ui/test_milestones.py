"""Case milestones: only those of the episode's type (and source) are shown; EHA completed
and the documents saved meet their clocks at once; a Return Home Interview's interview and
QA, with their times, stop RHI-72H; an OSR case records its 0-19 Request Form; a step-down
extension moves STEPDOWN-6M; joint work's sessions show against their cap as typed; a
settings file's limit bounds the extension; a future date, a date without its time, an
over-long Universal Plus extension or a step-down one that would shorten the 6 months is
refused beside its field with nothing saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.app import EhtuiApp
from ehtui.context import Context
from ehtui.models import Episode
from ehtui.rules import evaluate_store, upcoming
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
        assert shown(form) == {
            "joint_extension_until",
            "sessions_planned",
            "sessions_delivered",
            "osr_request_form",
        }
        form.query_one("#f-osr_request_form").focus()
        await pilot.press("ctrl+u", *"13/11", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        assert row(app, OSR).osr_request_form == date(2026, 11, 13)


STEP_DOWN = "E000017"  # P003's step-down EHA, allocated Fri 23 Oct 2026: 6 months to 23 Apr 2027
JOINT = "E000104"  # P004's OSR joint work: 7 sessions delivered of 6 planned, no extension


def hint_of(form: Any, field: str) -> str:
    return str(form.rows[field].query_one(".field-hint").render())


def side_caps(form: Any) -> str:
    return str(form.query_one("#session-caps").render())


def due_of(app: Any, episode: str, rule: str) -> Any:
    ep = load_from(app.session.engine, AS_OF, episodes=[episode]).episodes[0]
    return next((f.due for f in upcoming(ep, AS_OF) if f.rule == rule), None)


async def test_a_step_down_extension_moves_its_clock(demo_db: Path) -> None:
    app = make_app(demo_db, user="P003")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, STEP_DOWN, "k", "MilestonesScreen")
        assert {"stepdown_consultation", "stepdown_meeting", "stepdown_extension_until"} <= shown(
            form
        )
        assert "extension_approved_until" not in shown(form)
        assert "after Fri 23 Apr 2027 (6 months)" in hint_of(form, "stepdown_extension_until")
        assert "approved by the line manager" in hint_of(form, "stepdown_extension_until")
        assert due_of(app, STEP_DOWN, "STEPDOWN-6M") == date(2027, 4, 23)
        version = row(app, STEP_DOWN).version
        form.query_one("#f-stepdown_extension_until").focus()
        await pilot.press("ctrl+u", *"01/03/2027", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "stepdown_extension_until")))
        assert "ends after Fri 23 Apr 2027 (6 months after allocation)" in problem(
            form, "stepdown_extension_until"
        )
        assert row(app, STEP_DOWN).version == version and app.screen is form  # nothing saved
        form.query_one("#f-stepdown_extension_until").focus()
        await pilot.press("ctrl+u", *"30/06/2027", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        assert row(app, STEP_DOWN).extension_approved_until == date(2027, 6, 30)
        assert due_of(app, STEP_DOWN, "STEPDOWN-6M") == date(2027, 6, 30)  # the clock moved


async def test_joint_work_sessions_against_their_cap_and_an_extension(demo_db: Path) -> None:
    app = make_app(demo_db, user="P004")
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, JOINT, "k", "MilestonesScreen")
        assert shown(form) == {
            "joint_extension_until",
            "sessions_planned",
            "sessions_delivered",
            "osr_request_form",
        }
        assert "sessions up to 12" in hint_of(form, "joint_extension_until")
        assert side_caps(form) == (
            "JOINT-6-SESSIONS: 7 sessions delivered without an extension (limit 6): "
            "over the limit\n7 delivered, more than the 6 planned."
        )
        form.query_one("#f-joint_extension_until").focus()
        await pilot.press("ctrl+u", *"31/12/2026")
        form.query_one("#f-sessions_planned").focus()
        await pilot.press("ctrl+u", *"8")
        await wait_for(pilot, lambda: "(extended)" in side_caps(form))
        assert side_caps(form) == "JOINT-6-SESSIONS: 7 of 12 sessions delivered (extended)"
        form.query_one("#f-osr_request_form").focus()
        await pilot.press("ctrl+u", *"25/09/2026", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        saved = row(app, JOINT)
        assert (saved.extension_approved_until, saved.sessions_planned) == (date(2026, 12, 31), 8)
        findings = evaluate_store(app.session.engine, AS_OF, episodes=[JOINT])
        assert "JOINT-6-SESSIONS" not in {f.rule for f in findings}  # 7 of 12: within


async def test_a_settings_file_moves_the_universal_plus_cap(demo_db: Path, tmp_path: Path) -> None:
    """UP-12W-MAX set to 10 weeks: E000021, allocated Thu 19 Nov 2026, may be extended to
    Thu 28 Jan 2027 at the latest (12 weeks would be Thu 11 Feb 2027)."""
    settings = tmp_path / "settings.toml"
    settings.write_text('[rules."UP-12W-MAX"]\ndue = "10 weeks"\n')
    app = EhtuiApp(Context(db=str(demo_db), user="P004", as_of=AS_OF, settings_file=str(settings)))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, UP, "k", "MilestonesScreen")
        assert "by Thu 28 Jan 2027 (10 weeks)" in hint_of(form, "extension_approved_until")
        form.query_one("#f-extension_approved_until").focus()
        await pilot.press("ctrl+u", *"11/02/2027", "ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "extension_approved_until")))
        assert "at most 10 weeks after allocation (Thu 28 Jan 2027)" in problem(
            form, "extension_approved_until"
        )
        form.query_one("#f-extension_approved_until").focus()
        await pilot.press("ctrl+u", *"28/01/2027", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        assert row(app, UP).extension_approved_until == date(2027, 1, 28)
