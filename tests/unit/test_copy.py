"""``ehtui copy``: a whole store moved between SQLite and PostgreSQL, losslessly.

The store is the small demo plus hand-made rows for what the demo does not make:
edited records (version > 1), a removed record (deleted_at and reason), a
manager whose ref sorts after the practitioner they manage, form drafts, field-
by-field audit entries, text beyond ASCII and date-times with microseconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from ehtui.cli import main
from ehtui.db import open_store
from ehtui.demo import generate
from ehtui.models import Appointment, AuditEntry, Contact, Episode, FormDraft, Practitioner
from ehtui.unit_of_work import fetch, soft_delete, write
from tests.pg import fresh_database

ANCHOR = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 17, 5, 9, 123456)


def fill(engine: Engine) -> None:
    generate(engine, "small", 1, ANCHOR, progress=False)
    with write(engine, "ZZ9", at=NOW) as s:
        s.add(Practitioner(ref="ZZ9", name="Siobhán Ní Bhriain", role="team_manager", hub="West"))
        s.add(
            Practitioner(
                ref="AA1",
                name="Zoë Ødegård",
                role="practitioner",
                hub="West",
                fte=0.6,
                manager="ZZ9",
            )
        )
    with write(engine, "ZZ9", at=NOW, reason="typo") as s:
        episode = s.scalars(select(Episode).order_by(Episode.seq)).first()
        assert episode is not None
        episode.sessions_planned = 7
        contact = s.scalars(select(Contact).order_by(Contact.seq)).first()
        assert contact is not None
        soft_delete(s, contact, "recorded on the wrong family — “duplicate”")
        s.add(
            Appointment(
                ref="AP1",
                episode=episode.ref,
                practitioner="AA1",
                at=datetime(2026, 3, 4, 10, 30),
                kind="home_visit",
                note="Bring the “three houses” sheet",
            )
        )
    with Session(engine) as s:
        s.add(
            FormDraft(
                form="contact", target="E1", user="P1", payload={"note": "half…"}, updated_at=NOW
            )
        )
        s.add(FormDraft(form="voice", target="E2", user=None, payload={}, updated_at=NOW))
        s.commit()


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table exactly as SQLite holds it (text, numbers, nulls)."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in SQLModel.metadata.sorted_tables:
            key = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            out[table.name] = conn.execute(
                f'SELECT * FROM "{table.name}" ORDER BY {key}'
            ).fetchall()
        return out
    finally:
        conn.close()


def typed_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as Python values, in key order (any engine)."""
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in SQLModel.metadata.sorted_tables
        }


def copy(*args: str) -> int:
    return main(["copy", *args])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.db"
    engine = open_store(path)
    fill(engine)
    engine.dispose()
    return path


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database("copy") as url:
        yield url


def test_sqlite_to_postgresql_to_sqlite_gives_an_identical_store(
    source: Path, pg_url: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.db"
    assert copy("--from", str(source), "--to", pg_url) == 0
    assert copy("--from", pg_url, "--to", str(back)) == 0
    original = sqlite_rows(source)
    assert sqlite_rows(back) == original
    assert [name for name, rows in original.items() if not rows] == []  # every table tested
    on_server = open_store(pg_url)
    try:
        assert typed_rows(on_server) == typed_rows(open_store(source))
    finally:
        on_server.dispose()


def test_the_copy_keeps_bookkeeping_and_the_server_numbers_on_after_it(
    source: Path, pg_url: str
) -> None:
    assert copy("--from", str(source), "--to", pg_url) == 0
    engine = open_store(pg_url)
    try:
        with Session(engine) as s:
            ama = s.get(Practitioner, "AA1")
            assert ama is not None and (ama.manager, ama.fte, ama.name) == (
                "ZZ9",
                0.6,
                "Zoë Ødegård",
            )
            removed = s.scalars(select(Contact).where(Contact.deleted_at.is_not(None))).one()  # type: ignore[union-attr]
            assert removed.deleted_reason == "recorded on the wrong family — “duplicate”"
            assert removed.version == 2
            assert (
                s.scalars(select(Episode).where(Episode.version == 2)).one().sessions_planned == 7
            )
            drafts = s.scalars(select(FormDraft).order_by(FormDraft.id)).all()  # type: ignore[arg-type]
            assert [(d.id, d.payload) for d in drafts] == [(1, {"note": "half…"}), (2, {})]
            copied_ids = list(s.scalars(select(AuditEntry.id)))
        # New rows get ids after the copied ones (the sequences were moved on).
        with write(engine, "P1", at=NOW) as w:
            fetch(w, Practitioner, "AA1").phone = "07700 900123"
        with Session(engine) as s:
            new = s.scalars(select(AuditEntry).where(AuditEntry.id > max(copied_ids))).all()  # type: ignore[arg-type, operator]
            assert [(a.id, a.record, a.changes) for a in new] == [
                (len(copied_ids) + 1, "AA1", {"phone": {"old": None, "new": "07700 900123"}})
            ]
        with Session(engine) as s:
            s.add(FormDraft(form="contact", target="E3", payload={}, updated_at=NOW))
            s.commit()
            assert [d.id for d in s.scalars(select(FormDraft).order_by(FormDraft.id))] == [1, 2, 3]  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_a_store_with_data_is_refused_unless_replace(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    engine = open_store(other)
    with write(engine, "P1") as s:
        s.add(Practitioner(ref="X1", name="Kept Until Replaced", role="practitioner", hub="South"))
    engine.dispose()
    before = sqlite_rows(other)
    assert copy("--from", str(source), "--to", str(other)) == 2
    err = capsys.readouterr().err
    assert "--to: the destination store already holds data (2 rows in 2 tables)" in err
    assert "--replace" in err
    assert sqlite_rows(other) == before
    assert copy("--from", str(source), "--to", str(other), "--replace") == 0
    assert sqlite_rows(other) == sqlite_rows(source)


def test_a_failing_copy_writes_nothing(
    source: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL text cannot hold a NUL character; the copy stops and the server
    store stays empty, though the tables before voice_of_child were already sent."""
    conn = sqlite3.connect(source)
    with conn:
        conn.execute("UPDATE voice_of_child SET words = 'a' || char(0) || 'b' WHERE seq = 5")
    conn.close()
    assert copy("--from", str(source), "--to", pg_url) == 1
    err = capsys.readouterr().err
    assert "the copy failed and nothing was written" in err
    assert "Traceback" not in err
    engine = open_store(pg_url)
    try:
        assert all(not rows for rows in typed_rows(engine).values())
    finally:
        engine.dispose()


def test_sqlite_to_sqlite_is_identical_too(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "copy.db"
    assert copy("--from", str(source), "--to", str(target)) == 0
    assert sqlite_rows(target) == sqlite_rows(source)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "{tmp}/missing.db", "--to", "{tmp}/x.db"], "--from: {tmp}/missing.db: no such"),
        (
            ["--from", "{tmp}/source.db", "--to", "{tmp}/source.db"],
            "--to: the destination is the source",
        ),
        (
            ["--from", "{tmp}/plain.db", "--to", "{tmp}/x.db"],
            "--from: {tmp}/plain.db: not an ehtui store",
        ),
    ],
)
def test_bad_stores_are_refused_with_exit_2(
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    sqlite3.connect(tmp_path / "plain.db").close()
    assert copy(*[a.format(tmp=tmp_path) for a in args]) == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_an_unreachable_server_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = "postgresql+psycopg://nobody@127.0.0.1:1/ehtui"
    assert copy("--from", nowhere, "--to", str(tmp_path / "x.db")) == 1
    err = capsys.readouterr().err
    assert err.startswith("ehtui: cannot open the store postgresql+psycopg://nobody@127.0.0.1:1/")
    assert "Traceback" not in err
    assert not (tmp_path / "x.db").exists()
