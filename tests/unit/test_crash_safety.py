"""A process killed (SIGKILL) in the middle of a save or an import leaves the store
consistent (``PRAGMA integrity_check`` ok) with all or none of that action.

The child processes report where they are on a pipe; the parent kills them at
that point (no sleeps). "Mid-write" is checked, not assumed: the write-ahead
log already holds the action's pages when the kill lands.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ehtui.db import open_store
from ehtui.models import Family
from ehtui.unit_of_work import write
from tests.unit.builders import seed_one_episode as seed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROWS = 3_000  # one action of 3,000 contacts with long notes: ~12 MB of pages
NOTE = "Home visit: " + "words of the note " * 60

SAVE_CHILD = f"""
import sys
from datetime import datetime, timedelta
from ehtui.db import open_store
from ehtui.models import Contact
from ehtui.unit_of_work import write

db, wait = sys.argv[1], sys.argv[2] == "wait"
engine = open_store(db)
start = datetime(2026, 1, 5, 9, 0)
with write(engine, "P1") as s:
    for i in range({ROWS}):
        s.add(Contact(ref=f"K{{i}}", episode="E1", at=start + timedelta(minutes=i),
                      method="telephone", outcome="completed", note={NOTE!r}))
        if i % 500 == 499:
            s.flush()
            print(f"flushed {{i + 1}}", flush=True)
            if wait and i + 1 == 2_000:
                sys.stdin.readline()  # held here, mid-transaction, until killed
    print("committing", flush=True)
print("committed", flush=True)
"""

IMPORT_CHILD = """
import sys
from ehtui.interchange import importer

wait = sys.argv[3] == "wait"
original = importer._Writer.insert

def insert(self, tbl, rows):
    original(self, tbl, rows)
    if tbl.name == "contact":
        print("inserted contacts", flush=True)
        if wait:
            sys.stdin.readline()

importer._Writer.insert = insert
from ehtui.cli import main
code = main(["--as-of", "2026-03-01", "--db", sys.argv[1], "import", sys.argv[2]])
print("done", code, flush=True)
"""


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_until(child: subprocess.Popen[str], wanted: str) -> list[str]:
    assert child.stdout is not None
    seen: list[str] = []
    while True:
        line = child.stdout.readline()
        if not line:
            assert child.stderr is not None
            raise AssertionError(f"child ended before {wanted!r}: {seen} {child.stderr.read()}")
        seen.append(line.strip())
        if line.strip() == wanted:
            return seen


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None:
            stream.close()


def wal_size(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def check(db: Path) -> dict[str, int]:
    """Integrity, then the counts that tell all from none."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {
            "contacts": conn.execute("SELECT count(*) FROM contact").fetchone()[0],
            "contact_audit": conn.execute(
                "SELECT count(*) FROM audit WHERE \"table\" = 'contact'"
            ).fetchone()[0],
            "imports": conn.execute(
                "SELECT count(*) FROM audit WHERE action = 'import'"
            ).fetchone()[0],
        }
    finally:
        conn.close()


def test_killed_mid_save_leaves_none_of_the_action(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    seed(db)
    child = spawn(SAVE_CHILD, str(db), "wait")
    read_until(child, "flushed 2000")
    assert wal_size(db) > 1_000_000  # the action's pages are on disk, uncommitted
    kill(child)
    assert check(db) == {"contacts": 0, "contact_audit": 0, "imports": 0}
    # The store opens and works as before.
    engine = open_store(db)
    with write(engine, "P1") as s:
        s.add(Family(ref="F2", name="After the crash"))
    engine.dispose()


@pytest.mark.parametrize("when", ["flushed 500", "flushed 3000", "committing", "committed"])
def test_killed_at_any_point_of_a_save_leaves_all_or_none(tmp_path: Path, when: str) -> None:
    db = tmp_path / "store.db"
    seed(db)
    child = spawn(SAVE_CHILD, str(db), "go")
    read_until(child, when)
    kill(child)  # the child keeps writing (or committing) until the signal lands
    counts = check(db)
    none = {"contacts": 0, "contact_audit": 0, "imports": 0}
    everything = {"contacts": ROWS, "contact_audit": ROWS, "imports": 0}
    # Once the commit has returned, a kill cannot take the action back.
    assert counts == everything if when == "committed" else counts in (none, everything)


def big_document(contacts: int) -> dict[str, Any]:
    return {
        "format": "ehtui/1",
        "practitioners": [
            {"ref": "P1", "name": "Amira Khan", "role": "practitioner", "hub": "West", "fte": 1.0}
        ],
        "families": [{"ref": "F1", "name": "Okafor"}],
        "episodes": [
            {
                "ref": "E1",
                "family": "F1",
                "type": "eha",
                "hub": "West",
                "lead": "P1",
                "source": "mash",
                "referral_received": "2026-01-02",
                "contacts": [
                    {
                        "ref": f"K{i}",
                        "at": f"2026-01-{5 + i % 20:02d}T{9 + i % 8:02d}:{i % 60:02d}",
                        "method": "telephone",
                        "outcome": "completed",
                        "note": NOTE,
                    }
                    for i in range(contacts)
                ],
            }
        ],
    }


@pytest.mark.parametrize("mode", ["wait", "go"])
def test_killed_mid_import_leaves_all_or_none(tmp_path: Path, mode: str) -> None:
    db = tmp_path / "store.db"
    open_store(db).dispose()
    doc = tmp_path / "big.json"
    doc.write_text(json.dumps(big_document(12_000)), encoding="utf-8")
    child = spawn(IMPORT_CHILD, str(db), str(doc), mode)
    read_until(child, "inserted contacts")  # the first 5,000 contacts are written
    if mode == "wait":
        assert wal_size(db) > 1_000_000
    kill(child)
    counts = check(db)
    if mode == "wait":
        assert counts == {"contacts": 0, "contact_audit": 0, "imports": 0}
    else:
        assert counts in (
            {"contacts": 0, "contact_audit": 0, "imports": 0},
            {"contacts": 12_000, "contact_audit": 0, "imports": 1},
        )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM family").fetchone()[0] in (0, 1)
    conn.close()


def test_store_files_stay_owner_only_after_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    seed(db)
    child = spawn(SAVE_CHILD, str(db), "wait")
    read_until(child, "flushed 2000")
    kill(child)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            assert os.stat(path).st_mode & 0o077 == 0, path
