"""TAF meetings: the plan's actions typed one per line, carried while open, each check
naming its field, the plan-achieved decision ratifying the plan, nothing written on refusal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from ehtui.errors import InputError
from ehtui.models import TafMeeting
from ehtui.recording.facts import episode_facts
from ehtui.recording.taf import (
    PlanAction,
    carried_actions,
    check_taf,
    meetings,
    parse_actions,
    plan_so_far,
    save_taf,
)
from ehtui.unit_of_work import write
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
    # The progress is the rest of the line: a "|" typed in it stays in it.
    assert parse_actions("a | b | | open | rang school | no answer", date(2026, 11, 20)) == (
        [PlanAction("a", "b", None, "open", "rang school | no answer")],
        None,
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
        values=meeting(
            kind="review",
            at="today 14:00",
            radar="yes",
            radar_feedback="The family feel the plan worked.",
            decision="plan_achieved",
        ),
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


def test_an_action_may_carry_a_progress_note_as_a_fifth_part() -> None:
    actions, problem = parse_actions(
        "Attendance plan | School | 18/12/2026 | open | 2 of 5 days missed\nSleep | Mum",
        date(2026, 11, 20),
    )
    assert problem is None
    assert actions == [
        PlanAction("Attendance plan", "School", date(2026, 12, 18), "open", "2 of 5 days missed"),
        PlanAction("Sleep", "Mum", None, "open"),
    ]
    assert actions[0].to_json() == {
        "what": "Attendance plan",
        "who": "School",
        "by": "2026-12-18",
        "status": "open",
        "progress": "2 of 5 days missed",
    }
    assert "progress" not in actions[1].to_json()  # none: the 4-part shape, as before


def _refused(store: Engine, values: dict[str, Any], field: str) -> str:
    """The words check_taf gives ``field``, after proving save_taf writes nothing."""
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    words = check_taf(values, facts, meetings(store, "E1"), NOW).get(field, "")
    before = len(meetings(store, "E1"))
    with pytest.raises(InputError) as refused:
        save_taf(store, user="P1", episode="E1", values=values, now=NOW)
    assert (f"{field}: {words}" if field else words) in refused.value.problems
    assert len(meetings(store, "E1")) == before
    return words


def test_by_when_before_the_referral_is_refused(store: Engine) -> None:
    """E1's referral is Fri 2 Jan 2026: an action due Wed 31 Dec 2025 cannot be."""
    words = _refused(store, meeting(actions="Old | LP | 31/12/2025 | done"), "actions")
    assert words == "Line 1: by Wed 31 Dec 2025 is before the referral (Fri 2 Jan 2026)."


def test_a_new_open_action_cannot_be_overdue_but_a_carried_one_may_be(store: Engine) -> None:
    # The initial TAF on Mon 2 Nov 2026 agrees an action due Fri 13 Nov 2026.
    save_taf(
        store,
        user="P1",
        episode="E1",
        values=meeting(at="02/11/2026 10:00", actions="Attendance plan | School | 13/11/2026"),
        now=NOW,
    )
    # The review on Fri 20 Nov 2026: the carried action is overdue, which is fine ...
    late = "Attendance plan | School | 13/11/2026 | open | not started"
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    held = meetings(store, "E1")
    assert "actions" not in check_taf(meeting(kind="review", actions=late), facts, held, NOW)
    # ... a new open action due Thu 19 Nov 2026 is not; done, it may have been.
    new = late + "\nCall GP | Mum | 19/11/2026"
    words = _refused(store, meeting(kind="review", actions=new), "actions")
    assert words.startswith("Line 2: a new action cannot be due before the meeting (Fri 20 Nov")
    done = late + "\nCall GP | Mum | 19/11/2026 | done"
    assert "actions" not in check_taf(meeting(kind="review", actions=done), facts, held, NOW)
    # Handed to someone else at the review, it is still the action carried, overdue or not.
    handed = "Attendance plan | School and LP | 13/11/2026 | open | LP to chase"
    assert "actions" not in check_taf(meeting(kind="review", actions=handed), facts, held, NOW)


def test_a_carried_action_keeps_its_by_when_even_before_the_referral(store: Engine) -> None:
    """A plan imported with an action due before E1's referral (Fri 2 Jan 2026) can be
    reviewed: only a new action is held to the referral."""
    with write(store, "P1") as s:
        s.add(
            TafMeeting(
                ref="T9",
                episode="E1",
                at=datetime(2026, 2, 2, 10, 0),
                kind="initial",
                agencies=["School"],
                radar_completed=False,
                plan_ratified_complete=False,
                actions=[{"what": "Old plan", "who": "LP", "by": "2025-12-31", "status": "open"}],
            )
        )
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    held = meetings(store, "E1")
    carried = meeting(kind="review", actions="Old plan | LP | 31/12/2025 | open | in hand")
    assert "actions" not in check_taf(carried, facts, held, NOW)


def test_a_meeting_before_the_last_one_held_is_refused(store: Engine) -> None:
    save_taf(store, user="P1", episode="E1", values=meeting(at="18/11/2026 10:00"), now=NOW)
    words = _refused(store, meeting(kind="review", at="17/11/2026 10:00"), "at")
    assert words == (
        "The last TAF meeting was held Wed 18 Nov 2026 10:00: "
        "a meeting cannot be recorded before it."
    )


@pytest.mark.parametrize("kind", ["universal_plus", "joint_work", "rhi"])
def test_a_taf_is_refused_on_an_episode_type_without_tafs(store: Engine, kind: str) -> None:
    with store.begin() as conn:
        conn.execute(text("UPDATE episode SET type = :kind WHERE ref = 'E1'"), {"kind": kind})
    words = _refused(store, meeting(), "")
    assert words.startswith("This is a ")
    assert words.endswith("episode: TAF meetings are held on an EHA or a step-down EHA only.")


def test_a_taf_on_a_step_down_eha_is_allowed(store: Engine) -> None:
    with store.begin() as conn:
        conn.execute(text("UPDATE episode SET type = 'step_down_eha' WHERE ref = 'E1'"))
    save_taf(store, user="P1", episode="E1", values=meeting(), now=NOW)
    assert len(meetings(store, "E1")) == 1


def test_radar_gathered_needs_the_familys_feedback(store: Engine) -> None:
    words = _refused(store, meeting(radar="yes", radar_feedback="  "), "radar_feedback")
    assert words == "Say what the family's RADAR feedback was."
    words = _refused(store, meeting(radar="no", radar_feedback="Happy"), "radar_feedback")
    assert "not gathered" in words
    save_taf(
        store,
        user="P1",
        episode="E1",
        values=meeting(radar="yes", radar_feedback=" Mum feels listened to. "),
        now=NOW,
    )
    (held,) = meetings(store, "E1")
    assert (held.radar_completed, held.radar_feedback) == (True, "Mum feels listened to.")


def test_progress_is_carried_and_the_plan_so_far_shows_it(store: Engine) -> None:
    save_taf(
        store,
        user="P1",
        episode="E1",
        values=meeting(
            at="02/11/2026 10:00",
            actions="Attendance plan | School | 18/12/2026 | open | 2 of 5 days missed\n"
            "Sleep | Mum | | done | settled by 8pm",
        ),
        now=NOW,
    )
    held = meetings(store, "E1")
    assert carried_actions(held) == (
        "Attendance plan | School | 18/12/2026 | open | 2 of 5 days missed"
    )
    assert plan_so_far(held).splitlines() == [
        "As the last meeting left it (Initial TAF, Mon 2 Nov 2026):",
        "• Attendance plan (School, by 18/12/2026): open, carried",
        "  Progress: 2 of 5 days missed",
        "• Sleep (Mum): done, not carried",
        "  Progress: settled by 8pm",
    ]
    assert plan_so_far([]) == "No plan yet: the initial TAF agrees it."
