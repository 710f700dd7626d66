"""Settings override the protocol's numbers; bad settings are refused by key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ehtui.calendar import Span, Unit
from ehtui.errors import InputError
from ehtui.settings import load_settings, parse_span
from tests.unit.builders import episode, findings


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(None)
    assert settings.table["EHA-HOME-VISIT-7WD"].due == Span(7, Unit.WORKING_DAYS)
    assert settings.idle_lock_minutes == 10


def test_overrides_change_the_clock(tmp_path: Path) -> None:
    settings = load_settings(
        write(
            tmp_path,
            """
[rules."EHA-HOME-VISIT-7WD"]
due = "10 working days"
warn = "1 working day"
[tray]
critically_overdue_working_days = 5
[app]
idle_lock_minutes = 3
""",
        )
    )
    table = settings.table
    assert table["EHA-HOME-VISIT-7WD"].due == Span(10, Unit.WORKING_DAYS)
    assert table.critically_overdue_working_days == 5 and settings.idle_lock_minutes == 3
    # Allocated Mon 5 Jan: 10 working days → due Mon 19 Jan, so nothing on Thu 15 Jan.
    assert findings(episode(), "2026-01-15", "EHA-HOME-VISIT-7WD", table) == []
    assert [
        f.due.isoformat()
        for f in findings(episode(), "2026-01-20", "EHA-HOME-VISIT-7WD", table)
        if f.due
    ] == ["2026-01-19"]


def test_the_config_directory_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "settings.toml").write_text('[rules."UP-6W"]\ndue = "8 weeks"\n')
    monkeypatch.setenv("EHTUI_CONFIG_DIR", str(config))
    assert load_settings(None).table["UP-6W"].due == Span(8, Unit.WEEKS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[rules."NOPE"]\ndue = "1 week"', "rules.NOPE: no such rule ID"),
        ('[rules."UP-6W"]\ndue = "eight weeks"', "rules.UP-6W.due: |eight weeks|is not a span"),
        ('[rules."UP-6W"]\ncolour = "red"', "rules.UP-6W.colour: unknown setting"),
        (
            '[rules."CASELOAD-15"]\nlimit = "many"',
            "rules.CASELOAD-15.limit: |many|is not a number",
        ),
        ("[tray]\ncritically_overdue_working_days = -1", "tray.critically_overdue_working_days"),
        ("[app]\nidle_lock_minutes = true", "app.idle_lock_minutes: true is not a whole number"),
        ("[app]\nidle_lock = 5", "app.idle_lock: unknown setting"),
        ('[app]\nas_of = "next week"', "app.as_of: |next week|is not a date"),
        ("[app]\nas_of = 2026-01-15T09:00:00Z", "app.as_of: 2026-01-15T09:00:00+00:00 has a UTC"),
        ('[rules."UP-6W"]\nwarn = 10', 'rules.UP-6W.warn: 10 is not a span like "6 weeks"'),
        ("[colours]\nx = 1", "colours: unknown section"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    """Each problem names the key, then (``|``-separated parts) the value and what is wrong."""
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, text))
    parts = message.split("|")
    assert any(all(part in p for part in parts) for p in err.value.problems), err.value.problems


def test_the_brief_s_message_word_for_word(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, '[rules."UP-6W"]\ndue = "eight weeks"'))
    assert err.value.problems == [
        'settings.toml: rules.UP-6W.due: "eight weeks" is not a span like "6 weeks"'
    ]


def test_everything_wrong_is_named_at_once(tmp_path: Path) -> None:
    text = (
        '[rules."UP-6W"]\ndue = "soon"\n'
        '[rules."NOPE"]\ndue = "1 week"\n'
        "[app]\nidle_lock_minutes = -1"
    )
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, text))
    assert [p.split(":")[1].strip() for p in err.value.problems] == [
        "rules.UP-6W.due",
        "rules.NOPE",
        "app.idle_lock_minutes",
    ]


def test_as_of_in_the_settings(tmp_path: Path) -> None:
    dated = load_settings(write(tmp_path, "[app]\nas_of = 2026-01-15\n"))
    assert dated.as_of == datetime(2026, 1, 15, 23, 59, 59)  # a date: its end of day
    timed = load_settings(write(tmp_path, '[app]\nas_of = "2026-01-15T09:30"\n'))
    assert timed.as_of == datetime(2026, 1, 15, 9, 30)
    assert load_settings(None).as_of is None


def test_a_missing_settings_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--settings: cannot read"):
        load_settings(str(tmp_path / "nope.toml"))


def test_parse_span() -> None:
    assert parse_span("48 hours") == Span(48, Unit.HOURS)
    assert parse_span("1 month") == Span(1, Unit.MONTHS)
    assert parse_span("7 working_days") == Span(7, Unit.WORKING_DAYS)
    assert parse_span("6 weeks") == Span(6, Unit.WEEKS)
    assert parse_span("7 Working Days") == Span(7, Unit.WORKING_DAYS)
    assert parse_span("1 day") == Span(1, Unit.DAYS)
    assert parse_span("7") is None and parse_span(7) is None
    assert parse_span("-1 weeks") is None and parse_span("6 fortnights") is None


def test_report_refuses_bad_settings_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ehtui.cli import main

    path = write(tmp_path, '[rules."NOPE"]\ndue = "1 week"')
    assert main(["--db", str(tmp_path / "s.db"), "--settings", path, "report"]) == 2
    assert "rules.NOPE" in capsys.readouterr().err


def test_settings_flag_makes_new_stores_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ehtui.cli import main
    from ehtui.crypto import looks_encrypted

    monkeypatch.setenv("EHTUI_PASSPHRASE", "secret")
    path = write(tmp_path, "[store]\nencrypted = true\n")
    new = tmp_path / "new.db"
    assert main(["--db", str(new), "--settings", path, "audit"]) == 0
    assert looks_encrypted(new)
    with pytest.raises(InputError, match=r"store\.encrypted"):
        load_settings(write(tmp_path, '[store]\nencrypted = "yes"\n'))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[rules."CASELOAD-15"]\ndue = "1 week"', "rules.CASELOAD-15.due: unknown setting"),
        ('[rules."EHA-HOME-VISIT-7WD"]\nlimit = 3', "rules.EHA-HOME-VISIT-7WD.limit: unknown"),
        ("[tray]\ncolour = 1", "tray.colour: unknown setting"),
        ("rules = 3", "rules: expected a table"),
        ("[contact_guide]\nminimum = [8, -1]", "contact_guide.minimum"),
        ("[contact_guide]\nmaximum = [8]", "contact_guide.maximum: unknown setting"),
        ("[tray]\neha_not_started_working_days = 1.5", "tray.eha_not_started_working_days"),
    ],
)
def test_more_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, text))
    assert any(message in p for p in err.value.problems), err.value.problems


def test_every_number_of_the_table_can_be_set(tmp_path: Path) -> None:
    text = """
[rules."CASELOAD-15"]
limit = 14
advice_at = 12
[rules."RHI-ATTEMPTS-3"]
warn = "12 hours"
[tray]
eha_not_started_working_days = 5
[contact_guide]
minimum = [6, 4, 2, 1]
"""
    table = load_settings(write(tmp_path, text)).table
    assert (table["CASELOAD-15"].limit, table["CASELOAD-15"].advice_at) == (14, 12)
    assert table["RHI-ATTEMPTS-3"].warn == Span(12, Unit.HOURS)
    assert table.eha_not_started_working_days == 5
    assert table.contact_guide == (6, 4, 2, 1)
    # Rule IDs never change, only their numbers.
    assert tuple(table.rules) == tuple(load_settings(None).table.rules)


def test_an_rhi_attempts_window_set_in_the_settings_warns() -> None:
    from ehtui.settings import parse_settings

    table = parse_settings({"rules": {"RHI-ATTEMPTS-3": {"warn": "12 hours"}}}).table
    ep = episode(type="rhi", source="police")  # allocated Mon 5 Jan 09:30: due Thu 09:30
    assert [f.state for f in findings(ep, "2026-01-07T22:00", "RHI-ATTEMPTS-3", table)] == [
        "due_soon"
    ]
    assert findings(ep, "2026-01-07T22:00", "RHI-ATTEMPTS-3") == []
