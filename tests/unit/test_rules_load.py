"""The engine over a real store: scopes, soft deletes, as-of, set-based loading.

Every test here runs on SQLite and (when a server is available) PostgreSQL.
Unless a test says otherwise the case is an EHA allocated Mon 5 Jan 2026 to
P1 (tests/unit/builders.py): home visit due Wed 14 Jan 2026.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event

from ehtui.models import Contact, Oversight, TafMeeting, VoiceOfChild
from ehtui.rules import evaluate_store
from ehtui.settings import parse_settings
from tests.unit.builders import (
    add_rows,
    as_of,
    dt,
    store_case,
    store_contact,
    store_episode,
    store_family,
    store_practitioner,
)


def rules_of(found: list[Any], *, episode: str | None = None) -> list[tuple[str, str]]:
    return [(f.rule, str(f.state)) for f in found if episode is None or f.episode == episode]


def visit(found: list[Any]) -> list[tuple[str, str | None]]:
    return [(str(f.state), f.episode) for f in found if f.rule == "EHA-HOME-VISIT-7WD"]


def test_soft_deleted_rows_are_ignored(engine: Engine) -> None:
    gone = datetime(2026, 1, 10, 12, 0)
    add_rows(
        engine,
        store_practitioner("P1"),
        *store_case("E1"),
        store_contact("K1", "E1", "2026-01-06", method="home_visit", deleted_at=gone),
        *store_case("E2", "F2", "C2"),
        store_episode("E3", "F2", deleted_at=gone),
        *store_case("E4", "F4", "C4"),
    )
    from ehtui.db import session
    from ehtui.models import Family, Member

    with session(engine) as s:
        s.get(Family, "F4").deleted_at = gone  # type: ignore[union-attr]
        s.get(Member, "C2").deleted_at = gone  # type: ignore[union-attr]
    found = evaluate_store(engine, as_of("2026-02-03"))
    # E1's deleted home visit does not count; E3 (deleted) and E4 (family deleted) are gone.
    assert visit(found) == [("overdue", "E1"), ("overdue", "E2")]
    assert {f.episode for f in found} - {None} == {"E1", "E2"}
    # C2 was deleted: E2 has no child, so no voice-of-the-child finding for it.
    assert [f.child for f in found if f.rule == "VOC-4W"] == ["C1"]


def test_as_of_reads_the_store_as_it_stood(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1"),
        *store_case("E1", closed=dt("2026-03-01").date(), closure_reason="moved_away"),
        store_contact("K1", "E1", "2026-01-06T10:00", recorded_at=dt("2026-01-09T12:00")),
        store_contact("K2", "E1", "2026-01-13T10:00", method="home_visit"),
    )
    # K1's note, due Thu 8 Jan 10:00, was finalised on Fri 9 Jan at 12:00.
    found = evaluate_store(engine, as_of("2026-01-08T09:00"))
    assert ("RECORD-48H", "due_soon") in rules_of(found)
    found = evaluate_store(engine, as_of("2026-01-09T11:00"))
    assert ("RECORD-48H", "overdue") in rules_of(found)  # finalised later that day
    # As of Mon 12 Jan: K1's note was late and K2 (13 Jan) had not happened.
    found = evaluate_store(engine, as_of("2026-01-12"))
    assert ("RECORD-48H", "late") in rules_of(found)
    assert visit(found) == [("due_soon", "E1")]
    # As of 1 Mar the closure has happened: only late history and no closure finding.
    found = evaluate_store(engine, as_of("2026-03-02"))
    assert {state for _, state in rules_of(found)} == {"late"}
    # As of 28 Feb it was still open: its running clocks speak.
    assert ("SUPERVISION-MONTHLY", "overdue") in rules_of(
        evaluate_store(engine, as_of("2026-02-28"))
    )


def test_a_date_alone_in_a_date_or_date_time_field_is_midnight(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1"),
        store_family("F1"),
        store_episode(
            "E1",
            type="rhi",
            source="police",
            assessment_completed="2026-01-07T10:00",
            qa_completed="2026-01-08",  # 00:00 on Thu 8 Jan, before the 09:30 due time
        ),
    )
    found = evaluate_store(engine, as_of("2026-01-20"))
    assert [f for f in found if f.rule == "RHI-72H"] == []


def _caseload(engine: Engine, families: int) -> None:
    """P1 leads E0..E{n-1}, one family each, West; P2 leads E-S1 in South."""
    rows: list[Any] = [
        store_practitioner("P1"),
        store_practitioner("P2", hub="South"),
        store_practitioner("A1", role="advanced_practitioner"),
    ]
    for i in range(families):
        rows += store_case(f"E{i}", f"F{i}", f"C{i}")
    rows += store_case("ES1", "FS1", "CS1", lead="P2", hub="South")
    add_rows(engine, *rows)


def test_scopes(engine: Engine) -> None:
    _caseload(engine, 16)
    when = as_of("2026-01-15")
    everyone = evaluate_store(engine, when)
    assert ("CASELOAD-15", "over_limit") in rules_of(everyone)
    assert ("AP-SUPERVISES-2", "advice") in rules_of(everyone)
    # One practitioner: their episodes and their own caps only.
    mine = evaluate_store(engine, when, practitioner="P1")
    assert {f.episode for f in mine} - {None} == {f"E{i}" for i in range(16)}
    assert {f.practitioner for f in mine if f.episode is None} == {"P1"}
    theirs = evaluate_store(engine, when, practitioner="P2")
    assert {f.episode for f in theirs} == {"ES1"}
    # A hub: its episodes and its practitioners' caps.
    south = evaluate_store(engine, when, hub="South")
    assert {f.episode for f in south} == {"ES1"}
    west = evaluate_store(engine, when, hub="West")
    assert {f.practitioner for f in west if f.episode is None} == {"P1", "A1"}
    # One case: its findings and its lead's caseload, counted over all 16 families.
    case = evaluate_store(engine, when, episodes=["E3"])
    assert {f.episode for f in case} == {"E3", None}
    (cap,) = [f for f in case if f.episode is None]
    assert (cap.rule, str(cap.state), cap.practitioner) == ("CASELOAD-15", "over_limit", "P1")
    assert "16 families" in cap.message


def test_a_case_of_a_lead_within_the_cap_has_no_cap_finding(engine: Engine) -> None:
    _caseload(engine, 3)
    case = evaluate_store(engine, as_of("2026-01-15"), episodes=["E1"])
    assert {f.episode for f in case} == {"E1"}


def test_include_closed_and_include_late(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1"),
        *store_case("E1", closed=dt("2026-02-01").date()),  # no closure reason
        store_contact("K1", "E1", "2026-01-08"),  # first contact late (due 7 Jan)
        *store_case("E2", "F2", "C2"),
        store_contact("K2", "E2", "2026-01-09"),  # late too, open episode
    )
    when = as_of("2026-02-10")
    full = evaluate_store(engine, when)
    assert ("CLOSURE-REASON", "missing") in rules_of(full, episode="E1")
    assert ("EHA-CONTACT-2WD", "late") in rules_of(full, episode="E1")
    assert ("EHA-CONTACT-2WD", "late") in rules_of(full, episode="E2")
    quick = evaluate_store(engine, when, include_late=False)
    assert rules_of(quick, episode="E1") == [("CLOSURE-REASON", "missing")]
    assert "late" not in {state for _, state in rules_of(quick)}
    open_only = evaluate_store(engine, when, include_closed=False)
    assert {f.episode for f in open_only} - {None} == {"E2"}


def test_settings_reach_the_store_engine(engine: Engine) -> None:
    add_rows(engine, store_practitioner("P1"), *store_case("E1"))
    settings = parse_settings({"rules": {"EHA-HOME-VISIT-7WD": {"due": "10 working days"}}})
    # 10 working days from Mon 5 Jan: due Mon 19 Jan, warning from Thu 15 Jan.
    assert visit(evaluate_store(engine, as_of("2026-01-14"), settings=settings)) == []
    assert visit(evaluate_store(engine, as_of("2026-01-14"))) == [("due_soon", "E1")]
    assert visit(evaluate_store(engine, as_of("2026-01-15"), settings=settings.table)) == [
        ("due_soon", "E1")
    ]


def _statements(engine: Engine, **scope: Any) -> int:
    seen: list[str] = []

    def count(*_: Any) -> None:
        seen.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        evaluate_store(engine, as_of("2026-02-10"), **scope)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _busy_case(ref: str, i: int) -> list[Any]:
    rows: list[Any] = store_case(ref, f"F{ref}", f"C{ref}")
    for k in range(3):
        day = f"2026-01-{6 + k:02d}T10:00"
        rows += [
            store_contact(f"K{ref}-{k}", ref, day),
            VoiceOfChild(
                ref=f"V{ref}-{k}", episode=ref, child=f"C{ref}", at=dt(day), method="direct_work"
            ),
            TafMeeting(ref=f"T{ref}-{k}", episode=ref, at=dt(day), kind="initial"),
            Oversight(ref=f"S{ref}-{k}", episode=ref, at=dt(day), kind="supervision"),
        ]
    return rows


def test_loading_is_set_based(engine: Engine) -> None:
    """The number of statements does not grow with the number of episodes."""
    add_rows(engine, store_practitioner("P1"), *_busy_case("A", 0), *_busy_case("B", 1))
    small = {
        "store": _statements(engine),
        "practitioner": _statements(engine, practitioner="P1"),
        "hub": _statements(engine, hub="West"),
        "case": _statements(engine, episodes=["A"]),
    }
    rows: list[Any] = []
    for i in range(12):
        rows += _busy_case(f"X{i}", i)
    add_rows(engine, *rows)
    big = {
        "store": _statements(engine),
        "practitioner": _statements(engine, practitioner="P1"),
        "hub": _statements(engine, hub="West"),
        "case": _statements(engine, episodes=["A", "X1", "X2"]),
    }
    assert big == small
    assert max(big.values()) <= 12
    assert Contact.__tablename__ == "contact"
