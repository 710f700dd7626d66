"""The duty lookup's family card and ``ehtui lookup``: members, open and recent
episodes with their Lead Professional, last contact, open findings, step-up route,
access logging, safe printing."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from ehtui.cli import main
from ehtui.db import open_store
from ehtui.lookup.card import family_card, open_card
from ehtui.models import AuditEntry, Contact
from ehtui.rules import State, evaluate_store
from ehtui.unit_of_work import write
from tests.unit.builders import (
    add_rows,
    store_case,
    store_child,
    store_contact,
    store_episode,
    store_family,
    store_practitioner,
)

AS_OF = datetime(2026, 3, 9, 23, 59, 59)  # a Monday


def build(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1", name="Ben Osei", phone="020 8359 1034"),
        store_practitioner("P2", name="Zara Tanaka", phone=None),
        store_family(
            "F1",
            last_csc_closure_team="dats",
            last_csc_closure_date=date(2026, 2, 16),  # 3 weeks before
            email="okafor@example.org",
        ),
        store_child("C1", "F1"),
        store_child(
            "M1",
            "F1",
            relationship="mother",
            first_name="Ada",
            dob=date(1985, 3, 10),
            school=None,
        ),
        store_episode("E1", "F1"),  # open EHA, P1, allocated Mon 5 Jan 2026
        store_episode(
            "E2",
            "F1",
            type="universal_plus",
            lead="P2",
            closed=date(2025, 6, 1),
            closure_reason="stepped_up_eha",
        ),
        store_episode("E3", "F1", closed=date(2024, 12, 1), closure_reason="plan_completed"),
        store_episode("E4", "F1", referral_received=date(2026, 4, 1), allocated=None),
        store_contact("K1", "E1", "2026-02-10T11:00", method="home_visit"),
        store_contact("K2", "E1", "2026-03-20T11:00"),  # after the as-of date
        store_contact("K3", "E2", "2025-05-01T11:00"),
        *store_case("E9", "F2", "C9"),
    )


def test_card_members_episodes_and_lead(engine: Engine) -> None:
    build(engine)
    card = family_card(engine, "F1", AS_OF)
    assert card is not None
    assert (card.name, card.address, card.phone, card.email) == (
        "Okafor",
        "12 Example Road, N12 0AA",
        "07700 900123",
        "okafor@example.org",
    )
    assert [(m.name, m.relationship_label, m.dob, m.age, m.school) for m in card.members] == [
        ("Tolu Okafor", "Child", date(2016, 5, 2), 9, "Example Primary"),
        ("Ada Okafor", "Mother", date(1985, 3, 10), 40, None),
    ]
    # open first; closed within 12 months next; closed 15 months ago and a referral
    # after the as-of date are not on the card
    assert [(e.ref, e.is_open, e.type_label, e.lead_name, e.lead_phone) for e in card.episodes] == [
        ("E1", True, "EHA", "Ben Osei", "020 8359 1034"),
        ("E2", False, "Universal Plus", "Zara Tanaka", None),
    ]
    assert card.episodes[1].closed == date(2025, 6, 1)
    assert card.episodes[1].closure_label == "Stepped up to an EHA"
    assert card.episodes[0].level is not None and card.episodes[1].level is None


def test_card_last_contact_ignores_later_records(engine: Engine) -> None:
    build(engine)
    card = family_card(engine, "F1", AS_OF)
    assert card is not None and card.last_contact is not None
    c = card.last_contact
    assert (c.ref, c.at, c.method_label, c.outcome_label, c.by, c.by_name) == (
        "K1",
        datetime(2026, 2, 10, 11, 0),
        "Home visit",
        "Completed",
        "P1",  # imported history names nobody: the episode's Lead Professional
        "Ben Osei",
    )


def test_card_last_contact_by_whoever_recorded_it(engine: Engine) -> None:
    build(engine)
    with write(engine, "P2") as s:
        s.add(
            Contact(
                ref="K5",
                episode="E1",
                at=datetime(2026, 3, 6, 9, 0),
                recorded_at=datetime(2026, 3, 6, 10, 0),
                method="telephone",
                outcome="no_answer",
            )
        )
    card = family_card(engine, "F1", AS_OF)
    assert card is not None and card.last_contact is not None
    assert (card.last_contact.ref, card.last_contact.by_name) == ("K5", "Zara Tanaka")
    assert card.last_contact.outcome_label == "No answer"


def test_card_findings_are_the_engines_for_this_family_only(engine: Engine) -> None:
    build(engine)
    card = family_card(engine, "F1", AS_OF)
    assert card is not None
    engine_says = [
        f
        for f in evaluate_store(engine, AS_OF, episodes=["E1"])
        if f.episode == "E1" and f.state is not State.LATE
    ]
    assert list(card.findings) == engine_says
    # EHA allocated 5 Jan, not completed: due 16 Feb, overdue on 9 Mar
    assert ("EHA-COMPLETE-6W", State.OVERDUE, date(2026, 2, 16)) in [
        (f.rule, f.state, f.due) for f in card.findings
    ]
    assert {f.episode for f in card.findings} == {"E1"}
    assert all(f.family == "F1" for f in card.findings)


def test_card_step_up_route_and_transfer_meeting(engine: Engine) -> None:
    build(engine)
    card = family_card(engine, "F1", AS_OF)
    assert card is not None
    assert card.step_up.destination == "DATs"  # closed by DATs 3 weeks ago
    assert card.transfer.meeting == date(2026, 3, 11)  # Wednesday
    assert card.transfer.cut_off == datetime(2026, 3, 10, 12, 0)
    later = family_card(engine, "F1", datetime(2026, 4, 30, 12, 0))
    assert later is not None and later.step_up.destination == "MASH"  # over 6 weeks


def test_unknown_or_removed_family_has_no_card(engine: Engine) -> None:
    build(engine)
    assert family_card(engine, "NOPE", AS_OF) is None
    add_rows(
        engine,
        store_family("F7", deleted_at=datetime(2026, 1, 1), deleted_reason="duplicate of F1"),
    )
    assert family_card(engine, "F7", AS_OF) is None


def test_open_card_logs_the_access(engine: Engine) -> None:
    build(engine)
    assert open_card(engine, "F1", AS_OF, "P2") is not None
    assert open_card(engine, "NOPE", AS_OF, "P2") is None
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit.c.user, audit.c.action, audit.c.table, audit.c.record, audit.c.changes)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("P2", "access", "family", "F1", {"what": "duty lookup: family card"})
    ]


# ---------------------------------------------------------------------- the command
@pytest.fixture
def store(db_path: object) -> str:
    engine = open_store(str(db_path))
    build(engine)
    add_rows(
        engine,
        store_family("F3", name="Evil", address="1 High St, EN5 1AA", phone=None),
        store_child("C3", "F3", first_name="Bad\x1b[2JName", last_name="Evil"),
    )
    engine.dispose()
    return str(db_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lookup_prints_matches_and_the_best_matchs_card(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", store, "--as-of", "2026-03-09", "--user", "P1", "lookup", "tolu"
    )
    assert code == 0
    assert 'Matches for "tolu" (2), best first:' in out
    assert "1. Tolu Okafor (C1) · Child · born 2 May 2016 (9)" in out
    assert 'matched: name "Tolu"' in out
    assert "Okafor family (F1) as of Mon 9 Mar 2026 23:59" in out
    assert "Lead Professional: Ben Osei, 020 8359 1034" in out
    assert "Last contact: Tue 10 Feb 2026 11:00, Home visit, Completed, by Ben Osei (E1)" in out
    assert "overdue: EHA-COMPLETE-6W due Mon 16 Feb 2026 (E1)" in out
    assert "Step-up to Children's Social Care: DATs" in out
    assert "Transfer meeting Wed 11 Mar 2026; agenda closes Tue 10 Mar 2026 12:00" in out
    engine = open_store(store)
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        logged = conn.execute(
            select(audit.c.user, audit.c.record).where(audit.c.action == "access")
        ).all()
    assert [tuple(r) for r in logged] == [("P1", "F1")]


def test_lookup_json_and_family_option(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        store,
        "--as-of",
        "2026-03-09",
        "lookup",
        "--family",
        "F1",
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["query"] is None and doc["matches"] == []
    assert doc["card"]["ref"] == "F1"
    assert [e["ref"] for e in doc["card"]["episodes"]] == ["E1", "E2"]
    assert doc["card"]["step_up"]["destination"] == "DATs"
    assert doc["card"]["last_contact"]["by"] == "P1"


def test_lookup_prints_user_text_safely(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", store, "--as-of", "2026-03-09", "lookup", "Evil")
    assert code == 0
    assert "\x1b" not in out
    assert "Bad\\x1b[2JName Evil" in out


def test_lookup_no_match(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", store, "lookup", "qqqzzz")
    assert code == 0
    assert out == 'No one matches "qqqzzz".\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lookup"], "ehtui: QUERY: say what to look for"),
        (["lookup", "tolu", "--limit", "0"], "ehtui: --limit: 0 is not between 1 and 500"),
        (["lookup", "--family", "NOPE"], "ehtui: --family: no family with ref 'NOPE'"),
    ],
)
def test_lookup_bad_input_exits_2(
    store: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--db", store, *args)
    assert code == 2
    assert err.startswith(message)
    assert out == ""
