"""Stepping up: the route from the family's last CSC closure, the date checked, a closed
episode refused, an EHA closed as stepped up to CSC in one audited update with its
reasons kept as an oversight record; joint work refused; the closure's checks apply."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import Contact, Episode, Family, Oversight
from ehtui.recording.facts import episode_facts
from ehtui.recording.stepup import step_up, step_up_plan
from ehtui.unit_of_work import fetch, write
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # a Friday; E1 (an EHA): referral Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("team", "closed", "destination"),
    [
        ("dats", date(2026, 10, 9), "DATs"),  # 6 weeks before Fri 20 Nov: back to DATs
        ("dats", date(2026, 10, 8), "MASH"),
        ("i_and_p", date(2026, 8, 20), "I&P"),  # 3 months before
        ("i_and_p", date(2026, 8, 19), "MASH"),
        (None, None, "MASH"),
    ],
)
def test_the_route_follows_the_last_csc_closure(
    store: Engine, team: str | None, closed: date | None, destination: str
) -> None:
    with write(store, "P1") as s:
        family = fetch(s, Family, "F1")
        family.last_csc_closure_team, family.last_csc_closure_date = team, closed
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    plan = step_up_plan(store, facts, NOW)
    assert plan.route is not None and plan.route.destination == destination
    assert not plan.to_eha
    assert (plan.panel, plan.transfer.meeting) == (date(2026, 11, 24), date(2026, 11, 25))


REASONS = "Dad's drinking worse; Tolu hurt at home."


def test_a_back_dated_step_up_goes_where_it_went_that_day(store: Engine) -> None:
    """DATs closed the family Thu 1 Oct: a step-up today (Fri 20 Nov) is past their 6
    weeks and goes to the MASH, but one dated Tue 10 Nov was within them: back to DATs,
    as the plan for that day shows and the record kept says."""
    with write(store, "P1") as s:
        family = fetch(s, Family, "F1")
        family.last_csc_closure_team, family.last_csc_closure_date = "dats", date(2026, 10, 1)
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    plan = step_up_plan(store, facts, NOW)
    assert plan.route is not None and plan.route.destination == "MASH"
    routed = plan.route_on(date(2026, 11, 10))
    assert routed is not None and routed.destination == "DATs"
    step_up(
        store, user="P1", episode="E1", values={"on": "10/11/2026", "reasons": REASONS}, now=NOW
    )
    with store.connect() as conn:
        (kept,) = conn.execute(select(Oversight.__table__)).all()
    assert kept.decision.startswith("Stepped up to Children's Social Care: DATs (closed by DATs")


def test_a_future_date_or_a_closed_episode_is_refused(store: Engine) -> None:
    with pytest.raises(InputError, match=r"on: .*future"):
        step_up(
            store,
            user="P1",
            episode="E1",
            values={"on": "23/11/2026", "reasons": REASONS},
            now=NOW,
        )
    values = {"on": "today", "reasons": f"  {REASONS}\n"}
    assert step_up(store, user="P1", episode="E1", values=values, now=NOW) is None
    with store.connect() as conn:
        row = conn.execute(select(Episode.__table__)).one()
        (kept,) = conn.execute(select(Oversight.__table__)).all()
    assert (row.closed, row.closure_reason) == (NOW.date(), "step_up_csc")
    # The reasons (§12.7) and where it went, as a desk discussion at the step-up.
    assert (kept.episode, kept.at, kept.kind, kept.by) == ("E1", NOW, "desk_discussion", "P1")
    assert kept.decision == (
        "Stepped up to Children's Social Care: MASH (no recent Children's Social Care closure: "
        f"the MASH decides). Reasons: {REASONS}"
    )
    with pytest.raises(InputError, match="was closed on Fri 20 Nov 2026"):
        step_up(store, user="P1", episode="E1", values=values, now=NOW)


def refusal(store: Engine, values: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as refused:
        step_up(store, user="P1", episode="E1", values=values, now=NOW)
    with store.connect() as conn:
        assert conn.execute(select(Episode.__table__.c.closed)).scalar_one() is None
        assert conn.execute(select(Oversight.__table__)).all() == []
    return refused.value.problems


def test_the_reasons_are_required(store: Engine) -> None:
    assert refusal(store, {"on": "today", "reasons": " \n "}) == [
        "reasons: Write why the work steps up: what has changed, what the worry is."
    ]


def test_joint_work_is_not_stepped_up(store: Engine) -> None:
    with write(store, "P1") as s:
        fetch(s, Episode, "E1").type = "joint_work"
    (line,) = refusal(store, {"on": "today", "reasons": REASONS})
    assert line.startswith("Joint work is not stepped up") and "§16.2" in line


@pytest.mark.parametrize("type_", ["step_down_eha", "out_of_court", "rhi"])
def test_other_work_steps_up_to_csc(store: Engine, type_: str) -> None:
    with write(store, "P1") as s:
        fetch(s, Episode, "E1").type = type_
    values = {"on": "today", "reasons": REASONS}
    assert step_up(store, user="P1", episode="E1", values=values, now=NOW) is None
    with store.connect() as conn:
        row = conn.execute(select(Episode.__table__)).one()
    assert (row.closed, row.closure_reason) == (NOW.date(), "step_up_csc")


def test_a_step_up_has_the_closure_checks(store: Engine) -> None:
    # A home visit on Tue 10 Nov 10:00 with its note in draft.
    with write(store, "P1") as s:
        s.add(
            Contact(
                ref="K1",
                episode="E1",
                at=datetime(2026, 11, 10, 10, 0),
                method="home_visit",
                outcome="completed",
            )
        )
    assert refusal(store, {"on": "09/11/2026", "reasons": REASONS}) == [
        "on: Mon 9 Nov 2026 is before the latest contact (Tue 10 Nov 2026 10:00)"
    ]
    assert refusal(store, {"on": "today", "reasons": REASONS}) == [
        "on: Finalise the 1 draft note first (contact log: n, then tab to the list, f on it)."
    ]
