"""Allocation: the first starts the clocks, a re-allocation keeps them, the same lead or
an unknown practitioner is refused with nothing written."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import Episode, Practitioner
from ehtui.recording.allocation import allocate
from ehtui.unit_of_work import fetch, write
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0, 12, 345)


@pytest.fixture
def store(engine: Engine) -> Engine:
    seed_one_child_episode(engine)
    with write(engine, "P1") as s:
        s.add(Practitioner(ref="P2", name="Ben Ade", role="practitioner", hub="West"))
        fetch(s, Episode, "E1").lead = None
    return engine


def lead_and_moment(store: Engine) -> tuple[str | None, datetime | None]:
    t = Episode.__table__
    with store.connect() as conn:
        found = conn.execute(select(t.c.lead, t.c.allocated)).one()
    return found.lead, found.allocated


def test_first_allocation_starts_the_clocks_and_reallocation_keeps_them(store: Engine) -> None:
    assert allocate(store, user="P1", episode="E1", values={"lead": "P1"}, now=NOW) is True
    assert lead_and_moment(store) == ("P1", NOW.replace(microsecond=0))
    later = datetime(2026, 11, 27, 9, 0)
    assert allocate(store, user="P1", episode="E1", values={"lead": "P2"}, now=later) is False
    assert lead_and_moment(store) == ("P2", NOW.replace(microsecond=0))


@pytest.mark.parametrize(
    ("lead", "words"),
    [("", "lead: Choose the Lead Professional"), ("P9", "lead: there is no practitioner P9")],
)
def test_a_missing_or_unknown_lead_is_refused(store: Engine, lead: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        allocate(store, user="P1", episode="E1", values={"lead": lead}, now=NOW)
    assert lead_and_moment(store) == (None, None)


def test_the_same_lead_again_is_refused(store: Engine) -> None:
    allocate(store, user="P1", episode="E1", values={"lead": "P1"}, now=NOW)
    with pytest.raises(InputError, match="already hold"):
        allocate(store, user="P1", episode="E1", values={"lead": "P1"}, now=NOW)
