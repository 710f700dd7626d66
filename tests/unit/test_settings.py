"""Settings override the protocol's numbers; bad settings are refused by key."""

from __future__ import annotations

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
        ('[rules."UP-6W"]\ndue = "eight weeks"', "rules.UP-6W.due: 'eight weeks' is not a span"),
        ('[rules."UP-6W"]\ncolour = "red"', "rules.UP-6W.colour: unknown setting"),
        (
            '[rules."CASELOAD-15"]\nlimit = "many"',
            "rules.CASELOAD-15.limit: 'many' is not a number",
        ),
        ("[tray]\ncritically_overdue_working_days = -1", "tray.critically_overdue_working_days"),
        ("[app]\nidle_lock_minutes = true", "app.idle_lock_minutes"),
        ("[colours]\nx = 1", "colours: unknown section"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, text))
    assert any(message in p for p in err.value.problems), err.value.problems


def test_parse_span() -> None:
    assert parse_span("48 hours") == Span(48, Unit.HOURS)
    assert parse_span("1 month") == Span(1, Unit.MONTHS)
    assert parse_span("7 working_days") == Span(7, Unit.WORKING_DAYS)
    assert parse_span("7") is None and parse_span(7) is None


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
