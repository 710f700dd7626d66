"""The same store gives the same answers on SQLite and on PostgreSQL.

The small demo (fixed seed and anchor) is made in a SQLite file and copied to a
fresh database on the test server (tests/pg.py); every command and query that
reads the store must then answer alike, byte for byte where it prints.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ehtui.cli import main
from ehtui.copy import copy_store, row_counts
from ehtui.db import open_store
from ehtui.demo import generate
from ehtui.errors import InputError
from ehtui.interchange import import_document
from ehtui.store import case_names, case_view, people, store_info, tray_for
from ehtui.tray_rows import tray_tabs
from tests.pg import fresh_database
from tests.unit.test_interchange import sample

ANCHOR = date(2026, 3, 1)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(SQLite path, PostgreSQL URL) holding the same demo store."""
    path = str(tmp_path_factory.mktemp("same") / "demo.db")
    with fresh_database("same") as url:
        lite, server = open_store(path), open_store(url)
        generate(lite, "small", 7, ANCHOR, progress=False)
        copy_store(lite, server, progress=False)
        lite.dispose()
        server.dispose()
        yield path, url


def output(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "json"],
        ["--format", "json", "--include-late"],
        ["--format", "csv", "--hub", "West"],
        ["--format", "json", "--summary"],
        [],
    ],
    ids=["json", "late", "csv-hub", "summary", "table"],
)
@pytest.mark.parametrize("as_of", ["2026-03-01", "2026-01-20T12:00"])
def test_the_report_is_the_same_on_both_engines(
    stores: tuple[str, str], capsys: pytest.CaptureFixture[str], options: list[str], as_of: str
) -> None:
    lite, server = stores
    on_sqlite = output(capsys, "--db", lite, "--as-of", as_of, "report", *options)
    on_server = output(capsys, "--db", server, "--as-of", as_of, "report", *options)
    assert on_sqlite.count("\n") > 3  # a real report, not two empty ones
    assert on_server == on_sqlite


def test_the_export_is_the_same_on_both_engines(
    stores: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    lite, server = stores
    on_sqlite = output(capsys, "--db", lite, "export")
    assert '"episodes"' in on_sqlite
    assert output(capsys, "--db", server, "export") == on_sqlite


def test_the_app_queries_are_the_same_on_both_engines(stores: tuple[str, str]) -> None:
    lite, server = (open_store(target) for target in stores)
    try:
        as_of = datetime(2026, 3, 1, 16, 0)
        assert people(server) == people(lite)
        assert case_names(server) == case_names(lite)
        me = next(p.ref for p in people(lite).values() if p.role == "team_manager")
        info = store_info(lite, me)
        assert store_info(server, me) == info and info.me is not None
        for tab, _label in tray_tabs(info.me, info.team):
            mine = tray_for(lite, as_of, info.me, tab, info.team)
            assert tray_for(server, as_of, info.me, tab, info.team) == mine
        for name in case_names(lite)[:15]:
            view = case_view(lite, name.episode, as_of)
            assert view is not None and case_view(server, name.episode, as_of) == view
    finally:
        lite.dispose()
        server.dispose()


def test_a_demo_made_on_the_server_is_the_demo_made_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lite = str(tmp_path / "demo.db")
    with fresh_database("demo") as server:
        for target in (lite, server):
            demo = ["--db", target, "demo", "--size", "small", "--anchor", "2026-02-02"]
            assert main(demo) == 0
        capsys.readouterr()
        assert output(capsys, "--db", server, "export") == output(capsys, "--db", lite, "export")


def test_a_nul_character_is_refused_by_path_on_every_engine(engine: Engine) -> None:
    """PostgreSQL text cannot hold NUL; SQLite could, so both refuse it alike."""
    doc = sample()
    doc["episodes"][0]["contacts"][0]["note"] = "Called\x00 mother"
    doc["families"][0]["members"][0]["ref"] = "C\x001"
    with pytest.raises(InputError) as refused:
        import_document(engine, copy.deepcopy(doc), user="P1", now=datetime(2026, 3, 1))
    problems = "\n".join(refused.value.problems)
    assert "episodes[0].contacts[0].note: contains a NUL character" in problems
    assert 'families[0].members[0].ref: "C\\u00001" is not a ref' in problems
    with engine.connect() as conn:
        assert {name: n for name, n in row_counts(conn).items() if n} == {}
