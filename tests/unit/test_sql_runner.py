"""One SQL text, two ways to run it: SQLAlchemy, or the standard library on a plain file.

The engine's loader, the duty lookup's index and its family card read the store
through :mod:`ehtui.sql`. On the small demo, both runners must give exactly the
same snapshots, hits and cards; and ``ehtui lookup`` on a plain file must not
load SQLAlchemy at all (that is what makes it fast).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ehtui.db import open_store
from ehtui.demo import generate
from ehtui.lookup.card import family_card
from ehtui.lookup.index import LookupIndex
from ehtui.lookup.rows import Facts
from ehtui.rules import evaluate_store
from ehtui.rules.load import load_from
from ehtui.sql import AlchemyRunner, SqliteRunner, open_plain

ANCHOR = date(2026, 11, 20)
AS_OF = datetime(2026, 11, 20, 23, 59, 59)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, str]]:
    path = tmp_path_factory.mktemp("demo") / "small.db"
    engine = open_store(str(path))
    generate(engine, "small", 1, ANCHOR, progress=False)
    yield engine, f"sqlite:///{path}"
    engine.dispose()


@pytest.fixture
def plain(small: tuple[Engine, str]) -> Iterator[SqliteRunner]:
    conn = open_plain(small[1])
    assert conn is not None
    yield SqliteRunner(conn)
    conn.close()


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"history": True},
        {"hub": "West", "include_closed": False},
        {"practitioner": "P002"},
        {"episodes": ["E000001", "E000002", "E000003"], "history": True},
    ],
)
def test_the_standard_library_loads_the_same_snapshot(
    small: tuple[Engine, str], plain: SqliteRunner, scope: dict[str, object]
) -> None:
    through_alchemy = load_from(small[0], AS_OF, **scope)
    assert through_alchemy.episodes  # the scope is not empty
    assert load_from(plain, AS_OF, **scope) == through_alchemy


def test_the_same_findings_hits_and_cards(small: tuple[Engine, str], plain: SqliteRunner) -> None:
    engine = small[0]
    assert evaluate_store(plain, AS_OF) == evaluate_store(engine, AS_OF)
    by_engine, by_file = LookupIndex.build(engine, AS_OF), LookupIndex.build(plain, AS_OF)
    for query in ("moh", "Mohamed", "smith", "n12", "E000001", "2016"):
        assert by_file.search(query) == by_engine.search(query)
    assert Facts.build(plain, AS_OF) == Facts.build(engine, AS_OF)
    families = {h.family for h in by_engine.search("a", 50) if h.family}
    assert len(families) > 3
    for family in sorted(families):
        card = family_card(plain, family, AS_OF)
        assert card is not None and card == family_card(engine, family, AS_OF)


def test_lists_expand_and_dates_are_written_as_stored(plain: SqliteRunner) -> None:
    assert plain.rows("SELECT count(*) FROM episode WHERE ref IN :refs", refs=[]) == [(0,)]
    assert plain.rows(
        "SELECT ref FROM episode WHERE ref IN :refs AND ref <> :refs_not ORDER BY ref",
        refs=("E000001", "E000002"),
        refs_not="E000002",
    ) == [("E000001",)]
    allocated = plain.rows("SELECT allocated FROM episode WHERE allocated IS NOT NULL LIMIT 1")
    at = datetime.fromisoformat(allocated[0][0])
    assert plain.rows("SELECT count(*) FROM episode WHERE allocated = :at", at=at)[0][0] >= 1


def test_an_alchemy_runner_reads_the_same_rows(small: tuple[Engine, str]) -> None:
    sql = "SELECT ref, dob FROM member WHERE family IN :f ORDER BY ref"
    with small[0].connect() as conn:
        by_alchemy = AlchemyRunner(conn).rows(sql, f={"F00001", "F00002"})
    conn2 = open_plain(small[1], read_only=True)
    assert conn2 is not None
    try:
        assert [tuple(r) for r in by_alchemy] == SqliteRunner(conn2).rows(
            sql, f={"F00001", "F00002"}
        )
    finally:
        conn2.close()


def test_only_a_plain_file_at_the_newest_schema_is_opened_directly(tmp_path: Path) -> None:
    assert open_plain("postgresql+psycopg://u@h/db") is None
    assert open_plain(f"sqlite:///{tmp_path / 'missing.db'}") is None
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_bytes(b"\x00" * 64)  # what an encrypted file's header looks like
    assert open_plain(f"sqlite:///{not_a_store}") is None
    older = tmp_path / "older.db"
    with sqlite3.connect(older) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0000')")
    conn.close()
    assert open_plain(f"sqlite:///{older}") is None  # the usual way migrates it first
    bare = tmp_path / "bare.db"
    sqlite3.connect(bare).close()
    assert open_plain(f"sqlite:///{bare}") is None


def test_lookup_on_a_plain_file_loads_no_sqlalchemy(small: tuple[Engine, str]) -> None:
    """``ehtui lookup`` is a whole process with a one-second budget: on a plain file it
    reads the store with the standard library, and logs the viewing all the same."""
    db = small[1].removeprefix("sqlite:///")
    code = f"""
import sys
from ehtui.cli import main
code = main(["--db", {db!r}, "--as-of", "2026-11-20", "--user", "P001", "lookup", "moh"])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel"))
assert code == 0 and not heavy, (code, heavy[:5])
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'Matches for "moh"' in result.stdout and " family (F" in result.stdout
    with sqlite3.connect(db) as conn:
        logged = conn.execute(
            "SELECT \"user\", action, changes FROM audit WHERE action = 'access'"
        ).fetchall()
    conn.close()
    assert logged and logged[-1][:2] == ("P001", "access")
    assert "duty lookup: family card" in logged[-1][2]


def test_an_empty_list_matches_nothing_on_every_backend(engine: Engine) -> None:
    with engine.connect() as conn:
        run = AlchemyRunner(conn)
        assert run.rows("SELECT count(*) FROM episode WHERE ref IN :refs", refs=[]) == [(0,)]
        assert run.rows("SELECT count(*) FROM family WHERE ref IN :refs", refs=set()) == [(0,)]
