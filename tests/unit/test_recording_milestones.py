"""Case milestones: which apply to which type, each refusal naming its field, only what
changed written, in one audited update."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Episode
from ehtui.recording.milestones import applying, current, save_milestones
from ehtui.unit_of_work import fetch, write
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1 (an EHA): referral Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def test_which_milestones_apply_to_which_type() -> None:
    assert [m.field for m in applying("universal_plus")] == [
        "extension_approved_until",
        "sessions_planned",
        "sessions_delivered",
    ]
    assert "stepdown_meeting" in {m.field for m in applying("step_down_eha")}
    assert "stepdown_meeting" not in {m.field for m in applying("eha")}
    assert applying("rhi") == ()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"eha_completed": "21/11/2026"}, "eha_completed", "is in the future"),
        ({"engagement_confirmed": "1/1/2026"}, "engagement_confirmed", "before the episode's"),
        ({"eha_completed": "someday"}, "eha_completed", ""),
    ],
)
def test_each_refusal_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    values = {**current(store, "E1", "eha"), **changes}
    with pytest.raises(InputError) as refused:
        save_milestones(store, user="P1", episode="E1", values=values, now=NOW)
    (line,) = [p for p in refused.value.problems if p.startswith(f"{field}: ")]
    assert words in line


def test_only_what_changed_is_written_and_audited(store: Engine) -> None:
    values = current(store, "E1", "eha")
    assert values["eha_completed"] == "" and values["doc_genogram"] is False
    changed = save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "eha_completed": "19/11/2026", "doc_genogram": True},
        now=NOW,
    )
    assert changed == ["eha_completed", "doc_genogram"]
    assert current(store, "E1", "eha")["eha_completed"] == "19/11/2026"
    with store.connect() as conn:
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == "E1")
        ).all()
    assert set(audit[-1].changes) >= {"eha_completed", "doc_genogram"}


def test_a_universal_plus_extension_is_capped_at_12_weeks(store: Engine) -> None:
    with write(store, "P1") as s:
        ep = fetch(s, Episode, "E1")
        ep.type, ep.allocated = "universal_plus", datetime(2026, 10, 1, 9, 0)
    values = current(store, "E1", "universal_plus")
    with pytest.raises(InputError, match="at most 12 weeks after allocation"):
        save_milestones(
            store,
            user="P1",
            episode="E1",
            values={**values, "extension_approved_until": "25/12/2026"},
            now=NOW,
        )
    with pytest.raises(InputError, match="More sessions delivered than the 6 planned"):
        save_milestones(
            store,
            user="P1",
            episode="E1",
            values={**values, "sessions_planned": "6", "sessions_delivered": "7"},
            now=NOW,
        )
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "extension_approved_until": "24/12/2026", "sessions_planned": "12"},
        now=NOW,
    )
    with store.connect() as conn:
        until = conn.execute(select(Episode.__table__.c.extension_approved_until)).scalar()
    assert until == date(2026, 12, 24)
