"""TAF meetings: the plan's actions typed one per line, carried while open, each check
naming its field, the plan-achieved decision ratifying the plan, nothing written on refusal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import TafMeeting
from ehtui.recording.facts import episode_facts
from ehtui.recording.taf import (
    PlanAction,
    carried_actions,
    check_taf,
    meetings,
    parse_actions,
    save_taf,
)
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1's referral: Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def meeting(**changes: Any) -> dict[str, Any]:
    values = {
        "kind": "initial",
        "at": "today 10:00",
        "agencies": "School; Health Visitor",
        "radar": "no",
        "actions": "Attendance plan | School | 18/12/2026",
        "agreed": "",
        "decision": "continue",
        "note": "",
    }
    return {**values, **changes}


def test_actions_one_per_line_with_the_status_open_by_default() -> None:
    actions, problem = parse_actions(
        "Attendance plan | School | 18/12/2026\n\n Sleep | Mum | | Done ", date(2026, 11, 20)
    )
    assert problem is None
    assert actions == [
        PlanAction("Attendance plan", "School", date(2026, 12, 18), "open"),
        PlanAction("Sleep", "Mum", None, "done"),
    ]
    assert parse_actions("a | b | c | d | e", date(2026, 11, 20))[1] == (
        "Line 1: at most four parts, what | who | by when | status."
    )
    assert "status is open, done or dropped" in str(parse_actions("a | b | | later", NOW.date())[1])


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"kind": "review"}, "kind", "the first meeting is the initial TAF"),
        ({"kind": "huddle"}, "kind", "Choose i initial TAF or r review"),
        ({"at": "21/11/2026 10:00"}, "at", "is in the future"),
        ({"agencies": " , "}, "agencies", "Name the agencies attending"),
        ({"radar": None}, "radar", "RADAR feedback"),
        ({"actions": "Call school"}, "actions", "Line 1: say what is to be done and who"),
        ({"actions": "Call | LP | someday"}, "actions", "Line 1:"),
        ({"agreed": "21"}, "agreed", "between 1 and 20"),
        ({"agreed": "0"}, "agreed", "between 1 and 20"),
        ({"decision": "maybe"}, "decision", "Choose the decision"),
    ],
)
def test_each_check_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert words in check_taf(meeting(**changes), facts, [], NOW)[field]
    with pytest.raises(InputError) as refused:
        save_taf(store, user="P1", episode="E1", values=meeting(**changes), now=NOW)
    assert any(p.startswith(f"{field}: ") for p in refused.value.problems)
    with store.connect() as conn:
        assert conn.execute(select(TafMeeting.__table__)).all() == []


def test_a_review_carries_open_actions_and_plan_achieved_ratifies(store: Engine) -> None:
    save_taf(
        store,
        user="P1",
        episode="E1",
        values=meeting(actions="Attendance plan | School | 18/12/2026\nSleep | Mum | | done"),
        now=NOW,
    )
    held = meetings(store, "E1")
    assert carried_actions(held) == "Attendance plan | School | 18/12/2026 | open"
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert "this is a review" in check_taf(meeting(), facts, held, NOW)["kind"]
    save_taf(
        store,
        user="P1",
        episode="E1",
        values=meeting(kind="review", at="today 14:00", radar="yes", decision="plan_achieved"),
        now=NOW,
    )
    review = meetings(store, "E1")[-1]
    assert (review.kind, review.decision, review.radar_completed) == (
        "review",
        "plan_achieved",
        True,
    )
    with store.connect() as conn:
        ratified = conn.execute(
            select(TafMeeting.__table__.c.plan_ratified_complete).where(
                TafMeeting.__table__.c.ref == review.ref
            )
        ).scalar()
    assert ratified is True
