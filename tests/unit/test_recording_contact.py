"""Recording a contact: each check in plain words, nothing written on refusal, audited save,
finalising a draft note against the version seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact
from ehtui.recording.contact import check_contact, contact_log, finalise_contact, save_contact
from ehtui.recording.facts import episode_facts
from ehtui.unit_of_work import StaleRecord
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1's referral: Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def visit(**changes: Any) -> dict[str, Any]:
    values = {
        "method": "home_visit",
        "at": "today 10:30",
        "outcome": "completed",
        "children_seen": ["C1"],
        "children_seen_alone": [],
        "note": "Saw Tolu and mum.",
        "finalise": True,
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"method": None}, "method", "Choose how the contact was made"),
        ({"at": "21/11/2026 10:00"}, "at", "is in the future"),
        ({"at": "1/1/2026 10:00"}, "at", "before the episode's referral (Fri 2 Jan 2026)"),
        ({"at": "soon"}, "at", "has no time"),
        ({"outcome": "maybe"}, "outcome", "Choose the outcome"),
        ({"children_seen": ["C9"]}, "children_seen", "Only the episode's children"),
        ({"outcome": "no_answer"}, "children_seen", "Nobody is seen"),
        ({"children_seen": [], "children_seen_alone": ["C1"]}, "children_seen_alone", "also be"),
        ({"note": "  "}, "note", "Write what happened before finalising"),
        ({"note": "x" * 20_001}, "note", "under 20,000 characters"),
    ],
)
def test_each_check_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    problems = check_contact(visit(**changes), facts, NOW)
    assert words in problems[field]
    with pytest.raises(InputError) as refused:
        save_contact(store, user="P1", episode="E1", values=visit(**changes), now=NOW)
    assert any(p.startswith(f"{field}: ") for p in refused.value.problems)
    with store.connect() as conn:
        assert conn.execute(select(Contact.__table__)).all() == []


def test_a_blank_note_may_be_saved_as_a_draft_and_an_attempt_needs_none(store: Engine) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert check_contact(visit(note="", finalise=False), facts, NOW) == {}
    attempt = visit(outcome="no_answer", children_seen=[], note="", finalise=True)
    assert check_contact(attempt, facts, NOW) == {}


def test_a_saved_contact_is_audited_and_logged_newest_first(store: Engine) -> None:
    first = save_contact(
        store, user="P1", episode="E1", values=visit(at="19/11/2026 9:00"), now=NOW
    )
    draft = save_contact(
        store, user="P1", episode="E1", values=visit(finalise=False, method="telephone"), now=NOW
    )
    log = contact_log(store, "E1", NOW)
    assert [e.ref for e in log] == [draft, first]
    assert log[1].recorded_at == NOW and log[1].record_state is None
    assert log[0].recorded_at is None and log[0].seen == ("Tolu",)
    # 20 Nov 10:30 + 48 hours: due Sun 22 Nov 10:30, not yet within 12 hours at 15:00.
    assert log[0].record_state is None
    late = contact_log(store, "E1", datetime(2026, 11, 22, 0, 0))
    assert (late[0].record_state, str(late[0].record_due)) == ("due_soon", "2026-11-22 10:30:00")
    with store.connect() as conn:
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == draft)
        ).all()
    assert [(a.action, a.user) for a in audit] == [("insert", "P1")]
    assert audit[0].changes["method"] == {"old": None, "new": "telephone"}


def test_finalising_a_draft_checks_the_version_seen(store: Engine) -> None:
    draft = save_contact(store, user="P1", episode="E1", values=visit(finalise=False), now=NOW)
    later = datetime(2026, 11, 20, 16, 0)
    with pytest.raises(StaleRecord):
        finalise_contact(store, user="P1", contact=draft, version=7, now=later)
    finalise_contact(store, user="P1", contact=draft, version=1, now=later)
    (entry,) = contact_log(store, "E1", later)
    assert entry.recorded_at == later
    with pytest.raises(InputError, match="already finalised"):
        finalise_contact(store, user="P1", contact=draft, version=2, now=later)
