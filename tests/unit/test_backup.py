"""Backups: consistent copies of a live store, the rolling daily backup, restore."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ehtui.backup import backup_store, backups_dir, daily_dir, rolling_daily_backup
from ehtui.cli import main
from ehtui.crypto import SQLITE_HEADER, connect, fingerprint, verify_passphrase
from ehtui.db import open_store
from ehtui.models import Family
from ehtui.unit_of_work import fetch, write

pytestmark = pytest.mark.sqlite_only  # backups copy SQLite files


def add_family(engine: Engine, ref: str, name: str = "Okafor") -> None:
    with write(engine, "P1") as s:
        s.add(Family(ref=ref, name=name))


def families(path: Path, passphrase: str | None = None) -> list[str]:
    conn = connect(path, passphrase) if passphrase else sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT ref FROM family ORDER BY ref")]
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_of_a_live_store_holds_committed_data_only(engine: Engine, tmp_path: Path) -> None:
    add_family(engine, "F1")
    # Someone is half-way through an action: uncommitted rows must not be copied.
    with engine.connect() as busy:
        busy.execute(text("BEGIN"))
        busy.execute(
            text(
                "INSERT INTO family (ref, name, agencies, seq, version) "
                "VALUES ('F2', 'Half', '[]', 2, 1)"
            )
        )
        dest = backup_store(engine)
        busy.rollback()
    assert dest.parent == backups_dir()
    assert dest.name.startswith("store-") and dest.suffix == ".db"
    assert families(dest) == ["F1"]
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    conn.close()
    assert mode(dest) == 0o600
    assert mode(dest.parent) == 0o700
    assert mode(dest.parent.parent) == 0o700  # the data folder
    assert not list(dest.parent.glob(".*partial"))


def test_backup_of_an_encrypted_store_is_encrypted_with_the_same_passphrase(
    tmp_path: Path,
) -> None:
    engine = open_store(tmp_path / "s.db", passphrase="correct horse")
    add_family(engine, "F1")
    (tmp_path / "copies").mkdir()
    dest = backup_store(engine, tmp_path / "copies")
    engine.dispose()
    assert dest.parent == tmp_path / "copies"
    assert dest.read_bytes()[:16] != SQLITE_HEADER
    assert verify_passphrase(dest, "correct horse")
    assert not verify_passphrase(dest, "wrong")
    assert families(dest, "correct horse") == ["F1"]


def test_backup_command_default_folder_named_file_and_refusals(
    engine: Engine, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_family(engine, "F1")
    assert main(["--db", str(db_path), "backup"]) == 0
    out = capsys.readouterr().out
    made = Path(out.strip().removeprefix("Backed up to "))
    assert made.parent == backups_dir() and families(made) == ["F1"]

    named = tmp_path / "elsewhere" / "copy.db"
    assert main(["--db", str(db_path), "backup", str(named)]) == 0
    assert families(named) == ["F1"] and mode(named) == 0o600
    assert main(["--db", str(db_path), "backup", str(named)]) == 2
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["backup"], ["restore", "--yes", "x.db"]])
def test_backup_commands_refuse_postgresql(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", "postgresql+psycopg://someone@nowhere/ehtui", *command]) == 2
    err = capsys.readouterr().err
    assert "for SQLite stores" in err and "pg_dump" in err


def test_rolling_daily_backup_once_a_day_keeps_seven(engine: Engine, db_path: Path) -> None:
    add_family(engine, "F1")
    first = date(2026, 3, 1)
    made = rolling_daily_backup(engine, today=first)
    assert made is not None and made.parent == daily_dir()
    assert made.name.endswith("-2026-03-01.db")
    stamp = made.stat().st_mtime_ns
    assert rolling_daily_backup(engine, today=first) is None  # idempotent, cheap
    assert made.stat().st_mtime_ns == stamp
    for n in range(1, 10):
        add_family(engine, f"F{n + 1}")
        assert rolling_daily_backup(str(db_path), today=first + timedelta(days=n)) is not None
    kept = sorted(p.name for p in daily_dir().iterdir())
    assert len(kept) == 7
    assert kept[0].endswith("-2026-03-04.db") and kept[-1].endswith("-2026-03-10.db")
    assert families(daily_dir() / kept[-1]) == [f"F{n}" for n in (1, 10, 2, 3, 4, 5, 6, 7, 8, 9)]
    assert mode(daily_dir()) == 0o700


def test_daily_backups_of_two_stores_with_one_name_do_not_mix(tmp_path: Path) -> None:
    a = open_store(tmp_path / "a" / "ehtui.db")
    b = open_store(tmp_path / "b" / "ehtui.db")
    day = date(2026, 3, 1)
    made_a = rolling_daily_backup(a, today=day)
    made_b = rolling_daily_backup(b, today=day)
    assert made_a is not None and made_b is not None and made_a != made_b
    for n in range(1, 9):
        rolling_daily_backup(a, today=day + timedelta(days=n))
    assert made_b.exists()  # a's pruning never touches b's backups
    a.dispose()
    b.dispose()


def test_rolling_daily_backup_skips_postgresql() -> None:
    assert rolling_daily_backup("postgresql+psycopg://someone@nowhere/ehtui") is None


def test_restore_replaces_the_store_and_keeps_what_it_replaced(
    engine: Engine, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_family(engine, "F1")
    backup = backup_store(engine)
    add_family(engine, "F2")
    with write(engine, "P1") as s:
        fetch(s, Family, "F1").name = "Changed"
    assert main(["--db", str(db_path), "restore", "--yes", str(backup)]) == 0
    out = capsys.readouterr().out
    saved = Path(out.strip().split(" is kept at ")[1])
    engine.dispose()
    assert families(db_path) == ["F1"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM family").fetchall() == [("Okafor",)]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert families(saved) == ["F1", "F2"]
    assert "before-restore" in saved.name


def store_fingerprint(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return fingerprint(conn)
    finally:
        conn.close()


def test_restore_refuses_without_confirmation_damaged_files_and_non_stores(
    engine: Engine, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_family(engine, "F1")
    good = backup_store(engine)
    add_family(engine, "F2")
    before = store_fingerprint(db_path)

    # No terminal and no --yes: refuse (a subprocess with stdin not a terminal).
    done = subprocess.run(
        [sys.executable, "-m", "ehtui.cli", "--db", str(db_path), "restore", str(good)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert done.returncode == 2
    assert "pass --yes" in done.stderr

    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    for offset in range(4096, len(data), 4096):  # scribble on every page but the first
        data[offset : offset + 16] = b"\xff" * 16
    damaged.write_bytes(bytes(data))
    assert main(["--db", str(db_path), "restore", "--yes", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "nothing was changed" in err

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["--db", str(db_path), "restore", "--yes", str(other)]) == 2
    assert "other.db is not an ehtui store" in capsys.readouterr().err

    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    assert main(["--db", str(db_path), "restore", "--yes", str(text_file)]) == 2

    engine.dispose()
    assert store_fingerprint(db_path) == before


def test_restore_refuses_a_backup_whose_encryption_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = open_store(tmp_path / "plain.db")
    add_family(plain, "F1")
    plain_backup = backup_store(plain)
    plain.dispose()
    monkeypatch.setenv("EHTUI_PASSPHRASE", "pw")
    enc = open_store(tmp_path / "enc.db", passphrase="pw")
    add_family(enc, "E9")
    enc.dispose()
    assert main(["--db", str(tmp_path / "enc.db"), "restore", "--yes", str(plain_backup)]) == 2
    assert "is not encrypted but the store is encrypted" in capsys.readouterr().err
    assert families(tmp_path / "enc.db", "pw") == ["E9"]


def test_restore_into_an_encrypted_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EHTUI_PASSPHRASE", "pw")
    engine = open_store(tmp_path / "enc.db", passphrase="pw")
    add_family(engine, "F1")
    backup = backup_store(engine)
    add_family(engine, "F2")
    engine.dispose()
    assert main(["--db", str(tmp_path / "enc.db"), "restore", "--yes", str(backup)]) == 0
    assert families(tmp_path / "enc.db", "pw") == ["F1"]
    assert verify_passphrase(tmp_path / "enc.db", "pw")


def test_daily_backup_of_an_encrypted_store_is_encrypted(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "enc.db", passphrase="pw")
    add_family(engine, "F1")
    made = rolling_daily_backup(engine, today=date(2026, 3, 1))
    engine.dispose()
    assert made is not None
    assert made.read_bytes()[:16] != SQLITE_HEADER
    assert families(made, "pw") == ["F1"]
