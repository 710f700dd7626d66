"""Closing an episode: each refusal names its field and writes nothing; a closure is an
audited update checked against the version seen; a closed episode cannot close again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Episode
from ehtui.recording.closure import close_episode
from ehtui.unit_of_work import StaleRecord
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1 (an EHA): referral Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def closed_row(store: Engine) -> Any:
    t = Episode.__table__
    with store.connect() as conn:
        return conn.execute(select(t.c.closed, t.c.closure_reason, t.c.version)).one()


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"reason": "bored", "closed": "today"}, "reason", "Choose why the episode closes"),
        ({"reason": "plan_completed", "closed": "today"}, "reason", "ratified the plan"),
        ({"reason": "stepped_up_eha", "closed": "today"}, "reason", "Only Universal Plus"),
        ({"reason": "disengaged", "closed": "21/11/2026"}, "closed", "is in the future"),
        ({"reason": "disengaged", "closed": "1/1/2026"}, "closed", "before the episode's"),
    ],
)
def test_each_refusal_names_its_field(
    store: Engine, values: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as refused:
        close_episode(store, user="P1", episode="E1", values=values, now=NOW)
    (line,) = [p for p in refused.value.problems if p.startswith(f"{field}: ")]
    assert words in line
    assert closed_row(store)[:2] == (None, None)


def test_a_closure_is_an_audited_update_of_the_version_seen(store: Engine) -> None:
    version = closed_row(store).version
    with pytest.raises(StaleRecord):
        close_episode(
            store,
            user="P1",
            episode="E1",
            values={"reason": "moved_away", "closed": "today"},
            now=NOW,
            version=version + 1,
        )
    close_episode(
        store,
        user="P1",
        episode="E1",
        values={"reason": "moved_away", "closed": "19/11/2026"},
        now=NOW,
        version=version,
    )
    assert closed_row(store)[:2] == (date(2026, 11, 19), "moved_away")
    with store.connect() as conn:
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == "E1")
        ).all()
    assert audit[-1].action == "update" and audit[-1].changes["closure_reason"]["new"] == (
        "moved_away"
    )
    with pytest.raises(InputError, match="was closed on Thu 19 Nov 2026"):
        close_episode(
            store,
            user="P1",
            episode="E1",
            values={"reason": "disengaged", "closed": "today"},
            now=NOW,
        )
