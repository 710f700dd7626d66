"""``ehtui report`` as INTERCHANGE.md specifies: JSON, CSV, table, filters, exit statuses."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from ehtui.cli import main
from ehtui.db import open_store, session
from ehtui.models import Contact, Episode, EpisodeChild, Family, Member, Practitioner
from ehtui.rules.model import FINDING_KEYS


@pytest.fixture
def store(store_target: str) -> str:
    """Two practitioners in two hubs; E1 (West, P1) has no home visit; E2 (South) is clean.
    (On each engine: a SQLite file, then a PostgreSQL database.)"""
    path = store_target
    engine = open_store(path)
    with session(engine) as s:
        s.add(
            Practitioner(
                ref="P1",
                name="Amira Khan",
                role="practitioner",
                grade="H",
                hub="West",
                fte=1.0,
                seq=1,
            )
        )
        s.add(
            Practitioner(
                ref="P2",
                name="Ben Cole",
                role="practitioner",
                grade="I",
                hub="South",
                fte=1.0,
                seq=2,
            )
        )
        for ref in ("F1", "F2"):
            s.add(
                Family(
                    ref=ref,
                    name=f"Family {ref}",
                    address="1 Road, N12 0AA",
                    phone="07700 900001",
                    agencies=["School"],
                    seq=int(ref[1]),
                )
            )
        s.flush()
        for ref, fam in (("C1", "F1"), ("C2", "F2")):
            s.add(
                Member(
                    ref=ref,
                    family=fam,
                    relationship="child",
                    first_name="Tolu",
                    last_name="X",
                    dob=date(2016, 5, 2),
                    ethnicity="Black African",
                    religion="Christian",
                    language="English",
                    interpreter_needed=False,
                    school="Example Primary",
                    father_recorded=True,
                    seq=int(ref[1]),
                )
            )
        s.flush()
        for ref, fam, lead, hub in (("E1", "F1", "P1", "West"), ("E2", "F2", "P2", "South")):
            s.add(
                Episode(
                    ref=ref,
                    family=fam,
                    type="eha",
                    hub=hub,
                    lead=lead,
                    source="mash",
                    referral_received=date(2026, 1, 2),
                    allocated=datetime(2026, 1, 5, 9, 30),
                    engagement_confirmed=date(2026, 1, 6),
                    seq=int(ref[1]),
                )
            )
        s.flush()
        s.add(EpisodeChild(episode="E1", child="C1"))
        s.add(EpisodeChild(episode="E2", child="C2"))
        # E1: first contact late (Thu 8 Jan), no home visit.
        s.add(
            Contact(
                ref="K1",
                episode="E1",
                at=datetime(2026, 1, 8, 10),
                method="telephone",
                outcome="completed",
                recorded_at=datetime(2026, 1, 8, 12),
                seq=1,
            )
        )
        # E2: contact and home visit on time.
        s.add(
            Contact(
                ref="K2",
                episode="E2",
                at=datetime(2026, 1, 6, 10),
                method="home_visit",
                outcome="completed",
                recorded_at=datetime(2026, 1, 6, 12),
                seq=2,
            )
        )
    engine.dispose()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_shape_and_key_order(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-01-15", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["as_of"] == "2026-01-15T23:59:59"
    assert all(tuple(f) == FINDING_KEYS for f in doc["findings"])
    visit = [f for f in doc["findings"] if f["rule"] == "EHA-HOME-VISIT-7WD"]
    assert visit == [
        {
            "rule": "EHA-HOME-VISIT-7WD",
            "state": "overdue",
            "due": "2026-01-14",
            "episode": "E1",
            "family": "F1",
            "child": None,
            "practitioner": "P1",
            "record": None,
            "section": "§6.1",
            "message": "No home visit yet: was due Wed 14 Jan 2026",
        }
    ]
    assert not any(f["state"] == "late" for f in doc["findings"])


def test_sorted_as_section_10_says(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "--db",
        store,
        "report",
        "--as-of",
        "2026-02-20",
        "--format",
        "json",
        "--include-late",
    )
    order = ["overdue", "missing", "over_limit", "due_soon", "advice", "late"]
    states = [order.index(f["state"]) for f in json.loads(out)["findings"]]
    assert states == sorted(states)
    assert "late" in {f["state"] for f in json.loads(out)["findings"]}


def test_include_late_shows_history(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "--db",
        store,
        "--as-of",
        "2026-01-15",
        "report",
        "--format",
        "json",
        "--include-late",
        "--rule",
        "EHA-CONTACT-2WD",
    )
    found = json.loads(out)["findings"]
    assert [(f["rule"], f["state"], f["due"], f["record"]) for f in found] == [
        ("EHA-CONTACT-2WD", "late", "2026-01-07", "K1")
    ]


def test_csv_header_is_the_json_keys(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-01-15", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == FINDING_KEYS
    visit = next(r for r in rows if r[0] == "EHA-HOME-VISIT-7WD")
    assert visit[FINDING_KEYS.index("child")] == ""


@pytest.mark.parametrize(
    ("args", "episodes"),
    [
        (["--hub", "South"], {"E2"}),
        (["--practitioner", "P1"], {"E1"}),
        (["--rule", "EHA-HOME-VISIT-7WD"], {"E1"}),
    ],
)
def test_filters(
    store: str, capsys: pytest.CaptureFixture[str], args: list[str], episodes: set[str]
) -> None:
    _, out, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-02-20", "--format", "json", *args
    )
    assert {f["episode"] for f in json.loads(out)["findings"]} - {None} == episodes


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--rule", "NOPE-1"], "--rule"),
        (["--hub", "North"], "--hub"),
        (["--practitioner", "P99"], "--practitioner"),
        (["--as-of", "2026-02-30"], "--as-of"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    store: str, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    code, out, err = run(capsys, "--db", store, "report", *args)
    assert code == 2 and out == ""
    assert named in err and "Traceback" not in err


def test_table_groups_by_practitioner(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-01-27")
    assert code == 0
    assert "Amira Khan (P1)" in out and "Ben Cole (P2)" in out
    amira = out.index("Amira Khan (P1)")
    assert amira < out.index("No home visit yet") < out.index("Ben Cole (P2)")


def test_summary_gives_on_time_rates(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-01-15", "--summary", "--format", "json"
    )
    assert code == 0
    on_time = json.loads(out)["on_time"]
    # First contact: E2 on time, E1 late → 50 %. Home visit: E2 on time, E1 overdue → 50 %.
    assert on_time["EHA-CONTACT-2WD"] == {
        "on_time": 1,
        "late": 1,
        "overdue": 0,
        "not_yet_due": 0,
        "rate": 0.5,
    }
    assert on_time["EHA-HOME-VISIT-7WD"] == {
        "on_time": 1,
        "late": 0,
        "overdue": 1,
        "not_yet_due": 0,
        "rate": 0.5,
    }
