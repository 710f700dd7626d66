"""Case milestones: which apply to which type (and source), each refusal naming its field,
only what changed written, in one audited update, and the rules recomputed from it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Episode
from ehtui.recording.milestones import applying, current, save_milestones
from ehtui.rules import DEFAULT_TABLE, evaluate_store
from ehtui.unit_of_work import fetch, write
from tests.unit.builders import add_rows, seed_one_child_episode, store_contact

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
    assert [m.field for m in applying("rhi")] == ["rhi_interview", "qa_completed"]
    assert [m.field for m in applying("out_of_court")] == ["assessment_completed"]
    assert "osr_request_form" not in {m.field for m in applying("joint_work", "mash")}
    assert "osr_request_form" in {m.field for m in applying("joint_work", "osr")}
    assert "osr_request_form" in {m.field for m in applying("eha", "osr")}  # by source alone
    agreed = {t for t in DEFAULT_TABLE.rules["CONTACT-FREQUENCY"].types}
    assert (
        {t for t in agreed if "agreed_contacts_per_4_weeks" in {m.field for m in applying(t)}}
        == agreed
        == {"eha", "step_down_eha"}
    )


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


def rules_now(store: Engine, rule: str, as_of: datetime = NOW) -> list[str]:
    return [f.message for f in evaluate_store(store, as_of, episodes=["E1"]) if f.rule == rule]


def become(store: Engine, **changes: Any) -> None:
    with write(store, "P1") as s:
        ep = fetch(s, Episode, "E1")
        for name, value in changes.items():
            setattr(ep, name, value)


def test_an_out_of_court_assessment_meets_its_clock(store: Engine) -> None:
    # Allocated Mon 2 Nov 2026: assessment due Mon 16 Nov; overdue on Fri 20 Nov.
    become(store, type="out_of_court", disposal="triage", allocated=datetime(2026, 11, 2, 9, 0))
    assert rules_now(store, "OOC-ASSESS-2W") == [
        "Out-of-court assessment not completed: was due Mon 16 Nov 2026"
    ]
    values = current(store, "E1", "out_of_court")
    assert values == {"assessment_completed": ""}
    with pytest.raises(InputError, match=r"assessment_completed: .* is in the future"):
        save_milestones(
            store,
            user="P1",
            episode="E1",
            values={"assessment_completed": "today 16:00"},
            now=NOW,
        )
    changed = save_milestones(
        store, user="P1", episode="E1", values={"assessment_completed": "13/11/2026"}, now=NOW
    )
    assert changed == ["assessment_completed"]
    with store.connect() as conn:
        kept = conn.execute(select(Episode.__table__.c.assessment_completed)).scalar()
    assert kept == "2026-11-13"  # a date alone, as the interchange keeps it
    assert current(store, "E1", "out_of_court") == {"assessment_completed": "13/11/2026"}
    assert rules_now(store, "OOC-ASSESS-2W") == []  # met on Fri 13 Nov, before Mon 16 Nov


def test_a_return_home_interview_and_its_qa_count_hours(store: Engine) -> None:
    # Allocated Tue 17 Nov 2026 10:00: interview and QA due Fri 20 Nov 10:00.
    become(store, type="rhi", allocated=datetime(2026, 11, 17, 10, 0))
    assert rules_now(store, "RHI-72H")  # overdue at 15:00 on Fri 20 Nov
    for values, field, words in [
        ({"rhi_interview": "19/11/2026"}, "rhi_interview", "needs its time too"),
        ({"rhi_interview": "today 16:00"}, "rhi_interview", "is in the future"),
        ({"qa_completed": "19/11 09:00"}, "qa_completed", "Record the interview held"),
        (
            {"rhi_interview": "19/11 09:00", "qa_completed": "18/11 17:00"},
            "qa_completed",
            "The QA comes after the interview (Thu 19 Nov 2026 09:00)",
        ),
        ({"qa_completed": "19/11 25:00", "rhi_interview": "19/11 9:00"}, "qa_completed", "time"),
    ]:
        with pytest.raises(InputError) as refused:
            save_milestones(store, user="P1", episode="E1", values=values, now=NOW)
        assert any(p.startswith(f"{field}: ") and words in p for p in refused.value.problems)
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={"rhi_interview": "18/11 14:00", "qa_completed": "today 09:30"},
        now=NOW,
    )
    with store.connect() as conn:
        row = conn.execute(select(Episode.__table__)).one()
    assert (row.assessment_completed, row.qa_completed) == (
        "2026-11-18T14:00:00",
        "2026-11-20T09:30:00",
    )
    assert rules_now(store, "RHI-72H") == []  # both by Fri 20 Nov 10:00
    assert current(store, "E1", "rhi") == {
        "rhi_interview": "18/11/2026 14:00",
        "qa_completed": "20/11/2026 09:30",
    }
    # The QA at 11:00 instead: met, but late (after the 72 hours).
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={"rhi_interview": "18/11 14:00", "qa_completed": "today 11:00"},
        now=NOW,
    )
    (late,) = [f for f in evaluate_store(store, NOW, episodes=["E1"]) if f.rule == "RHI-72H"]
    assert late.state == "late"


def test_an_imported_date_alone_is_kept_until_changed(store: Engine) -> None:
    become(
        store,
        type="rhi",
        allocated=datetime(2026, 11, 17, 10, 0),
        assessment_completed="2026-11-18",
    )
    values = current(store, "E1", "rhi")
    assert values["rhi_interview"] == "18/11/2026"
    assert save_milestones(store, user="P1", episode="E1", values=values, now=NOW) == []


def test_a_time_left_as_shown_keeps_its_seconds(store: Engine) -> None:
    """An imported interview at 14:00:45 is shown as 14:00; saving the form unchanged
    keeps the stored moment (no change, nothing audited); a new time replaces it."""
    become(
        store,
        type="rhi",
        allocated=datetime(2026, 11, 17, 10, 0),
        assessment_completed="2026-11-18T14:00:45",
    )
    values = current(store, "E1", "rhi")
    assert values["rhi_interview"] == "18/11/2026 14:00"
    assert save_milestones(store, user="P1", episode="E1", values=values, now=NOW) == []
    with store.connect() as conn:
        assert conn.execute(select(Episode.__table__.c.assessment_completed)).scalar() == (
            "2026-11-18T14:00:45"
        )
    changed = save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "rhi_interview": "18/11/2026 14:01"},
        now=NOW,
    )
    assert changed == ["rhi_interview"]
    with store.connect() as conn:
        assert conn.execute(select(Episode.__table__.c.assessment_completed)).scalar() == (
            "2026-11-18T14:01:00"
        )


def test_the_osr_request_form_follows_the_source(store: Engine) -> None:
    become(store, type="joint_work", source="osr", allocated=datetime(2026, 11, 16, 9, 0))
    values = current(store, "E1", "joint_work", "osr")
    assert set(values) == {"sessions_planned", "sessions_delivered", "osr_request_form"}
    with pytest.raises(InputError, match=r"osr_request_form: .* is not a date"):
        save_milestones(
            store, user="P1", episode="E1", values={**values, "osr_request_form": "x"}, now=NOW
        )
    assert save_milestones(
        store, user="P1", episode="E1", values={**values, "osr_request_form": "17/11"}, now=NOW
    ) == ["osr_request_form"]
    with store.connect() as conn:
        sent = conn.execute(select(Episode.__table__.c.osr_request_form)).scalar()
    assert sent == date(2026, 11, 17)


def test_the_agreed_contact_frequency_drives_contact_frequency(store: Engine) -> None:
    # Allocated Mon 5 Oct 2026: on Fri 20 Nov it is month 2, whose guide asks for 4
    # completed contacts in 28 days; two were made (Tue 10 and Tue 17 Nov).
    become(store, allocated=datetime(2026, 10, 5, 9, 30))
    add_rows(
        store,
        store_contact("K1", "E1", "2026-11-10T10:00"),
        store_contact("K2", "E1", "2026-11-17T10:00"),
    )
    assert rules_now(store, "CONTACT-FREQUENCY") == [
        "2 completed contacts in the last 28 days; the phased guide's month-2 minimum is 4"
    ]
    values = current(store, "E1", "eha")
    for typed, words in [("0", "between 1 and 20"), ("21", "between 1 and 20"), ("2x", "whole")]:
        with pytest.raises(InputError) as refused:
            save_milestones(
                store,
                user="P1",
                episode="E1",
                values={**values, "agreed_contacts_per_4_weeks": typed},
                now=NOW,
            )
        (line,) = refused.value.problems
        assert line.startswith("agreed_contacts_per_4_weeks: Contacts agreed is")
        assert words in line
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "agreed_contacts_per_4_weeks": "2"},
        now=NOW,
    )
    assert rules_now(store, "CONTACT-FREQUENCY") == []  # the plan agrees 2: met
    with store.connect() as conn:
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == "E1")
        ).all()
    assert audit[-1].changes["agreed_contacts_per_4_weeks"] is not None
