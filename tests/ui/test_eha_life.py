"""A whole EHA's life from the keyboard (the issue's "done when"): on Bella Cole's new EHA
(referred Tue 17 Nov, allocated Wed 18 Nov; Segun 8 and Emeka 9 months; as of Fri 20 Nov
2026), a home visit, the voice of each child, engagement and EHA completed, the initial
TAF, supervision, two reviews (the second prompts the Lead Professional transfer and
ratifies the plan) and the closure as plan completed.

After each save the test reads the engine's running clocks from the store (each one
running before its step, cleared or moved after it) and waits, without pressing r, for
the case view on the screen to say the same. The closure leaves no finding and takes
the family off the work tray."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ehtui.rules import evaluate_store, upcoming
from ehtui.rules.clocks import as_day
from ehtui.rules.load import load_from
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for

EPISODE = "E000007"
SEGUN, EMEKA = "M000022", "M000023"


def clocks(app: Any) -> dict[tuple[str, str | None], date]:
    """The episode's running clocks (rule, child) and when each is due, from the store.
    A closed episode has none (upcoming() reads open episodes only)."""
    ep = load_from(app.session.engine, AS_OF, episodes=[EPISODE], history=True).episodes[0]
    assert ep.closed is None
    return {(f.rule, f.child): as_day(f.due) for f in upcoming(ep, AS_OF) if f.due is not None}


def findings(app: Any) -> list[str]:
    """The episode's findings (the Lead Professional's caseload ones left out)."""
    found = evaluate_store(app.session.engine, AS_OF, episodes=[EPISODE])
    return [f.rule for f in found if f.episode == EPISODE]


def clock(text: str, rule: str) -> str:
    """The case view's running clock of ``rule`` ("Home visit: due ..."), "" when none."""
    rows = (part for row in text.splitlines() for part in row.split("││"))
    return next((part for part in rows if rule in part and ": due" in part), "")


def heard(text: str, name: str) -> str:
    """When the voice of the child panel says ``name`` was last heard ("never" or a day)."""
    found = re.search(rf"{name}\s+(never|\w{{3}} \d{{1,2}} \w{{3}}|\d{{1,2}} \w{{3}})", text)
    return found[1] if found else ""


async def case_shows(pilot: Any, ready: Callable[[str], bool]) -> str:
    """Wait (never pressing r) until the case view is on show and its text is ``ready``."""
    app = pilot.app
    try:
        await wait_for(pilot, lambda: case_loaded(app) and ready(screen_text(app)))
    except AssertionError:
        print(screen_text(app)[-6000:])
        raise
    return screen_text(app)


async def form(pilot: Any, key: str, screen: str) -> Any:
    app = pilot.app
    await pilot.press(key)
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == screen and app.screen.context is not None
    )
    return app.screen


async def type_into(pilot: Any, screen: Any, field: str, *keys: str) -> None:
    screen.query_one(f"#f-{field}").focus()
    await pilot.press(*keys)


async def save(pilot: Any, screen: Any, key: str = "ctrl+s") -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen is not screen and case_loaded(pilot.app))


async def taf_meeting(pilot: Any, at: str, decision: str) -> Any:
    """A TAF meeting at ``at`` (RADAR gathered, with the family's words), left open
    until the caller saves it: the form."""
    taf = await form(pilot, "m", "TafScreen")
    await type_into(pilot, taf, "at", "ctrl+u", *at)
    await type_into(pilot, taf, "agencies", "ctrl+u", *"School, Health Visitor")
    await type_into(pilot, taf, "radar", "y")
    await type_into(pilot, taf, "radar-feedback", *"Mum says things are better.")
    await type_into(pilot, taf, "decision", decision)
    return taf


async def test_an_ehas_whole_life_clears_each_clock(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        assert EPISODE in [r.episode for r in app.screen.shown]
        app.open_case(EPISODE)
        text = await case_shows(pilot, lambda t: "EHA-HOME-VISIT-7WD" in t)

        # A home visit: EHA-HOME-VISIT-7WD (due Fri 27 Nov) stops running.
        assert clocks(app)["EHA-HOME-VISIT-7WD", None] == date(2026, 11, 27)
        assert "Fri 27 Nov 2026" in clock(text, "EHA-HOME-VISIT-7WD")
        contact = await form(pilot, "n", "ContactLogScreen")
        await pilot.press("h", *"Home visit: met mum, Segun and Emeka.")
        await save(pilot, contact, "ctrl+f")
        assert ("EHA-HOME-VISIT-7WD", None) not in clocks(app)
        await case_shows(pilot, lambda t: clock(t, "EHA-HOME-VISIT-7WD") == "")

        # The voice of each child: VOC-4W, due Wed 16 Dec from allocation, moves to
        # four weeks from today for each child heard.
        voc = {child: clocks(app)["VOC-4W", child] for child in (SEGUN, EMEKA)}
        assert voc == {SEGUN: date(2026, 12, 16), EMEKA: date(2026, 12, 16)}
        assert heard(text, "Segun") == heard(text, "Emeka") == "never"
        for number, child in (("1", SEGUN), ("2", EMEKA)):
            voice = await form(pilot, "v", "VoiceScreen")
            await pilot.press(number, "tab", "tab", "tab")  # band, method, when: the words
            await pilot.press(*"Child's words or what they showed.")
            await save(pilot, voice)
            assert clocks(app)["VOC-4W", child] == date(2026, 12, 18)
        text = await case_shows(pilot, lambda t: heard(t, "Emeka") not in ("never", ""))
        assert heard(text, "Segun") == heard(text, "Emeka"), text
        assert "20 Nov" in heard(text, "Segun"), text

        # Engagement and the EHA completed yesterday (Thu 19 Nov): EHA-COMPLETE-6W stops,
        # TAF-INITIAL-10WD starts (10 working days: Thu 3 Dec).
        assert ("EHA-COMPLETE-6W", None) in clocks(app)
        assert ("TAF-INITIAL-10WD", None) not in clocks(app)
        milestones = await form(pilot, "k", "MilestonesScreen")
        await type_into(pilot, milestones, "engagement_confirmed", "ctrl+u", *"yesterday")
        await type_into(pilot, milestones, "eha_completed", "ctrl+u", *"yesterday")
        await save(pilot, milestones)
        assert ("EHA-COMPLETE-6W", None) not in clocks(app)
        assert clocks(app)["TAF-INITIAL-10WD", None] == date(2026, 12, 3)
        text = await case_shows(pilot, lambda t: "3 Dec 2026" in clock(t, "TAF-INITIAL-10WD"))
        assert clock(text, "EHA-COMPLETE-6W") == ""

        # The initial TAF yesterday afternoon: TAF-INITIAL-10WD is met, and the first
        # review falls due 12 weeks on (Thu 11 Feb 2027).
        taf = await taf_meeting(pilot, "yesterday 15:00", "c")
        assert taf.values()["kind"] == "initial"
        await type_into(pilot, taf, "actions", *"Parenting course | Mum | 31/01/2027")
        await save(pilot, taf)
        assert ("TAF-INITIAL-10WD", None) not in clocks(app)
        assert clocks(app)["TAF-REVIEW-12W", None] == date(2027, 2, 11)
        await case_shows(
            pilot,
            lambda t: (
                "11 Feb 2027" in clock(t, "TAF-REVIEW-12W") and clock(t, "TAF-INITIAL-10WD") == ""
            ),
        )

        # Supervision: SUPERVISION-MONTHLY, due Fri 18 Dec from allocation, moves to a
        # month from today (Sun 20 Dec).
        assert clocks(app)["SUPERVISION-MONTHLY", None] == date(2026, 12, 18)
        supervision = await form(pilot, "s", "OversightScreen")
        await pilot.press(*"Plan agreed; review in 12 weeks.")
        await save(pilot, supervision)
        assert clocks(app)["SUPERVISION-MONTHLY", None] == date(2026, 12, 20)
        await case_shows(pilot, lambda t: "20 Dec 2026" in clock(t, "SUPERVISION-MONTHLY"))

        # The 1st review this morning, to continue: the next review moves to Fri 12 Feb.
        review = await taf_meeting(pilot, "today 11:00", "c")
        assert review.values()["kind"] == "review"
        assert "2nd review" not in str(review.query_one("#taf-next").render())
        await save(pilot, review)
        assert clocks(app)["TAF-REVIEW-12W", None] == date(2027, 2, 12)
        await case_shows(pilot, lambda t: "12 Feb 2027" in clock(t, "TAF-REVIEW-12W"))
        assert "LP-TRANSFER-CONSIDER" not in findings(app)

        # The 2nd review this afternoon prompts the Lead Professional transfer (§6.4), and
        # ratifies the plan as achieved; the engine's advice says the same after it.
        review = await taf_meeting(pilot, "today 14:00", "a")
        assert "This is the 2nd review" in str(review.query_one("#taf-next").render())
        await save(pilot, review)
        assert "LP-TRANSFER-CONSIDER" in findings(app)
        await case_shows(pilot, lambda t: "LP-TRANSFER-CONSIDER" in t)

        # The closure as plan completed: nothing left to find, and off the work tray.
        closure = await form(pilot, "x", "ClosureScreen")
        await pilot.press("p")
        await save(pilot, closure)
        ep = load_from(app.session.engine, AS_OF, episodes=[EPISODE], history=True).episodes[0]
        assert (ep.closed, ep.closure_reason) == (AS_OF.date(), "plan_completed")
        assert {v.child for v in ep.voices} == {SEGUN, EMEKA}
        assert [t.kind for t in ep.tafs] == ["initial", "review", "review"]
        assert findings(app) == []
        await case_shows(pilot, lambda t: "Closed" in t or "closed" in t)
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert EPISODE not in [r.episode for r in app.screen.shown]
