"""Caseload (caps pro rata FTE, AP, Supporting Families lead; kinds of work; last
supervision; team and hub) and the supervision walk, on small hand-built stores."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ehtui.caseload import (
    caseload,
    record_walk_decision,
    supervision_walk,
    walk_summary_text,
)
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Oversight
from ehtui.rules import Level, State
from tests.unit.builders import (
    add_rows,
    store_child,
    store_episode,
    store_family,
    store_link,
    store_practitioner,
)

AS_OF = datetime(2026, 3, 9, 23, 59, 59)  # Monday


def case(n: int, lead: str | None, family: int | None = None, **changes: Any) -> list[Any]:
    """Episode E{n} led by ``lead`` for family F{family or n} (made once, with a child)."""
    fam = family if family is not None else n
    rows: list[Any] = []
    if family is None:
        rows += [store_family(f"F{fam}"), store_child(f"C{fam}", f"F{fam}")]
    rows += [
        store_episode(f"E{n}", f"F{fam}", lead=lead, **changes),
        store_link(f"E{n}", f"C{fam}"),
    ]
    return rows


def team(engine: Engine) -> None:
    rows: list[Any] = [
        store_practitioner("P0", name="Imran Shah", role="team_manager", grade=None),
        store_practitioner("P1", name="Deepa Morgan", fte=0.5, manager="P0"),
        store_practitioner("P2", name="Hannah Vance", role="advanced_practitioner", manager="P0"),
        store_practitioner("P3", name="Ben Osei", manager="P2"),  # P0's team through P2
        store_practitioner("P4", name="Fiona Mason", role="supporting_families_lead", manager="P0"),
        store_practitioner("P5", name="Sam South", hub="South"),
        store_practitioner("P6", name="Wes West", manager=None),  # in West, not in the team
    ]
    n = 0
    for _ in range(8):  # P1: 8 families at 0.5 FTE: over 7.5
        n += 1
        rows += case(n, "P1")
    for _ in range(11):  # P2: 11 families, an AP: over 10
        n += 1
        rows += case(n, "P2")
    for _ in range(5):  # P4: 5 EHA families over 4 ...
        n += 1
        rows += case(n, "P4")
    for _ in range(3):  # ... and Universal Plus work, which SF-LEAD-4 does not count
        n += 1
        rows += case(n, "P4", type="universal_plus")
    # P3: one of each kind of work; two episodes share a family; one closed
    rows += case(101, "P3")
    rows += case(102, "P3", family=101, type="rhi", allocated=datetime(2026, 3, 9, 9, 0))
    rows += case(103, "P3", type="step_down_eha", source="step_down_csc")
    rows += case(104, "P3", type="joint_work", source="osr", osr_request_form=date(2026, 1, 6))
    rows += case(105, "P3", type="universal_plus")
    rows += case(106, "P3", type="out_of_court", disposal="triage")
    rows += case(107, "P3", closed=date(2026, 2, 1), closure_reason="plan_completed")
    rows += case(108, "P3", referral_received=date(2026, 3, 20), allocated=None)  # later
    rows += case(200, "P5")
    rows.append(
        Oversight(ref="S1", episode="E101", at=datetime(2026, 2, 20, 10), kind="supervision")
    )
    rows.append(
        Oversight(ref="S2", episode="E107", at=datetime(2026, 2, 27, 10), kind="group_supervision")
    )
    rows.append(
        Oversight(ref="S3", episode="E103", at=datetime(2026, 3, 2, 10), kind="team_meeting")
    )
    rows.append(
        Oversight(ref="S4", episode="E103", at=datetime(2026, 3, 12, 10), kind="supervision")
    )
    add_rows(engine, *rows)


def rows_by_ref(engine: Engine, me: str = "P0", **kw: Any) -> dict[str, Any]:
    return {r.person.ref: r for r in caseload(engine, me, AS_OF, **kw).rows}


def test_team_is_everyone_under_me_down_the_line(engine: Engine) -> None:
    team(engine)
    load = caseload(engine, "P0", AS_OF)
    # nearest first (P0's direct reports by name), then P2's report
    assert [r.person.ref for r in load.rows] == ["P1", "P4", "P2", "P3"]
    assert load.me is not None and load.me.ref == "P0"  # a manager holding nothing: not a row


def test_half_time_practitioner_cap_is_pro_rata(engine: Engine) -> None:
    team(engine)
    row = rows_by_ref(engine)["P1"]
    assert (row.families, row.cap, row.rule, row.state) == (8, 7.5, "CASELOAD-15", State.OVER_LIMIT)
    assert row.load == pytest.approx(8 / 7.5)
    assert [f.rule for f in row.findings] == ["CASELOAD-15"]


def test_advanced_practitioner_cap_is_10(engine: Engine) -> None:
    team(engine)
    row = rows_by_ref(engine)["P2"]
    assert (row.families, row.cap, row.rule, row.state) == (
        11,
        10.0,
        "CASELOAD-AP-10",
        State.OVER_LIMIT,
    )
    # P2 line-manages one practitioner (P3): the engine's advice is on the row too
    assert {f.rule for f in row.findings} == {"CASELOAD-AP-10", "AP-SUPERVISES-2"}


def test_supporting_families_lead_counts_eha_families_against_4(engine: Engine) -> None:
    team(engine)
    row = rows_by_ref(engine)["P4"]
    assert (row.families, row.cap, row.rule, row.state) == (5, 4, "SF-LEAD-4", State.OVER_LIMIT)
    assert row.kinds == (("EHA/LP", 5), ("Universal Plus", 3))
    assert row.episodes == 8


def test_kinds_of_work_and_families_counted_once(engine: Engine) -> None:
    team(engine)
    row = rows_by_ref(engine)["P3"]
    assert row.kinds == (
        ("EHA/LP", 1),
        ("step-down EHA/LP", 1),
        ("LCS 0-19 requests", 1),
        ("Universal Plus", 1),
        ("out-of-court work", 1),
        ("Return Home Interviews", 1),
    )
    assert (row.episodes, row.families, row.cap, row.state) == (6, 5, 15.0, None)
    assert row.load == pytest.approx(5 / 15)


def test_last_supervision_is_the_latest_supervision_on_their_episodes(engine: Engine) -> None:
    team(engine)
    row = rows_by_ref(engine)["P3"]
    # S2 (group supervision on a closed episode of theirs) is the latest by the as-of
    # date; S3 is a team meeting, S4 comes after the as-of date
    assert row.last_supervision == datetime(2026, 2, 27, 10, 0)
    assert rows_by_ref(engine)["P1"].last_supervision is None


def test_overdue_and_due_soon_counts_are_the_tray_levels(engine: Engine) -> None:
    team(engine)
    walk = {c.episode: c.row.level for c in supervision_walk(engine, "P3", AS_OF)}
    row = rows_by_ref(engine)["P3"]
    overdue = sum(1 for lv in walk.values() if lv in (Level.OVERDUE, Level.CRITICALLY_OVERDUE))
    assert row.overdue_cases == overdue > 0
    assert row.due_soon_cases == sum(1 for lv in walk.values() if lv is Level.DUE_SOON)
    assert row.critical_cases == sum(1 for lv in walk.values() if lv is Level.CRITICALLY_OVERDUE)
    assert row.overdue_findings >= row.overdue_cases


def test_hub_scope_and_an_ap_sees_themself(engine: Engine) -> None:
    team(engine)
    hub = rows_by_ref(engine, scope="hub")
    assert set(hub) == {"P0", "P1", "P2", "P3", "P4", "P6"}  # West; not P5 (South)
    assert hub["P0"].cap is None and hub["P0"].load is None
    south = caseload(engine, "P0", AS_OF, scope="hub", hub="South")
    assert [r.person.ref for r in south.rows] == ["P5"]
    # an AP's team view starts with their own caseload (they hold a cap)
    assert [r.person.ref for r in caseload(engine, "P2", AS_OF).rows] == ["P2", "P3"]


def test_nobody_and_unknown_me(engine: Engine) -> None:
    team(engine)
    assert caseload(engine, None, AS_OF).rows == ()
    assert caseload(engine, "NOPE", AS_OF).rows == ()
    with pytest.raises(ValueError, match="scope"):
        caseload(engine, "P0", AS_OF, scope="borough")


# ------------------------------------------------------------------ supervision walk
def walk_store(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1", name="Ben Osei"),
        store_practitioner("P0", name="Imran Shah", role="team_manager"),
        # allocated 5 Jan, nothing done since: critically overdue by 9 Mar
        *case(1, "P1", engagement_confirmed=None),
        # allocated Fri 6 Mar: first contact due Tue 10 Mar, due soon on Mon 9 Mar
        *case(2, "P1", referral_received=date(2026, 3, 5), allocated=datetime(2026, 3, 6, 9)),
        # allocated Mon 9 Mar: nothing due soon yet
        *case(3, "P1", referral_received=date(2026, 3, 9), allocated=datetime(2026, 3, 9, 9)),
        Oversight(
            ref="S1",
            episode="E1",
            at=datetime(2026, 2, 2, 10),
            kind="supervision",
            by="P0",
            decision="Book the home visit this week.",
        ),
    )


def test_walk_is_worst_first_with_findings_clocks_and_last_decision(engine: Engine) -> None:
    walk_store(engine)
    walk = supervision_walk(engine, "P1", AS_OF)
    assert [(c.episode, c.row.level) for c in walk] == [
        ("E1", Level.CRITICALLY_OVERDUE),
        ("E2", Level.DUE_SOON),
        ("E3", Level.ON_TRACK),
    ]
    first = walk[0]
    assert ("EHA-CONTACT-2WD", State.OVERDUE, date(2026, 1, 7)) in [
        (f.rule, f.state, f.due) for f in first.findings
    ]
    assert "EHA-COMPLETE-6W" in [f.rule for f in first.clocks]
    assert first.last_decision is not None
    assert (first.last_decision.decision, first.last_decision.by_name) == (
        "Book the home visit this week.",
        "Imran Shah",
    )
    assert walk[2].findings == () and walk[2].clocks  # on track, clocks still running
    assert walk[1].last_decision is None


def test_record_decision_writes_an_audited_supervision_record(engine: Engine) -> None:
    walk_store(engine)
    at = datetime(2026, 3, 9, 14, 0)
    made = record_walk_decision(engine, "P0", "E1", "  Step up to MASH today. ", at, now=AS_OF)
    assert (made.episode, made.family_name, made.type_label, made.decision, made.by) == (
        "E1",
        "Okafor",
        "EHA",
        "Step up to MASH today.",
        "P0",
    )
    walk = supervision_walk(engine, "P1", AS_OF)
    note = walk[0].last_decision
    assert note is not None and (note.ref, note.at, note.by) == (made.ref, at, "P0")
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        logged = conn.execute(
            select(audit.c.user, audit.c.action, audit.c.table).where(audit.c.record == made.ref)
        ).all()
    assert [tuple(r) for r in logged] == [("P0", "insert", "oversight")]


def test_bad_decisions_are_refused_and_nothing_saved(engine: Engine) -> None:
    walk_store(engine)
    with pytest.raises(InputError) as refused:
        record_walk_decision(
            engine, "P0", "E1", "   ", datetime(2026, 3, 10, 9), kind="desk_discussion", now=AS_OF
        )
    assert refused.value.problems == [
        "decision: write the decision made in supervision",
        "kind: 'desk_discussion' is not Systemic group supervision or Supervision",
        "at: Tue 10 Mar 2026 09:00 is in the future",
    ]
    with pytest.raises(InputError, match="episode: no episode with ref 'E9'"):
        record_walk_decision(engine, "P0", "E9", "ok", datetime(2026, 3, 9), now=AS_OF)
    with pytest.raises(InputError, match="before the episode's referral"):
        record_walk_decision(engine, "P0", "E2", "ok", datetime(2026, 3, 1, 9), now=AS_OF)
    table = Oversight.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar() == 1


def test_walk_summary_text(engine: Engine) -> None:
    walk_store(engine)
    first = record_walk_decision(
        engine, "P0", "E1", "Step up to MASH.\nTell school.", datetime(2026, 3, 9, 14), now=AS_OF
    )
    second = record_walk_decision(
        engine, "P0", "E2", "Visit \x1b[2J booked.", datetime(2026, 3, 9, 14, 5), now=AS_OF
    )
    text = walk_summary_text([first, second], practitioner="Ben Osei", supervisor="Imran Shah")
    assert text == (
        "Supervision of Ben Osei by Imran Shah, Mon 9 Mar 2026\n"
        "2 case(s) discussed:\n"
        "\n"
        "1. Okafor family, EHA E1 (Supervision, 14:00)\n"
        "   Step up to MASH.\n"
        "   Tell school.\n"
        "2. Okafor family, EHA E2 (Supervision, 14:05)\n"
        "   Visit \\x1b[2J booked.\n"
    )
    assert walk_summary_text([]) == "No supervision decisions were recorded in this sitting.\n"
