"""``ehtui audit`` and access logging: the trail as people and machines read it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ehtui.audit import log_access, record_history
from ehtui.cli import main
from ehtui.models import Family
from ehtui.unit_of_work import fetch, soft_delete, write


def history(engine: Engine) -> None:
    with write(engine, "P1", at=datetime(2026, 3, 2, 9, 0)) as s:
        s.add(Family(ref="F1", name="Okafor"))
        s.add(Family(ref="F2", name="\x1b[2J\x1b]0;pwned\x07Smith"))
    with write(engine, "P2", reason="wrong number", at=datetime(2026, 3, 3, 10, 30)) as s:
        fetch(s, Family, "F1").phone = "07700 900123"
    with write(engine, "P1", at=datetime(2026, 3, 4, 11, 0)) as s:
        soft_delete(s, fetch(s, Family, "F2"), "duplicate of F1")


def test_log_access_records_who_looked_at_which_family(engine: Engine) -> None:
    history(engine)
    log_access(engine, "P7", "F1", "duty lookup", at=datetime(2026, 3, 5, 16, 45))
    latest = record_history(engine, "F1")[0]
    assert (latest.action, latest.user, latest.table, latest.at) == (
        "access",
        "P7",
        "family",
        datetime(2026, 3, 5, 16, 45),
    )
    assert latest.changes == {"what": "duty lookup"}
    with write(engine, "P7") as s:
        family = fetch(s, Family, "F1")
    log_access(engine, "P7", family, "case view")
    assert record_history(engine, "F1")[0].changes == {"what": "case view"}


def test_audit_table_is_newest_first_readable_and_escapes_hostile_text(
    engine: Engine, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history(engine)
    assert main(["--db", str(db_path), "audit"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    lines = out.splitlines()
    assert lines[0].split() == ["When", "Who", "Action", "Record", "Changes"]
    assert lines[1].startswith("2026-03-04 11:00  P1")
    assert "delete" in lines[1] and "(reason: duplicate of F1)" in lines[1]
    assert lines[2].startswith("2026-03-03 10:30  P2")
    assert "phone: (empty) → '07700 900123'" in lines[2]
    assert "(reason: wrong number)" in lines[2]
    assert "\\x1b[2J\\x1b]0;pwned\\x07Smith" in out


def test_audit_filters_and_json(
    engine: Engine, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history(engine)
    assert main(["--db", str(db_path), "audit", "--record", "F1", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(e["action"], e["user"], e["at"]) for e in doc["entries"]] == [
        ("update", "P2", "2026-03-03T10:30:00"),
        ("insert", "P1", "2026-03-02T09:00:00"),
    ]
    assert doc["entries"][0]["changes"] == {"phone": {"old": None, "new": "07700 900123"}}
    assert doc["entries"][0]["reason"] == "wrong number"

    assert main(["--db", str(db_path), "audit", "--since", "2026-03-03", "--format", "json"]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)["entries"]] == [
        "delete",
        "update",
    ]
    assert main(["--db", str(db_path), "audit", "--since", "2026-03-04T12:00"]) == 0
    assert capsys.readouterr().out == "No audit entries.\n"
    assert main(["--db", str(db_path), "audit", "--limit", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["entries"]) == 1


@pytest.mark.parametrize("since", ["2026-02-30", "yesterday", "2026-03-01 10:00:00Z"])
def test_audit_refuses_a_bad_since(
    engine: Engine, db_path: Path, since: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "audit", "--since", since]) == 2
    assert "--since:" in capsys.readouterr().err
