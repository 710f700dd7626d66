"""``ehtui report`` as INTERCHANGE.md specifies: JSON, CSV, table, filters, exit statuses."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

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
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refusing a choice exits 2 itself
        code = int(exc.code or 0)
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
        (["--as-of", "next week"], "--as-of"),
        (["--rule", "EHA-CONTACT-2WD", "eha-home-visit-7wd"], "--rule"),
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
    # First contact: E2 on time, E1 late → 1 of 2 met on time, 50 %.
    assert on_time["EHA-CONTACT-2WD"] == {
        "on_time": 1,
        "late": 1,
        "overdue": 0,
        "not_yet_due": 0,
        "rate": 0.5,
    }
    # Home visit: E2 on time; E1 still unmet past due is counted beside the rate, not in it.
    assert on_time["EHA-HOME-VISIT-7WD"] == {
        "on_time": 1,
        "late": 0,
        "overdue": 1,
        "not_yet_due": 0,
        "rate": 1.0,
    }
    by_lead = json.loads(out)["on_time_by_practitioner"]
    assert by_lead["P1"]["EHA-CONTACT-2WD"]["rate"] == 0.0
    assert by_lead["P2"]["EHA-CONTACT-2WD"]["rate"] == 1.0
    assert by_lead["P1"]["EHA-HOME-VISIT-7WD"] == {
        "on_time": 0,
        "late": 0,
        "overdue": 1,
        "not_yet_due": 0,
        "rate": None,
    }


def test_summary_before_anything_is_due(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    """As of Mon 5 Jan (allocation day) both first contacts are still to come: not yet due."""
    _, out, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-01-05", "--summary", "--format", "json"
    )
    contact = json.loads(out)["on_time"]["EHA-CONTACT-2WD"]
    assert contact == {"on_time": 0, "late": 0, "overdue": 0, "not_yet_due": 2, "rate": None}


def add_unallocated_osr_week(store: str) -> None:
    """Four OSR cases accepted in South in ISO week 2026-W03, none with a Lead Professional,
    and E7: an EHA for F2 allocated to the hub on Mon 5 Jan with no Lead Professional yet."""
    engine = open_store(store)
    with session(engine) as s:
        s.add(
            Episode(
                ref="E7",
                family="F2",
                type="eha",
                hub="South",
                lead=None,
                source="mash",
                referral_received=date(2026, 1, 2),
                allocated=datetime(2026, 1, 5, 9),
                seq=7,
            )
        )
        s.flush()
        s.add(EpisodeChild(episode="E7", child="C2"))
        for n in range(4):
            s.add(
                Episode(
                    ref=f"E{n + 3}",
                    family="F2",
                    type="joint_work",
                    hub="South",
                    lead=None,
                    source="osr",
                    referral_received=date(2026, 1, 12),
                    allocated=datetime(2026, 1, 12 + n, 9),
                    seq=n + 3,
                )
            )
    engine.dispose()


def test_table_has_unallocated_and_hub_level_groups(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add_unallocated_osr_week(store)
    _, doc, _ = run(capsys, "--db", store, "report", "--as-of", "2026-02-20", "--format", "json")
    found = json.loads(doc)["findings"]
    hub_level = [f for f in found if f["rule"] == "OSR-3-PER-WEEK"]
    assert len(hub_level) == 1 and hub_level[0]["message"].startswith("South 2026-W03: 4 OSR")
    unallocated = [f for f in found if f["episode"] == "E7"]
    assert unallocated and all(f["practitioner"] is None for f in unallocated)

    code, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-02-20")
    assert code == 0
    heads = [line for line in out.splitlines() if line and not line.startswith((" ", "─"))]
    assert heads[1:] == ["Amira Khan (P1)", "Ben Cole (P2)", "Unallocated", "Hub-level"]
    unalloc_block = out[out.index("\nUnallocated\n") : out.index("\nHub-level\n")]
    hub_block = out[out.index("\nHub-level\n") :]
    assert "OSR-3-PER-WEEK" in hub_block and "OSR-3-PER-WEEK" not in unalloc_block
    assert all(f["rule"] in unalloc_block for f in unallocated)
    # Aligned: in a group, every finding's rule, and every finding's message, start in one column.
    lines = [line for line in unalloc_block.splitlines() if line.startswith("  ")]
    assert len(lines) == len(unallocated) > 1
    assert len({line.index(f["rule"]) for f, line in zip(unallocated, lines, strict=True)}) == 1
    assert len({line.index(f["message"]) for f, line in zip(unallocated, lines, strict=True)}) == 1


def test_findings_sorted_fully_as_section_10_says(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add_unallocated_osr_week(store)
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
    found = json.loads(out)["findings"]
    order = ["overdue", "missing", "over_limit", "due_soon", "advice", "late"]
    refs = ("episode", "family", "child", "practitioner", "record")

    def key(f: dict[str, str | None]) -> tuple[object, ...]:
        return (
            order.index(str(f["state"])),
            f["due"] is None,
            (f["due"] or "")[:10],  # a date and a date-time on one day: the date first
            f["rule"],
            *((f[r] is None, f[r] or "") for r in refs),
        )

    assert len(found) > 5
    assert [key(f) for f in found] == sorted(key(f) for f in found)


def test_csv_leaves_nulls_empty(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    add_unallocated_osr_week(store)
    _, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-02-20", "--format", "csv")
    rows = [dict(zip(FINDING_KEYS, r, strict=True)) for r in csv.reader(io.StringIO(out))][1:]
    osr = next(r for r in rows if r["rule"] == "OSR-3-PER-WEEK")
    assert [osr[k] for k in ("due", "episode", "family", "child", "practitioner", "record")] == [
        ""
    ] * 6
    assert osr["state"] == "over_limit" and osr["message"].startswith("South 2026-W03")


def test_as_of_after_report_wins(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "--db",
        store,
        "--as-of",
        "2026-01-06",
        "report",
        "--as-of",
        "2026-01-15T10:30",
        "--format",
        "json",
    )
    assert json.loads(out)["as_of"] == "2026-01-15T10:30:00"
    _, out, _ = run(capsys, "--db", store, "--as-of", "2026-01-06", "report", "--format", "json")
    assert json.loads(out)["as_of"] == "2026-01-06T23:59:59"


def test_settings_as_of_and_overrides_apply(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[app]\nas_of = 2026-01-15\n[rules."EHA-HOME-VISIT-7WD"]\ndue = "10 working days"\n',
        encoding="utf-8",
    )
    _, out, _ = run(
        capsys,
        "--db",
        store,
        "--settings",
        str(settings),
        "report",
        "--format",
        "json",
        "--rule",
        "EHA-HOME-VISIT-7WD",
    )
    doc = json.loads(out)
    # Allocated Mon 5 Jan + 10 working days = Mon 19 Jan: due soon on Thu 15 Jan, not overdue.
    assert doc["as_of"] == "2026-01-15T23:59:59"
    assert [(f["state"], f["due"]) for f in doc["findings"]] == [("due_soon", "2026-01-19")]
    # An --as-of on the command line wins over the settings file's.
    _, out, _ = run(
        capsys,
        "--db",
        store,
        "--settings",
        str(settings),
        "report",
        "--as-of",
        "2026-01-20",
        "--format",
        "json",
        "--rule",
        "EHA-HOME-VISIT-7WD",
    )
    assert [f["state"] for f in json.loads(out)["findings"]] == ["overdue"]


# ------------------------------------------------------------------ §10 sort order
def test_sort_findings_follows_section_10() -> None:
    from ehtui.rules import Finding, State, sort_findings

    def f(state: str, due: Any, rule: str, episode: str | None = None, **refs: Any) -> Finding:
        return Finding(
            rule,
            State(state),
            due,
            episode,
            refs.get("family"),
            refs.get("child"),
            refs.get("practitioner"),
            refs.get("record"),
            "§1",
            "m",
        )

    expected = [
        f("overdue", date(2026, 1, 7), "EHA-CONTACT-2WD", "E1"),
        f("overdue", datetime(2026, 1, 7, 10), "RECORD-48H", "E1"),  # 7 Jan 10:00 after 7 Jan
        f("overdue", date(2026, 1, 14), "EHA-HOME-VISIT-7WD", "E1"),
        f("overdue", date(2026, 1, 14), "EHA-HOME-VISIT-7WD", "E2"),
        f("overdue", date(2026, 1, 14), "VOC-4W", "E1", child="C1"),
        f("overdue", date(2026, 1, 14), "VOC-4W", "E1", child="C2"),
        f("missing", date(2026, 1, 1), "DEMOGRAPHICS", "E1", child="C1"),
        f("missing", date(2026, 1, 1), "DEMOGRAPHICS", "E1"),  # null child after C1
        f("over_limit", None, "CASELOAD-15", practitioner="P1"),
        f("over_limit", None, "OSR-3-PER-WEEK"),
        f("over_limit", None, "OSR-RESPONDER-GRADE", practitioner="P10", record="West 2026-W03"),
        f("over_limit", None, "OSR-RESPONDER-GRADE", practitioner="P2", record="West 2026-W02"),
        f("due_soon", date(2026, 1, 20), "EHA-COMPLETE-6W", "E1"),
        f("advice", None, "CONTACT-FREQUENCY", "E1"),
        f("late", date(2025, 12, 1), "EHA-CONTACT-2WD", "E9"),
    ]
    shuffled = list(reversed(expected))
    shuffled[3], shuffled[7] = shuffled[7], shuffled[3]
    assert sort_findings(shuffled) == expected  # refs compare as plain strings: P10 < P2


# --------------------------------------------------------------- more of the report
def test_csv_rows_are_the_json_findings_with_empty_cells_for_nulls(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", store, "report", "--as-of", "2026-02-20", "--include-late"]
    _, out_json, _ = run(capsys, *args, "--format", "json")
    _, out_csv, _ = run(capsys, *args, "--format", "csv")
    found = json.loads(out_json)["findings"]
    rows = list(csv.DictReader(io.StringIO(out_csv)))
    assert len(rows) == len(found) > 3
    for row, finding in zip(rows, found, strict=True):
        assert row == {k: "" if v is None else str(v) for k, v in finding.items()}
    assert any(r["due"] == "" for r in rows)  # advice (CONTACT-FREQUENCY) has no due


def test_rule_takes_several_ids_and_repeats(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", store, "report", "--as-of", "2026-02-20", "--format", "json"]
    _, listed, _ = run(capsys, *base, "--rule", "VOC-4W", "EHA-HOME-VISIT-7WD")
    _, repeated, _ = run(capsys, *base, "--rule", "VOC-4W", "--rule", "EHA-HOME-VISIT-7WD")
    rules = {f["rule"] for f in json.loads(listed)["findings"]}
    assert rules == {"VOC-4W", "EHA-HOME-VISIT-7WD"}
    assert listed == repeated


def test_as_of_before_or_after_report(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, after, _ = run(capsys, "--db", store, "report", "--as-of", "2026-01-12", "--format", "json")
    _, before, _ = run(capsys, "--db", store, "--as-of", "2026-01-12", "report", "--format", "json")
    assert after == before
    assert json.loads(after)["as_of"] == "2026-01-12T23:59:59"
    _, moment, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-01-12T09:15", "--format", "json"
    )
    assert json.loads(moment)["as_of"] == "2026-01-12T09:15:00"


def test_an_empty_store_reports_nothing_with_status_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "empty.db")
    code, out, _ = run(capsys, "--db", db, "report", "--as-of", "2026-01-12", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"as_of": "2026-01-12T23:59:59", "findings": []}
    code, out, _ = run(capsys, "--db", db, "report", "--format", "csv")
    assert (code, out.splitlines()) == (0, [",".join(FINDING_KEYS)])


def test_hub_names_with_a_slash_are_accepted(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", store, "report", "--hub", "East/Central", "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []


def test_bad_global_as_of_and_bad_format_exit_2(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", store, "--as-of", "yesterday", "report")
    assert code == 2 and "--as-of" in err
    with pytest.raises(SystemExit) as exit_:
        main(["--db", store, "report", "--format", "xml"])
    assert exit_.value.code == 2
    assert "--format" in capsys.readouterr().err


def test_table_shows_severity_order_within_a_practitioner(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-02-20", "--include-late")
    amira = out[out.index("Amira Khan (P1)") : out.index("Ben Cole (P2)")]
    words = [line.split()[0] for line in amira.splitlines()[2:] if line.strip()]
    order = ["Overdue", "Missing", "Over", "Due", "Advice", "Late"]
    assert words and [order.index(w) for w in words] == sorted(order.index(w) for w in words)


def test_summary_csv_and_table(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    from ehtui.report_format import SUMMARY_CSV_HEADER

    code, out, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-01-15", "--summary", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0]) == SUMMARY_CSV_HEADER
    by_key = {(r[0], r[1]): dict(zip(SUMMARY_CSV_HEADER, r, strict=True)) for r in rows[1:]}
    assert by_key[("", "EHA-HOME-VISIT-7WD")]["overdue"] == "1"
    assert by_key[("", "EHA-HOME-VISIT-7WD")]["unmet_overdue"] == "1"
    assert by_key[("", "EHA-CONTACT-2WD")]["rate"] == "0.5000"
    assert by_key[("P1", "EHA-CONTACT-2WD")]["met_late"] == "1"
    assert by_key[("P2", "EHA-CONTACT-2WD")]["rate"] == "1.0000"
    _, text, _ = run(capsys, "--db", store, "report", "--as-of", "2026-01-15", "--summary")
    assert "Amira Khan" in text and "EHA-HOME-VISIT-7WD" in text and "50.0%" in text


def test_summary_json_per_practitioner(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "--db", store, "report", "--as-of", "2026-01-15", "--summary", "--format", "json"
    )
    doc = json.loads(out)
    p1, p2 = (doc["on_time_by_practitioner"][p]["EHA-HOME-VISIT-7WD"] for p in ("P1", "P2"))
    assert (p1["on_time"], p1["overdue"], p2["on_time"], p2["rate"]) == (0, 1, 1, 1.0)
    assert doc["on_time_by_practitioner"]["P1"]["EHA-CONTACT-2WD"]["rate"] == 0.0
    assert doc["by_practitioner"]["P1"]["overdue"] >= 1
    assert doc["by_rule"]["EHA-CONTACT-2WD"]["late"] == 1


def test_summary_table_lists_each_milestone(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", store, "report", "--as-of", "2026-02-20", "--summary")
    assert code == 0
    milestones = out[out.index("On-time rate of each milestone") :]
    rows = {line.split()[0]: line for line in milestones.splitlines()[1:]}
    assert "50.0%" in rows["EHA-CONTACT-2WD"] and "1 late" in rows["EHA-CONTACT-2WD"]
    # Nobody has completed an EHA by 20 Feb: no rate yet, both overdue shown.
    assert "—" in rows["EHA-COMPLETE-6W"] and "2 overdue" in rows["EHA-COMPLETE-6W"]
    people = out[out.index("By practitioner") : out.index("On-time rate")]
    assert people.index("Amira Khan") < people.index("Ben Cole")
