"""The work-tray words of PROTOCOL_RULES.md §10 for one episode, as tables of dates.

The episode is an EHA allocated Mon 5 Jan 2026 (tests/unit/builders.py) with a
first contact on Tue 6 Jan, so its home visit (due Wed 14 Jan) is the clock
that runs out first.
"""

from __future__ import annotations

from typing import Any

import pytest

from ehtui.rules import Level, episode_status, next_due
from ehtui.rules.status import eha_not_started
from ehtui.settings import parse_settings
from tests.unit.builders import as_of, contact, d, episode, findings

E = episode
STARTED = [contact("2026-01-06")]


@pytest.mark.parametrize(
    ("ep", "when", "level", "next_rule"),
    [
        pytest.param(E(contacts=STARTED), "2026-01-09", "on_track", None, id="nothing due yet"),
        pytest.param(
            E(contacts=STARTED),
            "2026-01-12",
            "due_soon",
            "EHA-HOME-VISIT-7WD",
            id="home visit in its window",
        ),
        pytest.param(
            E(contacts=STARTED),
            "2026-01-15",
            "overdue",
            "EHA-HOME-VISIT-7WD",
            id="home visit a day overdue",
        ),
        pytest.param(
            E(contacts=STARTED),
            "2026-01-28",
            "overdue",
            "EHA-HOME-VISIT-7WD",
            id="10 working days overdue (Wed 28 Jan) is not yet critical",
        ),
        pytest.param(
            E(contacts=STARTED),
            "2026-01-29",
            "critically_overdue",
            "EHA-HOME-VISIT-7WD",
            id="11 working days overdue (Thu 29 Jan) is critical",
        ),
        pytest.param(
            E(contacts=[*STARTED, contact("2026-01-13", "home_visit")], children=()),
            "2026-01-16",
            "on_track",
            None,
            id="late history and nothing running: on track",
        ),
        pytest.param(
            E(type="universal_plus", sessions_delivered=8),
            "2026-01-06",
            "overdue",
            "UP-SESSIONS-6",
            id="a session cap exceeded needs action now",
        ),
        pytest.param(
            E(contacts=STARTED, engagement_confirmed=None, eha_completed="2026-01-09"),
            "2026-01-10",
            "overdue",
            "ENGAGEMENT-CONFIRMED",
            id="a missing record counts as overdue",
        ),
    ],
)
def test_levels(ep: Any, when: str, level: str, next_rule: str | None) -> None:
    status = episode_status(findings(ep, when), as_of(when))
    assert str(status.level) == level
    assert status.next_rule == next_rule


def test_the_critical_threshold_comes_from_the_settings() -> None:
    settings = parse_settings({"tray": {"critically_overdue_working_days": 2}})
    found = findings(E(contacts=STARTED), "2026-01-19")  # 3 working days after Wed 14 Jan
    assert episode_status(found, as_of("2026-01-19")).level is Level.OVERDUE
    assert episode_status(found, as_of("2026-01-19"), settings).level is Level.CRITICALLY_OVERDUE
    assert episode_status(found, as_of("2026-01-19"), settings.table).level is (
        Level.CRITICALLY_OVERDUE
    )


def test_status_words_symbols_and_next_due() -> None:
    status = episode_status(findings(E(contacts=STARTED), "2026-01-15"), as_of("2026-01-15"))
    assert (status.label, status.symbol) == ("Overdue", "!")
    assert status.next_due == d("2026-01-14")
    assert (status.overdue, status.due_soon) == (1, 0)
    assert [lv.symbol for lv in Level] == ["‼", "!", "◷", "✓"]


def test_next_due_shows_the_next_clock_of_an_on_track_case() -> None:
    nxt = next_due(E(contacts=STARTED), as_of("2026-01-09"))
    assert nxt is not None
    assert (nxt.rule, nxt.due) == ("EHA-HOME-VISIT-7WD", d("2026-01-14"))
    assert nxt.message == "No home visit yet: due Wed 14 Jan 2026"
    closed = E(contacts=STARTED, closed="2026-01-08", closure_reason="moved_away")
    assert next_due(closed, as_of("2026-01-09")) is None


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        pytest.param(E(engagement_confirmed=None), "2026-01-14", False, id="by allocation + 7 wd"),
        pytest.param(E(engagement_confirmed=None), "2026-01-15", True, id="the day after"),
        pytest.param(E(), "2026-01-15", False, id="engagement confirmed"),
        pytest.param(
            E(engagement_confirmed="2026-01-20"), "2026-01-15", True, id="confirmed after as-of"
        ),
        pytest.param(
            E(engagement_confirmed=None, type="universal_plus"),
            "2026-01-15",
            False,
            id="only for EHAs",
        ),
        pytest.param(
            E(engagement_confirmed=None, closed="2026-01-12", closure_reason="moved_away"),
            "2026-01-15",
            False,
            id="closed",
        ),
    ],
)
def test_eha_not_started(ep: Any, when: str, expected: bool) -> None:
    assert eha_not_started(ep, as_of(when)) is expected
