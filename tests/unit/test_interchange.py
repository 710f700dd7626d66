"""Import and export of the ehtui/1 document: round trips, updates, order, extensions.

``sample()`` is a document written exactly as the export writes it (every
field, nulls included, date-times with seconds), so importing it and exporting
must give it back unchanged. The refusal and command-line tests reuse it.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text

from ehtui.db import open_store
from ehtui.interchange import dumps, export_document, export_to, import_document
from ehtui.models import SQLModel

NOW = datetime(2026, 3, 1, 23, 59, 59)


def member(ref: str, first: str, last: str, **over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": ref,
        "relationship": "child",
        "first_name": first,
        "last_name": last,
        "dob": None,
        "gender": None,
        "ethnicity": None,
        "religion": None,
        "language": None,
        "interpreter_needed": None,
        "school": None,
        "father_recorded": None,
        "post18_route": None,
    }
    out.update(over)
    return out


def episode(ref: str, family: str, children: list[str], **over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": ref,
        "family": family,
        "children": children,
        "type": "eha",
        "disposal": None,
        "hub": "West",
        "lead": "P1",
        "source": "mash",
        "referral_received": "2026-01-02",
        "allocated": "2026-01-05T09:30:00",
        "engagement_confirmed": None,
        "eha_completed": None,
        "assessment_completed": None,
        "stepdown_consultation": None,
        "stepdown_meeting": None,
        "extension_approved_until": None,
        "sessions_planned": None,
        "sessions_delivered": None,
        "documents": {"case_summary": False, "chronology": False, "genogram": False},
        "qa_completed": None,
        "closed": None,
        "closure_reason": None,
        "agreed_contacts_per_4_weeks": None,
        "osr_request_form": None,
        "contacts": [],
        "voice_of_child": [],
        "taf_meetings": [],
        "oversight": [],
    }
    out.update(over)
    return out


def contact(ref: str, at: str, **over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": ref,
        "at": at,
        "recorded_at": None,
        "method": "telephone",
        "outcome": "completed",
        "children_seen": [],
        "note": "",
    }
    out.update(over)
    return out


def sample() -> dict[str, Any]:
    """A small service: two hubs, three families, every episode type worth a look."""
    return {
        "format": "ehtui/1",
        "practitioners": [
            {
                "ref": "P1",
                "name": "Amira Khan",
                "role": "practitioner",
                "grade": "H",
                "hub": "West",
                "fte": 1.0,
                "manager": "P9",  # a manager later in the list
            },
            {
                "ref": "P2",
                "name": "Zoë Łukasiewicz",
                "role": "advanced_practitioner",
                "grade": "I",
                "hub": "South",
                "fte": 0.5,
                "manager": "P9",
            },
            {
                "ref": "P9",
                "name": "Sam Lee",
                "role": "team_manager",
                "grade": None,
                "hub": "West",
                "fte": 1.0,
                "manager": None,
            },
        ],
        "osr_rota": [
            {"hub": "West", "week": "2026-W03", "practitioner": "P1"},
            {"hub": "South", "week": "2026-W20", "practitioner": "P2"},  # planned: ahead
        ],
        "families": [
            {
                "ref": "F1",
                "name": "Okafor",
                "address": "12 Example Road, N12 0AA",
                "phone": "07700 900123",
                "email": None,
                "agencies": ["School", "Health Visitor"],
                "last_csc_closure": {"team": "dats", "date": "2025-12-01"},
                "members": [
                    member(
                        "C1",
                        "Tolu",
                        "Okafor",
                        dob="2016-05-02",
                        gender="female",
                        ethnicity="Black African",
                        religion="Christian",
                        language="English",
                        interpreter_needed=False,
                        school="Example Primary",
                        father_recorded=True,
                    ),
                    member("C2", "Ade", "Okafor", dob="2019-11-30"),
                    member("A1", "Grace", "Okafor", relationship="mother"),
                ],
            },
            {
                "ref": "F2",
                "name": "Brown",
                "address": None,
                "phone": None,
                "email": "brown@example.org",
                "agencies": [],
                "last_csc_closure": None,
                "members": [
                    member("C3", "Jayden", "Brown", dob="2009-02-14", post18_route=None),
                ],
            },
            {
                "ref": "F3",
                "name": "Nowak",
                "address": "3 Side Street",
                "phone": None,
                "email": None,
                "agencies": ["Police"],
                "last_csc_closure": None,
                "members": [member("C4", "Iga", "Nowak", dob="2011-07-01")],
            },
        ],
        "episodes": [
            episode(
                "E1",
                "F1",
                ["C1", "C2"],
                engagement_confirmed="2026-01-06",
                eha_completed="2026-02-10",
                documents={"case_summary": True, "chronology": False, "genogram": True},
                agreed_contacts_per_4_weeks=4,
                contacts=[
                    contact(
                        "K1",
                        "2026-01-06T10:00:00",
                        recorded_at="2026-01-06T16:00:00",
                        note="Introductory call with mother.",
                    ),
                    contact(
                        "K2",
                        "2026-01-09T14:15:00",
                        method="home_visit",
                        children_seen=["C1", "C2"],
                        note="Home visit; saw both children.",
                    ),
                ],
                voice_of_child=[
                    {
                        "ref": "V1",
                        "child": "C1",
                        "at": "2026-01-12T15:30:00",
                        "method": "direct_work",
                        "words": "I want mum to stop shouting in the mornings.",
                    }
                ],
                taf_meetings=[
                    {
                        "ref": "T1",
                        "at": "2026-02-20T10:00:00",
                        "kind": "initial",
                        "agencies": ["School", "Health Visitor"],
                        "radar_completed": False,
                        "plan_ratified_complete": False,
                        "note": "Plan agreed.",
                    }
                ],
                oversight=[
                    {
                        "ref": "S1",
                        "at": "2026-02-01T11:00:00",
                        "kind": "supervision",
                        "by": "P9",
                        "decision": "Continue; book home visit.",
                    }
                ],
            ),
            episode(
                "E2",
                "F2",
                ["C3"],
                type="rhi",
                hub="South",
                lead="P2",
                source="police",
                referral_received="2026-02-02",
                allocated="2026-02-02T12:00:00",
                assessment_completed="2026-02-04T10:00:00",
                qa_completed="2026-02-04T17:30:00",
                closed="2026-02-05",
                closure_reason="no_further_action",
                contacts=[contact("K3", "2026-02-03T09:00:00", outcome="no_answer")],
            ),
            episode(
                "E3",
                "F3",
                ["C4"],
                type="out_of_court",
                disposal="youth_caution",
                hub="South",
                lead="P2",
                source="yjs",
                referral_received="2026-01-20",
                allocated="2026-01-21T09:00:00",
                assessment_completed="2026-01-28",
            ),
            # Unallocated: no lead, no allocation yet.
            episode(
                "E4",
                "F1",
                ["C2"],
                type="universal_plus",
                lead=None,
                allocated=None,
                source="universal_plus_form",
                referral_received="2026-02-25",
                extension_approved_until="2026-04-30",  # planned: may lie ahead
                sessions_planned=6,
                sessions_delivered=0,
            ),
        ],
    }


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for proving that nothing was written."""
    out = {}
    with engine.connect() as conn:
        for name, tbl in sorted(SQLModel.metadata.tables.items()):
            rows = conn.execute(select(tbl)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def load(engine: Engine, doc: dict[str, Any], **kw: Any) -> Any:
    return import_document(engine, copy.deepcopy(doc), user="P1", now=NOW, **kw)


def test_import_then_export_gives_the_document_back(engine: Engine) -> None:
    doc = sample()
    result = load(engine, doc)
    assert result.added == {
        "practitioners": 3,
        "osr_rota": 2,
        "families": 3,
        "members": 5,
        "episodes": 4,
        "contacts": 3,
        "voice_of_child": 1,
        "taf_meetings": 1,
        "oversight": 1,
    }
    exported = export_document(engine)
    assert exported == doc
    assert dumps(exported) == dumps(doc)


def test_export_import_export_is_byte_identical(engine: Engine, tmp_path: Path) -> None:
    load(engine, sample())
    first = tmp_path / "first.json"
    export_to(engine, first)
    other = open_store(str(tmp_path / "other.db"))
    import_document(other, str(first), user=None, now=NOW)
    second = tmp_path / "second.json"
    export_to(other, second)
    assert first.read_bytes() == second.read_bytes()
    text_ = first.read_text(encoding="utf-8")
    assert "Zoë Łukasiewicz" in text_  # UTF-8 kept, not \\u escapes
    assert text_.startswith('{\n  "format": "ehtui/1",\n  "practitioners": [\n    {\n')
    other.dispose()


def test_reimport_is_idempotent_and_touches_nothing(engine: Engine) -> None:
    load(engine, sample())
    before = snapshot(engine)
    result = load(engine, sample())
    assert result.added == dict.fromkeys(result.added, 0)
    assert result.updated == dict.fromkeys(result.updated, 0)
    assert result.unchanged["contacts"] == 3 and result.unchanged["osr_rota"] == 2
    after = snapshot(engine)
    # Only the audit trail grew: one batch entry per import.
    assert {k: v for k, v in before.items() if k != "audit"} == {
        k: v for k, v in after.items() if k != "audit"
    }
    assert len(after["audit"]) == 2
    with engine.connect() as conn:
        audit = SQLModel.metadata.tables["audit"].c
        query = select(audit.user, audit.action, audit.changes).order_by(audit.id)
        entries = conn.execute(query).all()
    assert [(e[0], e[1]) for e in entries] == [("P1", "import"), ("P1", "import")]
    assert entries[0][2]["counts"]["contacts_added"] == 3
    assert entries[1][2]["counts"]["contacts_unchanged"] == 3


def test_update_the_document_is_the_whole_truth_and_nothing_is_deleted(engine: Engine) -> None:
    load(engine, sample())
    doc = sample()
    family = doc["families"][0]
    family["phone"] = "07700 900999"
    del family["address"]  # left out: null
    del family["members"][0]["school"]
    doc["episodes"][0]["children"] = ["C2", "C1"]  # order is kept
    doc["episodes"] = doc["episodes"][:1]  # E2-E4 left out: kept, not deleted
    doc["families"] = doc["families"][:1]
    result = load(engine, doc)
    assert result.updated["families"] == 1 and result.updated["members"] == 1
    assert result.updated["episodes"] == 0  # the children list is not an episode column
    assert result.unchanged["episodes"] == 1

    exported = export_document(engine)
    f1 = exported["families"][0]
    assert f1["phone"] == "07700 900999" and f1["address"] is None
    assert f1["members"][0]["school"] is None
    assert exported["episodes"][0]["children"] == ["C2", "C1"]
    assert [e["ref"] for e in exported["episodes"]] == ["E1", "E2", "E3", "E4"]
    assert [f["ref"] for f in exported["families"]] == ["F1", "F2", "F3"]
    with engine.connect() as conn:
        versions = dict(conn.execute(text("SELECT ref, version FROM family")).all())
    assert versions == {"F1": 2, "F2": 1, "F3": 1}


def test_new_records_follow_existing_ones_in_document_order(engine: Engine) -> None:
    load(engine, sample())
    doc = sample()
    new = {**doc["families"][2], "ref": "F9", "name": "Zulu", "members": []}
    newer = {**doc["families"][2], "ref": "F8", "name": "Yankee", "members": []}
    doc["families"] = [new, doc["families"][1], newer]
    doc["episodes"] = []
    load(engine, doc)
    refs = [f["ref"] for f in export_document(engine)["families"]]
    assert refs == ["F1", "F2", "F3", "F9", "F8"]


def test_refs_may_point_to_records_already_in_the_store(engine: Engine) -> None:
    load(engine, sample())
    doc = {
        "format": "ehtui/1",
        "episodes": [
            episode(
                "E7",
                "F3",
                ["C4"],
                lead="P2",
                referral_received="2026-02-26",
                allocated="2026-02-27T09:00",  # minutes only: stored with seconds
                contacts=[contact("K7", "2026-02-27T10:00", children_seen=["C4"])],
                oversight=[
                    {"ref": "S7", "at": "2026-02-27T12:00", "kind": "desk_discussion", "by": "P9"}
                ],
            )
        ],
    }
    result = load(engine, doc)
    assert result.added["episodes"] == 1 and result.added["contacts"] == 1
    e7 = export_document(engine)["episodes"][-1]
    assert e7["allocated"] == "2026-02-27T09:00:00"
    assert e7["contacts"][0]["at"] == "2026-02-27T10:00:00"
    assert e7["oversight"][0]["decision"] == ""  # left out of a non-null text column


def test_fields_left_out_mean_null_and_are_exported_as_null(engine: Engine) -> None:
    doc = {
        "format": "ehtui/1",
        "practitioners": [
            {"ref": "P1", "name": "A", "role": "practitioner", "hub": "West", "fte": 1}
        ],
        "families": [{"ref": "F1", "name": "Okafor", "members": [member("C1", "Tolu", "Okafor")]}],
        "episodes": [
            {
                "ref": "E1",
                "family": "F1",
                "type": "eha",
                "hub": "West",
                "source": "mash",
                "referral_received": "2026-01-02",
            }
        ],
    }
    load(engine, doc)
    out = export_document(engine)
    assert out["practitioners"][0] == {
        "ref": "P1",
        "name": "A",
        "role": "practitioner",
        "grade": None,
        "hub": "West",
        "fte": 1.0,
        "manager": None,
    }
    assert out["families"][0]["agencies"] == [] and out["families"][0]["email"] is None
    assert out["osr_rota"] == []
    assert out["episodes"][0] == episode(
        "E1", "F1", [], lead=None, allocated=None
    )  # every field written, nulls included


def test_assessment_and_qa_take_a_date_or_a_date_time(engine: Engine) -> None:
    doc = sample()
    doc["episodes"][1]["assessment_completed"] = "2026-02-04T10:00"
    doc["episodes"][1]["qa_completed"] = "2026-02-04"
    load(engine, doc)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT assessment_completed, qa_completed FROM episode WHERE ref='E2'")
        ).one()
    assert tuple(row) == ("2026-02-04T10:00:00", "2026-02-04")


def test_last_csc_closure_maps_to_its_two_columns(engine: Engine) -> None:
    load(engine, sample())
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ref, last_csc_closure_team, last_csc_closure_date FROM family ORDER BY ref"
            )
        ).all()
    assert [(r[0], r[1], r[2] and str(r[2])) for r in rows] == [
        ("F1", "dats", "2025-12-01"),
        ("F2", None, None),
        ("F3", None, None),
    ]


def test_extension_fields_round_trip_and_stay_out_when_empty(engine: Engine) -> None:
    doc = sample()
    doc["practitioners"][0]["phone"] = "020 8359 0000"
    doc["families"][0]["members"][2]["phone"] = "07700 900111"
    k2 = doc["episodes"][0]["contacts"][1]
    k2["children_seen_alone"] = ["C1"]
    v1 = doc["episodes"][0]["voice_of_child"][0]
    v1["analysis"] = "Mornings are the pinch point."
    v1["prompts"] = {"worries": "shouting"}
    t1 = doc["episodes"][0]["taf_meetings"][0]
    t1["decision"] = "Continue the plan."
    t1["agreed_contacts_per_4_weeks"] = 4
    t1["actions"] = [{"who": "School", "what": "Attendance report", "by": "2026-03-06"}]
    load(engine, doc)
    exported = export_document(engine)
    assert exported == doc
    # Cleared again by a plain ehtui/1 document (the document is the whole truth).
    load(engine, sample())
    assert export_document(engine) == sample()


def test_taf_radar_feedback_and_action_progress_round_trip(engine: Engine) -> None:
    """RADAR feedback (free text, §27) and each action's progress survive export and
    import; a document without them (plain ehtui/1) means none."""
    doc = sample()
    t1 = doc["episodes"][0]["taf_meetings"][0]
    t1["radar_completed"] = True
    t1["radar_feedback"] = "Mum: the plan is helping; Tolu wants more time with dad."
    t1["actions"] = [
        {
            "what": "Attendance report",
            "who": "School",
            "by": "2026-03-06",
            "status": "open",
            "progress": "Two late marks this week.",
        }
    ]
    load(engine, doc)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT radar_feedback FROM taf_meeting WHERE ref='T1'"))
        assert stored.scalar() == t1["radar_feedback"]
    assert export_document(engine) == doc
    load(engine, sample())  # left out: null
    exported = export_document(engine)["episodes"][0]["taf_meetings"][0]
    assert "radar_feedback" not in exported and "actions" not in exported


def test_soft_deleted_records_are_not_exported(engine: Engine) -> None:
    load(engine, sample())
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE episode SET deleted_at='2026-03-01 10:00:00.000000' WHERE ref='E3'")
        )
        conn.execute(
            text("UPDATE contact SET deleted_at='2026-03-01 10:00:00.000000' WHERE ref='K1'")
        )
    out = export_document(engine)
    assert [e["ref"] for e in out["episodes"]] == ["E1", "E2", "E4"]
    assert [k["ref"] for k in out["episodes"][0]["contacts"]] == ["K2"]
    # Re-importing the document that names them updates them but does not undelete.
    load(engine, sample())
    assert [e["ref"] for e in export_document(engine)["episodes"]] == ["E1", "E2", "E4"]


def test_import_from_a_file_records_its_name_in_the_audit(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "from-ehm.json"
    path.write_text(json.dumps(sample()), encoding="utf-8")
    import_document(engine, str(path), user=None, now=NOW)
    with engine.connect() as conn:
        audit = SQLModel.metadata.tables["audit"].c
        user, changes = conn.execute(select(audit.user, audit.changes)).one()
    assert user is None
    assert changes["source"] == "from-ehm.json"


def bulk(episodes: int, contacts_each: int) -> dict[str, Any]:
    """The sample plus many episodes for family F1, each with many contacts."""
    doc = sample()
    for e in range(episodes):
        doc["episodes"].append(
            episode(
                f"B{e}",
                "F1",
                ["C1"],
                contacts=[
                    contact(f"B{e}K{k}", f"2026-02-{1 + k % 28:02d}T10:00:00", children_seen=["C1"])
                    for k in range(contacts_each)
                ],
            )
        )
    return doc


def statements(engine: Engine, doc: dict[str, Any]) -> int:
    """How many SQL statements (an executemany counts once) an import runs."""
    from sqlalchemy import event

    count = 0

    def seen(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", seen)
    try:
        load(engine, doc)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return count


def test_import_runs_a_few_statements_not_one_per_record(engine: Engine, tmp_path: Path) -> None:
    small = statements(engine, bulk(2, 2))
    other = open_store(str(tmp_path / "other.db"))
    large = statements(other, bulk(120, 25))  # 3,000 contacts: the whole-table read
    assert large <= small + 10, (small, large)
    assert small < 60, small
    # and again, now that every ref exists (updates compared, nothing written)
    again = statements(other, bulk(120, 25))
    assert again <= small + 10, (small, again)
    assert export_document(other) == bulk(120, 25)
    other.dispose()
