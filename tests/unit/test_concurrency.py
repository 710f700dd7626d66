"""Two ehtui processes on one SQLite store: both work; a conflicting edit is refused.

Processes report on a pipe and wait on their standard input, so the parent
orders the steps exactly (no sleeps).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ehtui.db import open_store
from ehtui.models import Episode
from ehtui.unit_of_work import write
from tests.unit.builders import seed_one_episode as seed

WORKER = """
import sys
from datetime import datetime, timedelta
from ehtui.db import open_store
from ehtui.models import Contact, Episode
from ehtui.unit_of_work import StaleRecord, fetch, write

db, role = sys.argv[1], sys.argv[2]
engine = open_store(db)

def step(word):
    print(word, flush=True)
    sys.stdin.readline()

if role.startswith("writer"):
    step("ready")
    for i in range(40):
        with write(engine, role) as s:
            s.add(Contact(ref=f"{role}-{i}", episode="E1",
                          at=datetime(2026, 1, 5, 9) + timedelta(minutes=i),
                          method="telephone", outcome="completed", note=role))
    print("wrote 40", flush=True)
elif role == "holder":
    with write(engine, "P1") as s:
        s.add(Contact(ref="held", episode="E1", at=datetime(2026, 1, 5, 9),
                      method="telephone", outcome="completed"))
        s.flush()  # the write lock is taken, the transaction open
        step("holding")
    print("committed", flush=True)
elif role == "editor":
    try:
        with write(engine, "P1") as s:
            episode = fetch(s, Episode, "E1", version=1)  # the form opened at version 1
            step("fetched")
            episode.sessions_planned = 6
        print("saved", flush=True)
    except StaleRecord as exc:
        print(exc, flush=True)
        sys.exit(3)
"""


class Child:
    def __init__(self, db: Path, role: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), role],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def expect(self, line: str) -> None:
        assert self.proc.stdout is not None
        got = self.proc.stdout.readline().strip()
        if got != line:
            assert self.proc.stderr is not None
            raise AssertionError(f"expected {line!r}, got {got!r}: {self.proc.stderr.read()}")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, out, err


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_two_processes_writing_at_once_both_succeed(db_path: Path) -> None:
    seed(db_path)
    a, b = Child(db_path, "writer-a"), Child(db_path, "writer-b")
    a.expect("ready")
    b.expect("ready")
    a.go()
    b.go()
    for child in (a, b):
        code, out, err = child.finish()
        assert (code, out.strip()) == (0, "wrote 40"), err
    assert rows(db_path, "SELECT note, count(*) FROM contact GROUP BY note ORDER BY note") == [
        ("writer-a", 40),
        ("writer-b", 40),
    ]
    assert rows(db_path, "SELECT count(*) FROM audit WHERE \"table\" = 'contact'") == [(80,)]
    assert rows(db_path, "SELECT count(DISTINCT seq) FROM contact") == [(80,)]
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]


def test_a_writer_waits_for_another_processes_transaction_instead_of_failing(
    db_path: Path,
) -> None:
    seed(db_path)
    holder = Child(db_path, "holder")
    holder.expect("holding")  # a write transaction is open in the other process
    writer = Child(db_path, "writer-b")
    writer.expect("ready")
    writer.go()  # it starts writing, and must wait (busy_timeout), not fail
    holder.go()
    assert holder.finish()[0] == 0
    code, out, err = writer.finish()
    assert (code, out.strip()) == (0, "wrote 40"), err
    assert rows(db_path, "SELECT count(*) FROM contact") == [(41,)]


def race_an_edit(target: Any) -> None:
    """Another instance opens E1 at version 1; this one saves first; the other's save of
    the same record must be refused with the stale-record message (exit 3)."""
    seed(target)
    editor = Child(target, "editor")
    editor.expect("fetched")  # the other instance has the episode open at version 1
    engine = open_store(target)  # this instance saves first
    with write(engine, "P2") as s:
        episode = s.get(Episode, "E1")
        assert episode is not None
        episode.engagement_confirmed = date(2026, 1, 6)
    engine.dispose()
    editor.go()
    code, out, _err = editor.finish()
    assert code == 3
    assert out.strip() == (
        "This episode (E1) was changed by someone else since you opened it; reload and try again."
    )


def test_a_conflicting_edit_from_another_process_is_refused_not_overwritten(
    db_path: Path,
) -> None:
    race_an_edit(db_path)
    assert rows(db_path, "SELECT engagement_confirmed, sessions_planned, version FROM episode") == [
        ("2026-01-06", None, 2)
    ]
    assert rows(db_path, "SELECT user FROM audit WHERE record = 'E1' AND action = 'update'") == [
        ("P2",)
    ]


def test_without_a_conflict_the_other_processes_edit_saves(db_path: Path) -> None:
    seed(db_path)
    editor = Child(db_path, "editor")
    editor.expect("fetched")
    editor.go()
    code, out, err = editor.finish()
    assert (code, out.strip()) == (0, "saved"), err
    assert rows(db_path, "SELECT sessions_planned, version FROM episode") == [(6, 2)]
