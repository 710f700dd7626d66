"""A shared store on a PostgreSQL server: clients that start, write and edit at once.

Each test makes its own database on the server named by EHTUI_TEST_PG_URL
(tests/pg.py). Child processes report on a pipe and wait on their standard
input, so the parent orders the steps exactly (no sleeps).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from ehtui.db import HEAD_REVISION
from tests.pg import fresh_database
from tests.unit.builders import seed_one_episode as seed
from tests.unit.test_concurrency import Child, race_an_edit


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty database on the test server: no tables, not even Alembic's."""
    with fresh_database("srv") as url:
        yield url


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


OPENER = """
import sys
from ehtui.db import open_store
print("ready", flush=True)
sys.stdin.readline()
engine = open_store(sys.argv[1])
engine.dispose()
print("opened", flush=True)
"""


def test_clients_opening_a_new_store_at_once_all_succeed_with_one_schema(pg_url: str) -> None:
    clients = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, pg_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for proc in clients:  # every interpreter is up and waiting at the gate
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in clients:  # then all of them open the empty database together
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
    for proc in clients:
        out, err = proc.communicate(timeout=120)
        assert (proc.returncode, out.strip()) == (0, "opened"), err
    assert rows(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert tables == {*SQLModel.metadata.tables, "alembic_version"}


def test_two_clients_adding_records_at_once_never_share_a_seq(pg_url: str) -> None:
    seed(pg_url)
    a, b = Child(pg_url, "writer-a"), Child(pg_url, "writer-b")  # type: ignore[arg-type]
    a.expect("ready")
    b.expect("ready")
    a.go()
    b.go()
    for child in (a, b):
        code, out, err = child.finish()
        assert (code, out.strip()) == (0, "wrote 40"), err
    assert rows(pg_url, "SELECT note, count(*) FROM contact GROUP BY note ORDER BY note") == [
        ("writer-a", 40),
        ("writer-b", 40),
    ]
    assert rows(pg_url, "SELECT count(DISTINCT seq), min(seq), max(seq) FROM contact") == [
        (80, 1, 80)
    ]
    assert rows(pg_url, "SELECT count(*) FROM audit WHERE \"table\" = 'contact'") == [(80,)]


def test_a_conflicting_edit_from_another_client_is_refused_not_overwritten(pg_url: str) -> None:
    race_an_edit(pg_url)
    assert rows(pg_url, "SELECT engagement_confirmed, sessions_planned, version FROM episode") == [
        (date(2026, 1, 6), None, 2)
    ]
    assert rows(pg_url, "SELECT \"user\" FROM audit WHERE record = 'E1' AND action = 'update'") == [
        ("P2",)
    ]


def test_without_a_conflict_the_other_clients_edit_saves(pg_url: str) -> None:
    seed(pg_url)
    editor = Child(pg_url, "editor")  # type: ignore[arg-type]
    editor.expect("fetched")
    editor.go()
    code, out, err = editor.finish()
    assert (code, out.strip()) == (0, "saved"), err
    assert rows(pg_url, "SELECT sessions_planned, version FROM episode") == [(6, 2)]
