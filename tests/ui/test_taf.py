"""TAF meeting: the initial TAF from the case view, a review with the plan's open actions
carried forward (with their progress) and the 2nd-review LP-transfer prompt, the family's
RADAR feedback, bad input refused field by field."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from textual.widgets import TextArea

from ehtui.db import open_store
from ehtui.models import Episode, TafMeeting
from ehtui.recording.taf import save_taf
from ehtui.rules import evaluate_store, upcoming
from ehtui.rules.load import load_from
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, screen_text, wait_for

NO_TAF = "E000015"  # an EHA allocated 12 Sep 2026 with no TAF yet
ONE_TAF = "E000009"  # an EHA whose initial TAF has been held


def held(app: Any, episode: str) -> list[Any]:
    t = TafMeeting.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.episode == episode).order_by(t.c.at)))


def first_review(engine: Any, actions: str, radar_feedback: str = "") -> None:
    """E000009's 1st review (Wed 18 Nov 2026 10:00, to continue), recorded elsewhere:
    RADAR gathered when there is ``radar_feedback``."""
    values = {
        "kind": "review",
        "at": "18/11/2026 10:00",
        "agencies": "School, CAMHS",
        "radar": "yes" if radar_feedback else "no",
        "radar_feedback": radar_feedback,
        "actions": actions,
        "agreed": "",
        "decision": "continue",
    }
    save_taf(engine, user="P003", episode=ONE_TAF, values=values, now=AS_OF)


def rule_states(app: Any, episode: str, rule: str) -> list[str]:
    found = evaluate_store(app.session.engine, AS_OF, episodes=[episode])
    return [str(f.state) for f in found if f.rule == rule]


async def test_the_initial_taf_meets_its_clock_and_starts_the_reviews(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, NO_TAF, "m", "TafScreen")
        assert form.values()["kind"] == "initial"
        assert "overdue" in rule_states(app, NO_TAF, "TAF-INITIAL-10WD")
        form.query_one("#f-agencies").focus()
        await pilot.press("ctrl+u", *"School, Health Visitor")
        form.query_one("#f-actions").focus()
        await pilot.press(*"Attendance plan | School | 18/12/2026", "enter")
        await pilot.press(*"Sleep routine | Mum | | done")
        form.query_one("#f-agreed").focus()
        await pilot.press(*"4")
        form.query_one("#f-decision").focus()
        await pilot.press("c")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (meeting,) = held(app, NO_TAF)
        assert (meeting.kind, meeting.decision, meeting.radar_completed) == (
            "initial",
            "continue",
            False,
        )
        assert meeting.agencies == ["School", "Health Visitor"]
        assert meeting.actions == [
            {"what": "Attendance plan", "who": "School", "by": "2026-12-18", "status": "open"},
            {"what": "Sleep routine", "who": "Mum", "by": None, "status": "done"},
        ]
        assert meeting.agreed_contacts_per_4_weeks == 4 and not meeting.plan_ratified_complete
        with app.session.engine.connect() as conn:
            agreed = conn.execute(
                select(Episode.__table__.c.agreed_contacts_per_4_weeks).where(
                    Episode.__table__.c.ref == NO_TAF
                )
            ).scalar()
        assert agreed == 4
        assert "overdue" not in rule_states(app, NO_TAF, "TAF-INITIAL-10WD")
        ep = load_from(app.session.engine, AS_OF, episodes=[NO_TAF]).episodes[0]
        review = [f.due for f in upcoming(ep, AS_OF) if f.rule == "TAF-REVIEW-12W"]
        at = AS_OF.replace(second=0, microsecond=0)
        assert [d if isinstance(d, datetime) else datetime.combine(d, at.time()) for d in review]
        assert review[0] in (at + timedelta(weeks=12), (at + timedelta(weeks=12)).date())


async def test_a_review_carries_the_open_actions_and_prompts_the_lp_transfer(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, ONE_TAF, "m", "TafScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: case_loaded(app))
        first_review(
            app.session.engine,
            "Book CAMHS | Dad | 30/11/2026 | open\nSchool meeting | LP | | done",
            radar_feedback="Dad feels heard.",
        )
        await pilot.press("ctrl+d", "ctrl+d")  # (no draft: nothing to throw away)
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "TafScreen" and app.screen.context is not None,
        )
        form = app.screen
        values = form.values()
        assert values["kind"] == "review" and values["agencies"] == "School, CAMHS"
        assert values["actions"] == "Book CAMHS | Dad | 30/11/2026 | open"
        prompt = " ".join(str(form.query_one("#taf-next").render()).split())
        assert "2nd review" in prompt and "community professional" in prompt
        assert "Next meeting due" in prompt
        assert "2nd review" in screen_text(app)


async def test_bad_input_names_its_field_and_saves_nothing(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, ONE_TAF, "m", "TafScreen")
        before = len(held(app, ONE_TAF))
        form.query_one("#f-kind").focus()
        await pilot.press("i")  # an initial TAF again
        actions = form.query_one("#f-actions", TextArea)
        actions.focus()
        actions.select_all()  # the plan carried: replaced by one action with nobody to do it
        await pilot.press(*"Call the school")
        form.query_one("#f-agreed").focus()
        await pilot.press(*"lots")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in form.rows["kind"].classes)
        errors = {
            name: str(row.query_one(".field-error").render()) for name, row in form.rows.items()
        }
        assert "this is a review" in errors["kind"]
        assert "Line 1" in errors["actions"] and "who" in errors["actions"]
        assert "whole number" in errors["agreed"]
        assert "Choose the decision" in errors["decision"]
        assert app.screen is form and len(held(app, ONE_TAF)) == before


async def test_a_review_updates_a_carried_actions_progress_and_records_radar_feedback(
    demo_db: Path,
) -> None:
    """E000009's initial TAF was Wed 30 Sep 2026; a 1st review on Wed 18 Nov 2026 left
    "Book CAMHS" open with its progress. The 2nd review (Fri 20 Nov, keys) carries it
    with that progress, updates the progress and records the family's RADAR feedback;
    the next meeting's form then carries the new progress."""
    store = open_store(str(demo_db))
    first_review(
        store,
        "Book CAMHS | Dad | 30/11/2026 | open | form found\n"
        "School meeting | LP | | done | held 16/11",
    )
    store.dispose()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, ONE_TAF, "m", "TafScreen")
        assert form.values()["actions"] == "Book CAMHS | Dad | 30/11/2026 | open | form found"
        plan = str(form.query_one("#taf-plan").render())
        assert "Book CAMHS (Dad, by 30/11/2026): open, carried" in plan
        assert "Progress: form found" in plan and "School meeting (LP): done, not carried" in plan
        form.query_one("#f-actions").focus()
        await pilot.press("f7", *"Book CAMHS | Dad | 30/11/2026 | open | form found")  # f7: all
        await pilot.press(*"; referral sent 19/11")
        form.query_one("#f-radar").focus()
        await pilot.press("y")
        form.query_one("#f-radar-feedback").focus()
        await pilot.press(*"Dad: CAMHS is the worry; school is going better.")
        form.query_one("#f-decision").focus()
        await pilot.press("c")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        review = held(app, ONE_TAF)[-1]
        assert (review.kind, review.radar_completed, review.radar_feedback) == (
            "review",
            True,
            "Dad: CAMHS is the worry; school is going better.",
        )
        assert review.actions == [
            {
                "what": "Book CAMHS",
                "who": "Dad",
                "by": "2026-11-30",
                "status": "open",
                "progress": "form found; referral sent 19/11",
            }
        ]
        assert "RADAR-AT-REVIEW" not in [
            f.rule
            for f in evaluate_store(app.session.engine, AS_OF, episodes=[ONE_TAF])
            if f.record == review.ref
        ]
        await pilot.press("m")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "TafScreen" and app.screen.context is not None,
        )
        assert app.screen.values()["actions"] == (
            "Book CAMHS | Dad | 30/11/2026 | open | form found; referral sent 19/11"
        )


async def test_radar_gathered_without_feedback_is_refused(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_case_form(pilot, ONE_TAF, "m", "TafScreen")
        before = len(held(app, ONE_TAF))
        form.query_one("#f-radar").focus()
        await pilot.press("y")
        form.query_one("#f-decision").focus()
        await pilot.press("c", "ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in form.rows["radar_feedback"].classes)
        words = str(form.rows["radar_feedback"].query_one(".field-error").render())
        assert words == "Say what the family's RADAR feedback was."
        assert app.screen is form and len(held(app, ONE_TAF)) == before
