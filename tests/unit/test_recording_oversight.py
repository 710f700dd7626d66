"""Recording oversight (§26.1): each check names its field, nothing written on refusal,
an audited save by the person recording it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Oversight
from ehtui.recording.facts import episode_facts
from ehtui.recording.oversight import check_oversight, save_oversight
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1's referral: Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def decided(**changes: Any) -> dict[str, Any]:
    return {"kind": "supervision", "at": "today 11:00", "decision": "Carry on.", **changes}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"kind": "chat"}, "kind", "Choose the kind of oversight"),
        ({"at": "21/11/2026 10:00"}, "at", "is in the future"),
        ({"at": "1/1/2026 10:00"}, "at", "before the episode's referral"),
        ({"decision": "  "}, "decision", "Write the decision"),
        ({"decision": "x" * 20_001}, "decision", "under 20,000 characters"),
    ],
)
def test_each_check_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert words in check_oversight(decided(**changes), facts, NOW)[field]
    with pytest.raises(InputError) as refused:
        save_oversight(store, user="P1", episode="E1", values=decided(**changes), now=NOW)
    assert any(p.startswith(f"{field}: ") for p in refused.value.problems)
    with store.connect() as conn:
        assert conn.execute(select(Oversight.__table__)).all() == []


def test_a_saved_record_is_audited_and_signed_by_its_author(store: Engine) -> None:
    ref = save_oversight(
        store, user="P1", episode="E1", values=decided(kind="qa_sign_off"), now=NOW
    )
    with store.connect() as conn:
        (row,) = conn.execute(select(Oversight.__table__)).all()
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == ref)
        ).all()
    assert (row.kind, row.by, row.decision) == ("qa_sign_off", "P1", "Carry on.")
    assert row.at == datetime(2026, 11, 20, 11, 0)
    assert [(a.action, a.user) for a in audit] == [("insert", "P1")]
