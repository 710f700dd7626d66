"""Every bad input INTERCHANGE.md names is refused: exit status 2, one message per
problem naming its JSON path, no traceback, and the store exactly as it was.

Each case starts from a store holding the sample document, writes a broken
variant of it to a file and runs ``ehtui --db STORE --as-of 2026-03-01 import FILE``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from ehtui.cli import main
from ehtui.db import open_store
from ehtui.errors import InputError
from ehtui.interchange import import_document
from tests.unit.test_interchange import NOW, load, member, sample, snapshot

Doc = dict[str, Any]


def set_(path: str, value: Any) -> Callable[[Doc], None]:
    """A mutation setting ``a.b[2].c`` (a value of ``...`` deletes the key)."""

    def apply(doc: Doc) -> None:
        parts = path.replace("[", ".").replace("]", "").split(".")
        node: Any = doc
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        if value is ...:
            del node[last]
        elif last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return apply


def both(*mutations: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        for mutation in mutations:
            mutation(doc)

    return apply


def duplicate_contact(doc: Doc) -> None:
    doc["episodes"][1]["contacts"].append(dict(doc["episodes"][0]["contacts"][0]))


def family_twice(doc: Doc) -> None:
    doc["families"].append({**doc["families"][2], "members": []})


def rota_twice(doc: Doc) -> None:
    doc["osr_rota"].append({"hub": "West", "week": "2026-W03", "practitioner": "P2"})


def contacts_not_a_list(doc: Doc) -> None:
    doc["episodes"][0]["contacts"] = {"ref": "K1"}


CASES: list[tuple[str, Callable[[Doc], None], list[str]]] = [
    # unknown enumeration values
    (
        "enum-type",
        set_("episodes[0].type", "eha2"),
        ['episodes[0].type: "eha2" is not one of eha, step_down_eha,'],
    ),
    (
        "enum-method",
        set_("episodes[0].contacts[1].method", "carrier_pigeon"),
        ['episodes[0].contacts[1].method: "carrier_pigeon" is not one of home_visit,'],
    ),
    ("enum-hub", set_("osr_rota[0].hub", "North"), ['osr_rota[0].hub: "North" is not one of']),
    (
        "enum-csc-team",
        set_("families[0].last_csc_closure.team", "mash"),
        ['families[0].last_csc_closure.team: "mash" is not one of dats, i_and_p'],
    ),
    (
        "disposal-not-ooc",
        set_("episodes[0].disposal", "triage"),
        ["episodes[0].disposal: only an out_of_court episode has a disposal"],
    ),
    # refs that point nowhere
    (
        "dangling-lead",
        set_("episodes[0].lead", "P404"),
        ['episodes[0].lead: "P404" is not a practitioner in the document or the store'],
    ),
    (
        "dangling-family",
        set_("episodes[2].family", "F404"),
        ['episodes[2].family: "F404" is not a family in the document or the store'],
    ),
    (
        "dangling-voice-child",
        set_("episodes[0].voice_of_child[0].child", "C404"),
        ['episodes[0].voice_of_child[0].child: "C404" is not a member of any family'],
    ),
    (
        "dangling-oversight-by",
        set_("episodes[0].oversight[0].by", "P404"),
        ['episodes[0].oversight[0].by: "P404" is not a practitioner'],
    ),
    (
        "dangling-rota",
        set_("osr_rota[1].practitioner", "P404"),
        ['osr_rota[1].practitioner: "P404" is not a practitioner'],
    ),
    (
        "child-of-another-family",
        set_("episodes[0].children", ["C1", "C3"]),
        ['episodes[0].children[1]: "C3" is a member of family F2, not of family F1'],
    ),
    (
        "child-seen-of-another-family",
        set_("episodes[0].contacts[1].children_seen", ["C4"]),
        ['episodes[0].contacts[1].children_seen[0]: "C4" is a member of family F3, not of'],
    ),
    # duplicate refs
    (
        "duplicate-contact",
        duplicate_contact,
        ['episodes[1].contacts[1].ref: "K1" is a duplicate: episodes[0].contacts[0] has it'],
    ),
    (
        "duplicate-family",
        family_twice,
        ['families[4].ref: "F3" is a duplicate: families[2] has it'],
    ),
    ("duplicate-rota", rota_twice, ["osr_rota[2]: West 2026-W03 is a duplicate"]),
    # impossible dates
    (
        "impossible-datetime",
        set_("episodes[3].allocated", "2026-02-30T10:00"),
        ['episodes[3].allocated: "2026-02-30T10:00" is not a date-time'],
    ),
    (
        "impossible-contact-at",
        set_("episodes[0].contacts[0].at", "2026-02-30T10:00"),
        ['episodes[0].contacts[0].at: "2026-02-30T10:00" is not a date-time'],
    ),
    (
        "impossible-date",
        set_("families[0].members[0].dob", "2016-13-02"),
        ['families[0].members[0].dob: "2016-13-02" is not a date'],
    ),
    (
        "impossible-week",
        set_("osr_rota[0].week", "2025-W53"),
        ['osr_rota[0].week: "2025-W53" is not a week of 2025'],
    ),
    (
        "not-a-date",
        set_("episodes[0].closed", "yesterday"),
        ['episodes[0].closed: "yesterday" is not a date (YYYY-MM-DD)'],
    ),
    # future dates (now is 2026-03-01 23:59:59)
    (
        "future-contact",
        set_("episodes[0].contacts[0].at", "2026-03-02T09:00"),
        ["episodes[0].contacts[0].at: Mon 2 Mar 2026 09:00 is in the future"],
    ),
    (
        "future-dob",
        set_("families[1].members[0].dob", "2026-03-02"),
        ["families[1].members[0].dob: Mon 2 Mar 2026 is in the future"],
    ),
    (
        "future-closure",
        set_("episodes[1].closed", "2027-01-01"),
        ["episodes[1].closed: Fri 1 Jan 2027 is in the future"],
    ),
    (
        "future-referral",
        set_("episodes[3].referral_received", "2026-03-05"),
        ["episodes[3].referral_received: Thu 5 Mar 2026 is in the future"],
    ),
    (
        "future-qa",
        set_("episodes[1].qa_completed", "2026-03-02T08:00"),
        ["episodes[1].qa_completed: Mon 2 Mar 2026 08:00 is in the future"],
    ),
    (
        "future-recorded-at",
        set_("episodes[0].contacts[0].recorded_at", "2026-03-02T08:00"),
        ["episodes[0].contacts[0].recorded_at: Mon 2 Mar 2026 08:00 is in the future"],
    ),
    # events before the episode's referral (2026-01-02 for E1)
    (
        "contact-before-referral",
        set_("episodes[0].contacts[0].at", "2026-01-01T10:00"),
        ["episodes[0].contacts[0].at: Thu 1 Jan 2026 10:00 is before the episode's referral"],
    ),
    (
        "voice-before-referral",
        set_("episodes[0].voice_of_child[0].at", "2025-12-31T10:00"),
        ["episodes[0].voice_of_child[0].at: Wed 31 Dec 2025 10:00 is before the episode's"],
    ),
    (
        "taf-before-referral",
        set_("episodes[0].taf_meetings[0].at", "2025-12-01T10:00"),
        ["episodes[0].taf_meetings[0].at: Mon 1 Dec 2025 10:00 is before"],
    ),
    (
        "oversight-before-referral",
        set_("episodes[0].oversight[0].at", "2025-12-01T10:00"),
        ["episodes[0].oversight[0].at: Mon 1 Dec 2025 10:00 is before"],
    ),
    # unknown keys
    (
        "unknown-member-key",
        set_("families[0].members[0].nickname", "Tee"),
        ["families[0].members[0].nickname: unknown key in a member"],
    ),
    ("unknown-top-key", set_("hubs", []), ["hubs: unknown key at the top of the document"]),
    (
        "unknown-documents-key",
        set_("episodes[0].documents.ecomap", True),
        ["episodes[0].documents.ecomap: unknown key in documents"],
    ),
    # time zones and spaces
    (
        "zone-z",
        set_("episodes[0].contacts[0].at", "2026-01-06T10:00Z"),
        ['episodes[0].contacts[0].at: "2026-01-06T10:00Z" is not a date-time (date-times are'],
    ),
    (
        "zone-offset",
        set_("episodes[0].allocated", "2026-01-05T09:30:00+01:00"),
        ['episodes[0].allocated: "2026-01-05T09:30:00+01:00" is not a date-time (date-times'],
    ),
    (
        "space",
        set_("episodes[0].taf_meetings[0].at", "2026-02-20 10:00"),
        ['episodes[0].taf_meetings[0].at: "2026-02-20 10:00" is not a date-time (a space'],
    ),
    (
        "zone-on-date-or-datetime",
        set_("episodes[1].assessment_completed", "2026-02-04T10:00Z"),
        ['episodes[1].assessment_completed: "2026-02-04T10:00Z" is not a date or a date-time'],
    ),
    # wrong types
    (
        "fte-string",
        set_("practitioners[0].fte", "1"),
        ['practitioners[0].fte: "1" is not a number'],
    ),
    ("fte-range", set_("practitioners[1].fte", 1.5), ["practitioners[1].fte: 1.5 is not a full"]),
    (
        "count-string",
        set_("episodes[3].sessions_planned", "6"),
        ['episodes[3].sessions_planned: "6" is not a whole number'],
    ),
    (
        "bool-string",
        set_("families[0].members[0].interpreter_needed", "no"),
        ['families[0].members[0].interpreter_needed: "no" is not true or false'],
    ),
    (
        "agencies-string",
        set_("families[0].agencies", "School"),
        ['families[0].agencies: "School" is not a list of strings'],
    ),
    (
        "contacts-not-a-list",
        contacts_not_a_list,
        ['episodes[0].contacts: {"ref": "K1"} is not a list'],
    ),
    (
        "record-not-an-object",
        set_("practitioners[2]", "P9"),
        ['practitioners[2]: "P9" is not an object (a practitioner)'],
    ),
    ("ref-number", set_("families[2].ref", 3), ["families[2].ref: 3 is not a ref"]),
    ("format", set_("format", "ehtui/2"), ['format: "ehtui/2" is not a known format']),
    # missing required fields
    (
        "missing-referral",
        set_("episodes[0].referral_received", ...),
        ["episodes[0].referral_received: missing: referral_received is required"],
    ),
    (
        "null-name",
        set_("practitioners[0].name", None),
        ["practitioners[0].name: missing: name is required (null given)"],
    ),
    (
        "missing-contact-at",
        set_("episodes[0].contacts[0].at", ...),
        ["episodes[0].contacts[0].at: missing: at is required"],
    ),
    ("missing-format", set_("format", ...), ["format: missing: format is required"]),
    (
        "missing-csc-date",
        set_("families[0].last_csc_closure", {"team": "dats"}),
        ["families[0].last_csc_closure.date: missing: date is required"],
    ),
    # the TAF meeting's RADAR feedback and plan actions (progress) are text like any other
    (
        "radar-feedback-nul",
        set_("episodes[0].taf_meetings[0].radar_feedback", "Mum\x00"),
        ["episodes[0].taf_meetings[0].radar_feedback: contains a NUL character"],
    ),
    (
        "radar-feedback-number",
        set_("episodes[0].taf_meetings[0].radar_feedback", 3),
        ["episodes[0].taf_meetings[0].radar_feedback: 3 is not a string"],
    ),
    (
        "action-progress-nul",
        set_("episodes[0].taf_meetings[0].actions", [{"what": "a", "progress": "b\x00"}]),
        ["episodes[0].taf_meetings[0].actions: an action contains a NUL character"],
    ),
    (
        "unknown-taf-key",
        set_("episodes[0].taf_meetings[0].radar_feedbak", "Happy"),
        ["episodes[0].taf_meetings[0].radar_feedbak: unknown key in a TAF meeting"],
    ),
    # several problems: every one is reported
    (
        "several",
        both(
            set_("episodes[0].type", "eha2"),
            set_("episodes[0].contacts[0].at", "2026-02-30T10:00"),
            set_("families[0].members[0].nickname", "Tee"),
            set_("episodes[2].lead", "P404"),
        ),
        [
            'episodes[0].type: "eha2" is not one of',
            'episodes[0].contacts[0].at: "2026-02-30T10:00" is not a date-time',
            "families[0].members[0].nickname: unknown key",
            'episodes[2].lead: "P404" is not a practitioner',
        ],
    ),
]


@pytest.fixture
def store(db_path: Path) -> Path:
    engine = open_store(str(db_path))
    load(engine, sample())
    engine.dispose()
    return db_path


def run_import(store: Path, file: Path) -> int:
    return main(["--db", str(store), "--as-of", "2026-03-01", "import", str(file)])


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_nothing_is_written(
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mutate: Callable[[Doc], None],
    expected: list[str],
) -> None:
    doc = sample()
    # Also change a good field, so a half-written import would show in the store.
    doc["families"][2]["name"] = "Changed"
    doc["families"].append({"ref": "F99", "name": "New", "members": [member("C99", "N", "E")]})
    mutate(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    engine = open_store(str(store))
    before = snapshot(engine)

    status = run_import(store, path)

    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    for want in expected:
        assert any(line.startswith(f"ehtui: {want}") for line in lines), (want, err)
    assert lines[-1] == "ehtui: nothing was imported"
    assert len(lines) == len(expected) + 1, err  # one message per problem, no more
    assert snapshot(engine) == before
    engine.dispose()


def test_not_json_is_refused_naming_the_file(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "ehtui/1", "families": [}', encoding="utf-8")
    engine = open_store(str(store))
    before = snapshot(engine)
    assert run_import(store, path) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ehtui: {path}: not JSON (Expecting value at line 1, column 36)")
    assert snapshot(engine) == before


def test_not_utf8_is_refused(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(
        '{"format": "ehtui/1", "families": [{"ref": "F1", "name": "Zoë"}]}'.encode("latin-1")
    )
    assert run_import(store, path) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_a_document_that_is_not_an_object(engine: Engine) -> None:
    with pytest.raises(InputError) as caught:
        import_document(engine, [1, 2], user=None, now=NOW)
    assert caught.value.problems[0] == "(document): is not a JSON object"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_import(tmp_path / "s.db", tmp_path / "nope.json")
    assert status == 2
    assert "nope.json: cannot read (No such file or directory)" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()  # a refused import does not even create the store


def test_many_problems_are_capped(engine: Engine) -> None:
    doc = sample()
    doc["episodes"][0]["contacts"] = [
        {"ref": f"X{i}", "at": "2026-02-30T10:00", "method": "telephone", "outcome": "completed"}
        for i in range(250)
    ]
    before = snapshot(engine)
    with pytest.raises(InputError) as caught:
        import_document(engine, doc, user=None, now=NOW)
    problems = caught.value.problems
    assert len(problems) == 202
    assert problems[199].startswith("episodes[0].contacts[199].at:")
    assert problems[200] == "… and 50 more problems"
    assert problems[201] == "nothing was imported"
    assert snapshot(engine) == before


def test_planned_dates_may_lie_ahead(engine: Engine) -> None:
    doc = sample()
    doc["episodes"][3]["extension_approved_until"] = "2027-05-01"
    doc["osr_rota"].append({"hub": "East/Central", "week": "2027-W10", "practitioner": "P1"})
    result = import_document(engine, doc, user=None, now=NOW)
    assert result.added["osr_rota"] == 3


def test_events_on_the_referral_day_and_up_to_now_are_accepted(engine: Engine) -> None:
    doc = sample()
    doc["episodes"][0]["contacts"][0]["at"] = "2026-01-02T00:00"  # the referral day itself
    doc["episodes"][3]["contacts"] = [
        {"ref": "K9", "at": "2026-03-01T23:59:59", "method": "duty", "outcome": "cancelled"}
    ]
    result = import_document(engine, doc, user=None, now=NOW)
    assert result.added["contacts"] == 4


def test_judgement_checks_are_not_applied_to_history(engine: Engine) -> None:
    """Age limits, post-18 routes and plan-completed closure belong to the forms."""
    doc = sample()
    doc["families"][1]["members"][0]["dob"] = "2005-01-01"  # 21 on the referral date
    doc["episodes"][1]["closure_reason"] = "plan_completed"  # an RHI for a 21-year-old
    doc["episodes"][0]["closed"] = "2026-02-28"
    doc["episodes"][0]["closure_reason"] = "plan_completed"  # no ratifying TAF
    result = import_document(engine, doc, user=None, now=NOW)
    assert result.added["episodes"] == 4


def test_as_of_sets_now_for_the_future_checks(store: Path, tmp_path: Path) -> None:
    doc = sample()
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    # As of 2026-02-15 the TAF meeting of 2026-02-20 has not happened yet.
    status = main(["--db", str(tmp_path / "new.db"), "--as-of", "2026-02-15", "import", str(path)])
    assert status == 2
    assert run_import(tmp_path / "new.db", path) == 0


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ('{"format": "ehtui/1", "practitioners": [{"fte": NaN}]}', "NaN is not a JSON value"),
        ('{"format": "ehtui/1", "x": ' + "9" * 5000 + "}", "not JSON (Exceeds the limit"),
        ("[" * 100_000 + "]" * 100_000, "not JSON (nested too deeply)"),
    ],
    ids=["nan", "huge-integer", "deep"],
)
def test_json_that_python_reads_but_json_forbids(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text_: str, expected: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text_, encoding="utf-8")
    assert run_import(store, path) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_unpaired_surrogate_is_refused_by_path(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = sample()
    doc["episodes"][0]["contacts"][1]["note"] = "broken \ud800 text"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # written as the escape \\ud800
    engine = open_store(str(store))
    before = snapshot(engine)
    assert run_import(store, path) == 2
    assert capsys.readouterr().err.splitlines() == [
        "ehtui: episodes[0].contacts[1].note: "
        "text that is not valid Unicode (an unpaired surrogate)",
        "ehtui: nothing was imported",
    ]
    assert snapshot(engine) == before


def test_a_count_too_large_to_store(engine: Engine) -> None:
    doc = sample()
    doc["episodes"][3]["sessions_planned"] = 10**30
    with pytest.raises(InputError) as caught:
        import_document(engine, doc, user=None, now=NOW)
    assert caught.value.problems[0].startswith(
        "episodes[3].sessions_planned: 1000000000000000000000000000000 is too large"
    )
