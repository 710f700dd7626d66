"""Case milestones: which apply to which type (and source), each refusal naming its field,
only what changed written, in one audited update, and the rules recomputed from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.calendar import Span, Unit
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Episode
from ehtui.recording.facts import episode_facts
from ehtui.recording.milestones import (
    applying,
    current,
    extension_problem,
    extension_words,
    save_milestones,
    session_caps,
)
from ehtui.rules import DEFAULT_TABLE, RuleTable, evaluate_store, upcoming
from ehtui.rules.model import EpisodeSnap
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
    assert [m.field for m in applying("joint_work")] == [
        "joint_extension_until",
        "sessions_planned",
        "sessions_delivered",
    ]
    assert "stepdown_meeting" in {m.field for m in applying("step_down_eha")}
    # Each type with an extension keeps it in the one column the rules read.
    assert {m.field: m.store for m in applying("step_down_eha") if m.kind == "ahead"} == {
        "stepdown_extension_until": "extension_approved_until"
    }
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
    # Allocated Thu 1 Oct 2026: 6 weeks end Thu 12 Nov, 12 weeks Thu 24 Dec 2026.
    with write(store, "P1") as s:
        ep = fetch(s, Episode, "E1")
        ep.type, ep.allocated = "universal_plus", datetime(2026, 10, 1, 9, 0)
    values = current(store, "E1", "universal_plus")
    for typed, words in [
        ("25/12/2026", "at most 12 weeks after allocation (Thu 24 Dec 2026): step up"),
        ("12/11/2026", "ends after Thu 12 Nov 2026 (6 weeks after allocation)"),
        ("01/10/2026", "ends after Thu 12 Nov 2026 (6 weeks after allocation)"),
    ]:
        line = refusal(store, {**values, "extension_approved_until": typed})
        assert line.startswith("extension_approved_until: ") and words in line
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
    save_milestones(  # the day after the 6 weeks: the shortest extension there is
        store,
        user="P1",
        episode="E1",
        values={**values, "extension_approved_until": "13/11/2026"},
        now=NOW,
    )


def test_an_extension_approved_under_other_limits_does_not_block_other_saves(
    store: Engine,
) -> None:
    """An extension to Thu 5 Nov (5 weeks: imported, or approved before the limits moved)
    is kept as it is while the sessions are updated; typed anew, it is checked."""
    become(
        store,
        type="universal_plus",
        allocated=datetime(2026, 10, 1, 9, 0),
        extension_approved_until=date(2026, 11, 5),
    )
    values = current(store, "E1", "universal_plus")
    assert values["extension_approved_until"] == "05/11/2026"
    changed = save_milestones(
        store, user="P1", episode="E1", values={**values, "sessions_delivered": "4"}, now=NOW
    )
    assert changed == ["sessions_delivered"]
    assert "6 weeks after allocation" in refusal(
        store, {**values, "extension_approved_until": "06/11/2026"}
    )


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
    assert set(values) == {
        "joint_extension_until",
        "sessions_planned",
        "sessions_delivered",
        "osr_request_form",
    }
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
        line = refusal(store, {**values, "agreed_contacts_per_4_weeks": typed})
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


# --- step-down, extensions and sessions (issue 5 item 5) ---------------------------------


def refusal(store: Engine, values: dict[str, Any], table: RuleTable = DEFAULT_TABLE) -> str:
    """The one problem saving ``values`` meets ("field: words")."""
    with pytest.raises(InputError) as refused:
        save_milestones(store, user="P1", episode="E1", values=values, now=NOW, table=table)
    (line,) = refused.value.problems
    return line


def clock_due(store: Engine, rule: str) -> date | None:
    """The due date of ``rule``'s running clock on E1 (the case view's "ahead")."""
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    due = [f.due for f in upcoming(facts.snap, NOW) if f.rule == rule]
    return due[0] if due else None


def test_a_step_down_extension_moves_its_6_months(store: Engine) -> None:
    # Allocated Fri 23 Oct 2026: STEPDOWN-6M runs to Fri 23 Apr 2027.
    become(store, type="step_down_eha", allocated=datetime(2026, 10, 23, 9, 0))
    values = current(store, "E1", "step_down_eha")
    assert values["stepdown_extension_until"] == ""
    assert clock_due(store, "STEPDOWN-6M") == date(2027, 4, 23)
    for typed in ("23/04/2027", "01/02/2027"):  # on or before the 6 months: it would shorten
        assert refusal(store, {**values, "stepdown_extension_until": typed}) == (
            "stepdown_extension_until: The extension ends after Fri 23 Apr 2027 (6 months "
            "after allocation), when the work ends without one: an earlier date would "
            "shorten it."
        )
    assert save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "stepdown_extension_until": "30/06/2027"},
        now=NOW,
    ) == ["stepdown_extension_until"]
    with store.connect() as conn:
        until = conn.execute(select(Episode.__table__.c.extension_approved_until)).scalar()
    assert until == date(2027, 6, 30)
    assert current(store, "E1", "step_down_eha")["stepdown_extension_until"] == "30/06/2027"
    assert clock_due(store, "STEPDOWN-6M") == date(2027, 6, 30)  # the clock has moved
    # No 12-week cap for step-down (that is Universal Plus's): a year on is allowed.
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "stepdown_extension_until": "22/10/2027"},
        now=NOW,
    )


def test_a_joint_work_extension_lifts_the_sessions_to_12(store: Engine) -> None:
    # Allocated Mon 16 Nov 2026; 8 sessions delivered of 8 planned.
    become(store, type="joint_work", allocated=datetime(2026, 11, 16, 9, 0))
    values = {
        **current(store, "E1", "joint_work"),
        "sessions_planned": "8",
        "sessions_delivered": "8",
    }
    assert refusal(store, {**values, "joint_extension_until": "16/11/2026"}) == (
        "joint_extension_until: The extension ends after the allocation (Mon 16 Nov 2026)."
    )
    save_milestones(store, user="P1", episode="E1", values=values, now=NOW)  # 8, no extension
    assert rules_now(store, "JOINT-6-SESSIONS") == [
        "8 sessions delivered without an extension (limit 6)"
    ]
    save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "joint_extension_until": "31/03/2027"},
        now=NOW,
    )
    assert rules_now(store, "JOINT-6-SESSIONS") == []  # extended: 8 of 12


def test_the_extension_limits_are_the_rule_tables() -> None:
    """A settings file's spans move the form's bounds: UP-6W 8 weeks, UP-12W-MAX 10 weeks,
    STEPDOWN-6M 9 months (allocated Thu 1 Oct 2026)."""
    table = DEFAULT_TABLE.with_overrides(
        {
            "UP-6W": {"due": Span(8, Unit.WEEKS)},
            "UP-12W-MAX": {"due": Span(10, Unit.WEEKS)},
            "STEPDOWN-6M": {"due": Span(9, Unit.MONTHS)},
        }
    )
    up = snap_of("universal_plus", allocated=datetime(2026, 10, 1, 9, 0))
    assert extension_problem(date(2026, 12, 24), up) is None  # 12 weeks: the default allows
    assert extension_problem(date(2026, 12, 24), up, table) == (
        "Universal Plus ends at most 10 weeks after allocation (Thu 10 Dec 2026): "
        "step up to an EHA instead."
    )
    assert "ends after Thu 26 Nov 2026 (8 weeks" in str(
        extension_problem(date(2026, 11, 20), up, table)
    )
    assert extension_problem(date(2026, 12, 10), up, table) is None
    step_down = snap_of("step_down_eha", allocated=datetime(2026, 10, 1, 9, 0))
    assert extension_problem(date(2027, 5, 1), step_down) is None  # past 6 months
    assert "ends after Thu 1 Jul 2027 (9 months" in str(
        extension_problem(date(2027, 5, 1), step_down, table)
    )
    assert extension_words(up, table) == (
        "after Thu 26 Nov 2026 (8 weeks), by Thu 10 Dec 2026 (10 weeks)"
    )
    assert extension_problem(date(2026, 12, 1), snap_of("universal_plus")) == (
        "Allocate the episode before extending it."
    )


def test_the_settings_table_reaches_the_save(store: Engine) -> None:
    become(store, type="universal_plus", allocated=datetime(2026, 10, 1, 9, 0))
    table = DEFAULT_TABLE.with_overrides({"UP-12W-MAX": {"due": Span(10, Unit.WEEKS)}})
    values = {**current(store, "E1", "universal_plus"), "extension_approved_until": "24/12/2026"}
    assert "at most 10 weeks after allocation (Thu 10 Dec 2026)" in refusal(store, values, table)


@pytest.mark.parametrize(
    ("kind", "changes", "field", "words"),
    [
        # Consultation Mon 19 Oct 2026, the meeting Fri 16 Oct: before it.
        (
            "step_down_eha",
            {"stepdown_consultation": "19/10/2026", "stepdown_meeting": "16/10/2026"},
            "stepdown_meeting",
            "The step-down meeting is on or after the consultation (Mon 19 Oct 2026)",
        ),
        # Engagement confirmed Tue 10 Mar 2026, EHA completed Sun 1 Mar: before it.
        (
            "eha",
            {"engagement_confirmed": "10/03/2026", "eha_completed": "01/03/2026"},
            "eha_completed",
            "EHA completed is on or after engagement confirmed (Tue 10 Mar 2026)",
        ),
        (
            "step_down_eha",
            {"engagement_confirmed": "10/03/2026", "eha_completed": "09/03/2026"},
            "eha_completed",
            "(Tue 10 Mar 2026)",
        ),
        # A consultation is never ahead (Fri 20 Nov 2026 is today).
        (
            "step_down_eha",
            {"stepdown_consultation": "21/11/2026"},
            "stepdown_consultation",
            "Sat 21 Nov 2026 is in the future.",
        ),
    ],
)
def test_dates_in_their_order(
    store: Engine, kind: str, changes: dict[str, Any], field: str, words: str
) -> None:
    become(store, type=kind, allocated=datetime(2026, 1, 5, 9, 0))
    line = refusal(store, {**current(store, "E1", kind), **changes})
    assert line.startswith(f"{field}: ") and words in line


def test_the_same_day_is_in_order(store: Engine) -> None:
    become(store, type="step_down_eha", allocated=datetime(2026, 1, 5, 9, 0))
    values = {
        **current(store, "E1", "step_down_eha"),
        "engagement_confirmed": "10/03/2026",
        "eha_completed": "10/03/2026",
        "stepdown_consultation": "19/10/2026",
        "stepdown_meeting": "19/10/2026",
    }
    assert len(save_milestones(store, user="P1", episode="E1", values=values, now=NOW)) == 4


def test_the_step_down_consultation_and_meeting_may_predate_the_referral(store: Engine) -> None:
    # Referral Fri 2 Jan 2026: consultation Mon 29 Dec 2025, meeting Wed 31 Dec 2025
    # (both before the transfer, §13.1, §13.4). Engagement confirmed on 29 Dec is not.
    become(store, type="step_down_eha", allocated=datetime(2026, 1, 5, 9, 0))
    values = current(store, "E1", "step_down_eha")
    assert save_milestones(
        store,
        user="P1",
        episode="E1",
        values={**values, "stepdown_consultation": "29/12/2025", "stepdown_meeting": "31/12/2025"},
        now=NOW,
    ) == ["stepdown_consultation", "stepdown_meeting"]
    assert "before the episode's referral" in refusal(
        store, {**current(store, "E1", "step_down_eha"), "engagement_confirmed": "29/12/2025"}
    )


def test_session_counts_are_facts_shown_against_their_cap(store: Engine) -> None:
    """Universal Plus allocated Thu 1 Oct 2026: 13 delivered of 12 planned with an extension
    to Thu 24 Dec is recorded; UP-SESSIONS-6 finds it over the limit (12), and the form's
    side says so, and that more were delivered than planned."""
    become(store, type="universal_plus", allocated=datetime(2026, 10, 1, 9, 0))
    values = {
        **current(store, "E1", "universal_plus"),
        "extension_approved_until": "24/12/2026",
        "sessions_planned": "12",
        "sessions_delivered": "13",
    }
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert session_caps(values, facts, NOW) == [
        "UP-SESSIONS-6: 13 sessions delivered (limit 12): over the limit",
        "13 delivered, more than the 12 planned.",
    ]
    save_milestones(store, user="P1", episode="E1", values=values, now=NOW)
    assert rules_now(store, "UP-SESSIONS-6") == ["13 sessions delivered (limit 12)"]
    # Within the cap: the count against it; unextended, the 6 and what an extension allows.
    within = {**values, "sessions_delivered": "5"}
    assert session_caps(within, facts, NOW) == [
        "UP-SESSIONS-6: 5 of 12 sessions delivered (extended)"
    ]
    assert session_caps({**within, "extension_approved_until": ""}, facts, NOW) == [
        "UP-SESSIONS-6: 5 of 6 sessions delivered (12 with an extension)"
    ]
    assert session_caps({**within, "sessions_delivered": ""}, facts, NOW) == [
        "UP-SESSIONS-6: sessions delivered not recorded (limit 6, 12 extended)"
    ]
    assert session_caps({}, replace(facts, snap=replace(facts.snap, type="eha")), NOW) == []


def snap_of(kind: str, allocated: datetime | None = None) -> Any:
    """A bare episode of ``kind`` (referral Fri 2 Jan 2026) for the pure checks."""
    from ehtui.rules.model import FamilySnap

    family = FamilySnap("F1", "O", None, None, None, ())
    return EpisodeSnap("E1", family, kind, None, "West", "P1", "mash", date(2026, 1, 2), allocated)
