"""The OSR rota: per hub and ISO week, the lead responder and the cases accepted out
of 3, the engine's findings, and naming a responder (H or I grade only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, OsrRota
from ehtui.osr import assign_responder, osr_rota, week_monday
from ehtui.rules import evaluate_store
from tests.unit.builders import (
    add_rows,
    store_child,
    store_episode,
    store_family,
    store_practitioner,
)

AS_OF = datetime(2026, 3, 11, 23, 59, 59)  # Wednesday of 2026-W11


def osr_case(n: int, hub: str, allocated: datetime, **changes: Any) -> list[Any]:
    return [
        store_family(f"F{n}", name=f"Family{n}"),
        store_child(f"C{n}", f"F{n}"),
        store_episode(
            f"E{n}",
            f"F{n}",
            **{
                "type": "joint_work",
                "source": "osr",
                "hub": hub,
                "referral_received": allocated.date(),
                "allocated": allocated,
                "osr_request_form": allocated.date(),
                **changes,
            },
        ),
    ]


def build(engine: Engine) -> None:
    rows: list[Any] = [
        store_practitioner("P1", name="Harriet H", grade="H"),
        store_practitioner("P2", name="Ian I", grade="I", hub="South"),
        store_practitioner("P3", name="Gina G", grade="G"),
        store_practitioner("P4", name="No Grade", grade=None),
        # the West Hub Team Manager names West's responders (OSR §4.3-4.4)
        store_practitioner("P9", name="Tess Manager", role="team_manager", grade=None),
        store_practitioner("P10", name="Sol Manager", role="team_manager", grade=None, hub="South"),
        store_practitioner("P11", name="Ava Advanced", role="advanced_practitioner", grade="I"),
        OsrRota(hub="West", week="2026-W10", practitioner="P1", seq=1),
        OsrRota(hub="West", week="2026-W11", practitioner="P3", seq=2),  # wrong grade
        OsrRota(hub="South", week="2026-W11", practitioner="P2", seq=3),
    ]
    # West 2026-W10 (Mon 2 - Sun 8 Mar): four accepted, one closed since: over 3
    for n, day_ in enumerate((2, 3, 5, 8), 1):
        rows += osr_case(n, "West", datetime(2026, 3, day_, 10))
    rows[-1].closed = date(2026, 3, 9)
    rows[-1].closure_reason = "plan_completed"
    # West 2026-W11: Mon 9 Mar 00:00 is in W11; Sun 8 Mar 23:59 was in W10 (above: 8 Mar 10:00)
    rows += osr_case(5, "West", datetime(2026, 3, 9, 0, 0))
    rows += osr_case(6, "West", datetime(2026, 3, 12, 9, 0))  # after the as-of moment
    rows += osr_case(7, "West", datetime(2026, 3, 10, 9, 0), source="mash")  # not OSR
    rows += osr_case(8, "South", datetime(2026, 3, 10, 9, 0))
    add_rows(engine, *rows)


def week(view: Any, hub: str, label: str) -> Any:
    return next(w for w in view.weeks if w.hub == hub and w.week == label)


def test_weeks_count_cases_by_allocation_week(engine: Engine) -> None:
    build(engine)
    view = osr_rota(engine, AS_OF, weeks_before=2, weeks_after=1)
    assert [w.week for w in view.weeks if w.hub == "West"] == [
        "2026-W09",
        "2026-W10",
        "2026-W11",
        "2026-W12",
    ]
    assert [w.hub for w in view.weeks][::4] == ["West", "East/Central", "South"]
    w10 = week(view, "West", "2026-W10")
    assert (w10.monday, w10.accepted, w10.limit, w10.over) == (date(2026, 3, 2), 4, 3, True)
    assert w10.accepted_text == "4 of 3"
    assert [c.episode for c in w10.cases] == ["E1", "E2", "E3", "E4"]
    assert [c.is_open for c in w10.cases] == [True, True, True, False]  # closed still counts
    assert [f.rule for f in w10.findings] == ["OSR-3-PER-WEEK"]
    assert w10.findings[0].message == "West 2026-W10: 4 OSR cases accepted; the limit is 3 a week"
    w11 = week(view, "West", "2026-W11")
    # E5 (Mon 00:00) counts; E6 comes after the as-of moment; E7 is not OSR
    assert ([c.episode for c in w11.cases], w11.over) == (["E5"], False)
    assert (w11.responder_name, w11.responder_grade, w11.grade_ok) == ("Gina G", "G", False)
    assert [f.rule for f in w11.findings] == ["OSR-RESPONDER-GRADE"]
    assert week(view, "West", "2026-W12").grade_ok is None  # nobody named yet
    assert week(view, "South", "2026-W11").accepted == 1


def test_findings_are_the_engines(engine: Engine) -> None:
    build(engine)
    for hub in ("West", "South", "East/Central"):
        engine_says = [
            f
            for f in evaluate_store(engine, AS_OF, hub=hub)
            if f.rule in ("OSR-3-PER-WEEK", "OSR-RESPONDER-GRADE")
        ]
        assert list(osr_rota(engine, AS_OF, hub=hub).findings) == engine_says, hub
    assert len(osr_rota(engine, AS_OF, hub="West").findings) == 2


def test_assign_responder_inserts_then_replaces_audited(engine: Engine) -> None:
    build(engine)
    made = assign_responder(engine, "P9", "West", "2026-W12", "P1")
    assert (made.name, made.grade, made.replaced) == ("Harriet H", "H", None)
    again = assign_responder(engine, "P9", "West", "2026-W11", "P1")  # replaces Gina (G)
    assert again.replaced == "P3"
    view = osr_rota(engine, AS_OF, hub="West")
    assert week(view, "West", "2026-W12").responder == "P1"
    assert week(view, "West", "2026-W11").grade_ok is True
    assert [f.rule for f in view.findings] == ["OSR-3-PER-WEEK"]  # the grade finding is gone
    rota = OsrRota.__table__  # type: ignore[attr-defined]
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        query = select(rota.c.week, rota.c.seq).where(rota.c.hub == "West")
        seqs = {w: n for w, n in conn.execute(query)}
        logged = conn.execute(
            select(audit.c.user, audit.c.action, audit.c.record).order_by(audit.c.id)
        ).all()
    assert seqs["2026-W12"] == 4  # after the three rows already there
    assert [tuple(r) for r in logged] == [
        ("P9", "insert", "West 2026-W12"),
        ("P9", "update", "West 2026-W11"),
    ]


@pytest.mark.parametrize(
    ("hub", "week_", "who", "problem"),
    [
        (
            "West",
            "2026-W12",
            "P3",
            "practitioner: Gina G (P3) has grade G; the OSR lead responder must be H or I grade",
        ),
        ("West", "2026-W12", "P4", "practitioner: No Grade (P4) has no grade;"),
        ("West", "2026-W12", "P99", "practitioner: no practitioner with ref 'P99'"),
        (
            "West",
            "2026-W12",
            "P2",
            "practitioner: Ian I (P2) is in the South hub; the West hub's lead responder is "
            "one of its own 0-19 practitioners (OSR §4.3)",
        ),
        ("North", "2026-W12", "P1", "hub: 'North' is not a hub (West, East/Central, South)"),
        ("West", "2026-W54", "P1", "week: '2026-W54' is not an ISO week"),
        ("West", "2026-12", "P1", "week: '2026-12' is not an ISO week"),
    ],
)
def test_assign_refuses_naming_the_field_and_saves_nothing(
    engine: Engine, hub: str, week_: str, who: str, problem: str
) -> None:
    build(engine)
    with pytest.raises(InputError) as refused:
        assign_responder(engine, "P9", hub, week_, who)
    assert refused.value.problems[0].startswith(problem)
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(select(audit.c.id)).all() == []


@pytest.mark.parametrize(
    ("user", "problem"),
    [
        (
            "P1",
            "user: Harriet H (P1) is EH practitioner, West hub; only the West Hub Team "
            "Manager names its OSR lead responder (OSR §4.3-4.4)",
        ),
        ("P11", "user: Ava Advanced (P11) is Advanced Practitioner, West hub; only the West"),
        ("P10", "user: Sol Manager (P10) is Hub Team Manager, South hub; only the West"),
        ("P99", "user: no practitioner with ref 'P99'; only the West Hub Team Manager"),
        (None, "user: nobody is signed in; only the West Hub Team Manager"),
    ],
)
def test_only_the_hubs_team_manager_names_its_responder(
    engine: Engine, user: str | None, problem: str
) -> None:
    """A practitioner, an Advanced Practitioner or another hub's Team Manager is refused,
    naming the user; nothing is written (no rota row, no audit entry)."""
    build(engine)
    before = _rota_rows(engine)
    with pytest.raises(InputError) as refused:
        assign_responder(engine, user, "West", "2026-W12", "P1")  # Harriet: H grade, fine
    assert refused.value.problems == [refused.value.problems[0]]  # that alone is wrong
    assert refused.value.problems[0].startswith(problem)
    assert _rota_rows(engine) == before
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(select(audit.c.id)).all() == []
    assert assign_responder(engine, "P9", "West", "2026-W12", "P1").name == "Harriet H"


def test_both_refusals_at_once_wrong_grade_and_not_the_manager(engine: Engine) -> None:
    build(engine)
    with pytest.raises(InputError) as refused:
        assign_responder(engine, "P10", "West", "2026-W12", "P3")  # Gina: G grade
    assert [p.split(":")[0] for p in refused.value.problems] == ["practitioner", "user"]
    assert "must be H or I grade" in refused.value.problems[0]
    assert "only the West Hub Team Manager" in refused.value.problems[1]
    assert ("West", "2026-W12") not in _rota_rows(engine)


def _rota_rows(engine: Engine) -> dict[tuple[str, str], str]:
    rota = OsrRota.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {(r.hub, r.week): r.practitioner for r in conn.execute(select(rota))}


def test_week_labels() -> None:
    assert week_monday("2026-W01") == date(2025, 12, 29)
    assert week_monday("2025-W53") is None  # 2025 has 52 ISO weeks
    assert week_monday("2026-W53") == date(2026, 12, 28)  # 2026 has 53
    assert week_monday("W01") is None
