"""A whole EHA's life from the keyboard (the issue's "done when"): on Bella Cole's new EHA
(allocated Wed 18 Nov, Segun 8 and Emeka 9 months), a home visit, the voice of each child,
EHA completed, the initial TAF, supervision, a review that ratifies the plan, and the
closure as plan completed; each running clock leaves the list as its step is recorded."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ehtui.rules import upcoming
from ehtui.rules.clocks import as_day
from ehtui.rules.load import load_from
from tests.appkit import AS_OF, case_loaded, make_app, open_case_form, wait_for

EPISODE = "E000007"


def running(app: Any) -> list[tuple[str, str | None]]:
    snap = load_from(app.session.engine, AS_OF, episodes=[EPISODE], history=True)
    ep = snap.episodes[0]
    if ep.closed is not None:
        return []
    return [(f.rule, f.child) for f in upcoming(ep, AS_OF)]


FOUR_WEEKS_ON = (AS_OF + timedelta(weeks=4)).date()


def voice_due(app: Any) -> dict[str | None, date]:
    """Each child's next voice of the child, from the engine's running VOC-4W clocks."""
    ep = load_from(app.session.engine, AS_OF, episodes=[EPISODE]).episodes[0]
    return {f.child: as_day(f.due) for f in upcoming(ep, AS_OF) if f.rule == "VOC-4W"}


async def form(pilot: Any, key: str, screen: str) -> Any:
    app = pilot.app
    await pilot.press(key)
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == screen and app.screen.context is not None
    )
    return app.screen


async def save(pilot: Any, screen: Any, key: str = "ctrl+s") -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen is not screen and case_loaded(pilot.app))


async def test_an_ehas_whole_life_clears_each_clock(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        contact = await open_case_form(pilot, EPISODE, "n", "ContactLogScreen")
        assert ("EHA-HOME-VISIT-7WD", None) in running(app)
        await pilot.press("h", *"Home visit: met mum, Segun and Emeka.")
        await save(pilot, contact, "ctrl+f")
        assert ("EHA-HOME-VISIT-7WD", None) not in running(app)

        for number in ("1", "2"):
            voice = await form(pilot, "v", "VoiceScreen")
            await pilot.press(number, "tab", "tab", "tab")  # band, method, when: the words
            await pilot.press(*"Child's words or what they showed.")
            await save(pilot, voice)
        assert voice_due(app) == {"M000022": FOUR_WEEKS_ON, "M000023": FOUR_WEEKS_ON}

        milestones = await form(pilot, "k", "MilestonesScreen")
        milestones.query_one("#f-eha_completed").focus()
        await pilot.press("ctrl+u", *"today")
        await save(pilot, milestones)
        assert ("EHA-COMPLETE-6W", None) not in running(app)

        taf = await form(pilot, "m", "TafScreen")
        taf.query_one("#f-agencies").focus()
        await pilot.press("ctrl+u", *"School, Health Visitor")
        taf.query_one("#f-decision").focus()
        await pilot.press("c")
        await save(pilot, taf)
        assert ("TAF-REVIEW-12W", None) in running(app)

        supervision = await form(pilot, "s", "OversightScreen")
        await pilot.press(*"Plan agreed; review in 12 weeks.")
        await save(pilot, supervision)

        review = await form(pilot, "m", "TafScreen")
        assert review.values()["kind"] == "review"
        review.query_one("#f-radar").focus()
        await pilot.press("y", "tab", "tab")  # RADAR gathered; on to the decision
        review.query_one("#f-decision").focus()
        await pilot.press("a")  # plan achieved: ratified
        await save(pilot, review)

        closure = await form(pilot, "x", "ClosureScreen")
        await pilot.press("p")
        await save(pilot, closure)
        assert running(app) == []
        ep = load_from(app.session.engine, AS_OF, episodes=[EPISODE], history=True).episodes[0]
        assert (ep.closed, ep.closure_reason) == (AS_OF.date(), "plan_completed")
        assert len(ep.voices) == 2 and {v.child for v in ep.voices} == {"M000022", "M000023"}
        assert [t.kind for t in ep.tafs] == ["initial", "review"]
