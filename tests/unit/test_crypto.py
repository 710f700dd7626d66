"""Encryption at rest: SQLCipher stores, passphrases, wrong passphrases, encrypt/decrypt."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from ehtui.cli import main
from ehtui.crypto import (
    SQLITE_HEADER,
    WrongPassphrase,
    connect,
    fingerprint,
    looks_encrypted,
    obtain_passphrase,
    verify_passphrase,
)
from ehtui.db import open_store
from ehtui.errors import InputError
from ehtui.models import Family
from ehtui.unit_of_work import write

ODD = "it's \"quoted\"; -- DROP TABLE x; \\ ünï 🙂 ' '' "


def ehtui(*args: str, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL):
    """Run ``ehtui`` in a child process, as a person or script would (real fd 2)."""
    return subprocess.run(
        [sys.executable, "-m", "ehtui.cli", *args],
        env={**os.environ, **(env or {})},
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def make_encrypted(path: Path, passphrase: str = ODD) -> None:
    engine = open_store(path, passphrase=passphrase)
    with write(engine, "P1") as s:
        s.add(Family(ref="F1", name="Okafor", agencies=["School"]))
    engine.dispose()


def test_an_encrypted_store_is_not_sqlite_on_disk_and_keeps_the_store_pragmas(
    tmp_path: Path,
) -> None:
    path = tmp_path / "private" / "store.db"
    engine = open_store(path, passphrase=ODD)
    with write(engine, "P1") as s:
        s.add(Family(ref="F1", name="Okafor"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        assert conn.execute(text("PRAGMA cipher_version")).scalar()
        assert conn.execute(text("SELECT name FROM family")).scalar() == "Okafor"
        # While open, the WAL sibling exists and is owner-only as well.
        wal = Path(f"{path}-wal")
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    engine.dispose()
    assert path.read_bytes()[:16] != SQLITE_HEADER
    assert b"Okafor" not in path.read_bytes()
    assert looks_encrypted(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite cannot read it
        sqlite3.connect(path).execute("SELECT * FROM family").fetchall()


@pytest.mark.parametrize("passphrase", ["a", "'", "''", '"', "x'; PRAGMA key='y", ODD, "p" * 500])
def test_any_passphrase_opens_only_its_store(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "s.db"
    make_encrypted(path, passphrase)
    assert verify_passphrase(path, passphrase)
    assert not verify_passphrase(path, passphrase + "x")
    assert not verify_passphrase(path, "y")
    engine = open_store(path, passphrase=passphrase)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT ref FROM family")).scalar() == "F1"
    engine.dispose()


def test_wrong_passphrase_raises_a_store_error_not_a_driver_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    make_encrypted(path)
    with pytest.raises(WrongPassphrase, match="wrong passphrase or not an ehtui store"):
        open_store(path, passphrase="nope")
    with pytest.raises(WrongPassphrase):
        connect(path, None)  # no key at all
    assert not verify_passphrase(tmp_path / "missing.db", ODD)


def test_wrong_passphrase_on_the_command_line_one_line_exit_1_nothing_from_sqlcipher(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.db"
    make_encrypted(path)
    done = ehtui("--db", str(path), "audit", env={"EHTUI_PASSPHRASE": "wrong"})
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "ehtui: s.db: wrong passphrase or not an ehtui store\n"


def test_no_terminal_and_no_passphrase_is_a_clear_error_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    make_encrypted(path)
    env = {k: v for k, v in os.environ.items() if k != "EHTUI_PASSPHRASE"}
    done = subprocess.run(
        [sys.executable, "-m", "ehtui.cli", "--db", str(path), "audit"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "set EHTUI_PASSPHRASE" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_encrypted_store_is_recognised_without_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.db"
    make_encrypted(path)
    monkeypatch.setenv("EHTUI_PASSPHRASE", ODD)
    assert main(["--db", str(path), "audit", "--format", "json"]) == 0
    assert '"record": "F1"' in capsys.readouterr().out


def test_encrypted_flag_creates_an_encrypted_store_and_refuses_a_plain_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EHTUI_PASSPHRASE", "secret")
    new = tmp_path / "new.db"
    assert main(["--db", str(new), "--encrypted", "audit"]) == 0
    assert looks_encrypted(new)
    plain = tmp_path / "plain.db"
    open_store(plain).dispose()
    assert main(["--db", str(plain), "--encrypted", "audit"]) == 2
    assert "plain.db is not encrypted; run `ehtui encrypt`" in capsys.readouterr().err


def test_passphrase_prompt_confirms_and_refuses_empty_or_nul() -> None:
    answers = iter(["one", "two"])
    with pytest.raises(InputError, match="differ"):
        obtain_passphrase(confirm=True, ask=lambda _p: next(answers), interactive=True)
    assert obtain_passphrase(confirm=True, ask=lambda _p: "same", interactive=True) == "same"
    with pytest.raises(InputError, match="empty"):
        obtain_passphrase(ask=lambda _p: "", interactive=True)
    with pytest.raises(InputError, match="NUL"):
        obtain_passphrase(ask=lambda _p: "a\x00b", interactive=True)
    with pytest.raises(InputError, match="no terminal"):
        obtain_passphrase(interactive=False)


def _plain_fingerprint(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return fingerprint(conn)
    finally:
        conn.close()


def test_encrypt_then_decrypt_round_trip_keeps_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.db"
    engine = open_store(path)
    with write(engine, "P1") as s:
        s.add(Family(ref="F1", name="Okafor", agencies=["School", "Health Visitor"]))
        s.add(Family(ref="F2", name="Nuñez \x1b[2J", last_csc_closure_date=date(2025, 4, 1)))
    engine.dispose()
    original = _plain_fingerprint(path)
    monkeypatch.setenv("EHTUI_PASSPHRASE", ODD)

    assert main(["--db", str(path), "encrypt"]) == 0
    assert path.read_bytes()[:16] != SQLITE_HEADER
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not Path(f"{path}-wal").exists()
    enc = connect(path, ODD)
    assert fingerprint(enc) == original
    enc.close()

    assert main(["--db", str(path), "decrypt"]) == 0
    assert path.read_bytes()[:16] == SQLITE_HEADER
    assert _plain_fingerprint(path) == original
    assert [p.name for p in tmp_path.iterdir()] == ["s.db"]  # no temporary files left
    out = capsys.readouterr().out
    assert "Encrypted s.db" in out and "Decrypted s.db" in out


def test_encrypt_to_a_new_file_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.db"
    open_store(path).dispose()
    before = path.read_bytes()
    monkeypatch.setenv("EHTUI_PASSPHRASE", "pw")
    assert main(["--db", str(path), "encrypt", "--to", str(tmp_path / "e.db")]) == 0
    assert path.read_bytes() == before
    assert verify_passphrase(tmp_path / "e.db", "pw")
    assert main(["--db", str(path), "encrypt", "--to", str(tmp_path / "e.db")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "e.db"), "encrypt"]) == 2
    assert main(["--db", str(path), "decrypt"]) == 2
    err = capsys.readouterr().err
    assert "e.db is already encrypted" in err and "s.db is not encrypted" in err


def test_encrypting_in_place_refuses_a_store_another_process_has_open(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).dispose()
    before = path.read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM family').fetchall()\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        done = ehtui("--db", str(path), "encrypt", env={"EHTUI_PASSPHRASE": "pw"})
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert done.returncode == 1
    assert "in use by another ehtui" in done.stderr
    assert path.read_bytes()[:16] == SQLITE_HEADER
    assert _plain_fingerprint(path) == _fingerprint_of_bytes(before, tmp_path)


def _fingerprint_of_bytes(data: bytes, tmp_path: Path) -> str:
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    return _plain_fingerprint(copy)
