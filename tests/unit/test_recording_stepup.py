"""Stepping up: the route from the family's last CSC closure, the date checked, a closed
episode refused, an EHA closed as stepped up to CSC in one audited update."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import Episode, Family
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


def test_a_future_date_or_a_closed_episode_is_refused(store: Engine) -> None:
    with pytest.raises(InputError, match=r"on: .*future"):
        step_up(store, user="P1", episode="E1", values={"on": "23/11/2026"}, now=NOW)
    assert step_up(store, user="P1", episode="E1", values={"on": "today"}, now=NOW) is None
    with store.connect() as conn:
        row = conn.execute(select(Episode.__table__)).one()
    assert (row.closed, row.closure_reason) == (NOW.date(), "step_up_csc")
    with pytest.raises(InputError, match="was closed on Fri 20 Nov 2026"):
        step_up(store, user="P1", episode="E1", values={"on": "today"}, now=NOW)
