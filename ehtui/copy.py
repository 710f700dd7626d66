"""Copy a whole store to another (SQLite ⇄ PostgreSQL), every table, row for row.

Unlike the ehtui/1 interchange, a copy carries everything: the audit trail,
form drafts, store facts, and each record's ``seq``, ``version`` and
``deleted_*`` columns. The source is read in one snapshot; the destination is
written in one transaction (all or nothing), parents before children. A
self-referencing column (a practitioner's ``manager``) is filled in a second
pass, so rows may come in any order. PostgreSQL sequences behind integer keys
(``audit.id``, ``form_draft.id``) are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, Engine, Integer, Table, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import bindparam
from sqlmodel import SQLModel

from ehtui import models  # noqa: F401  (registers the tables)
from ehtui.errors import InputError
from ehtui.progress import Progress

CHUNK = 5000


class CopyFailed(Exception):
    """The destination refused a row; its transaction was rolled back."""


@dataclass
class CopyResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the store, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
        for t in tables()
    }


def _self_refs(table: Table) -> list[Column[Any]]:
    """Columns that point at another row of the same table."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the store."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # pysqlite starts transactions only before writes: begin one for the reads.
            conn.exec_driver_sql("BEGIN")
        elif conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            yield conn
        finally:
            conn.rollback()


def _clear(conn: Connection) -> None:
    for table in reversed(tables()):
        conn.execute(table.delete())


def _copy_table(src: Connection, dst: Connection, table: Table, bar: Progress) -> int:
    key = list(table.primary_key.columns)
    late = _self_refs(table)
    late_names = [c.name for c in late]
    links: list[dict[str, Any]] = []
    copied = 0
    result = src.execute(select(table).order_by(*key)).mappings()
    while chunk := result.fetchmany(CHUNK):
        rows = [dict(r) for r in chunk]
        for row in rows:
            if any(row[name] is not None for name in late_names):
                links.append(
                    {**{f"k_{c.name}": row[c.name] for c in key}, **{n: row[n] for n in late_names}}
                )
                for name in late_names:
                    row[name] = None
        _insert(dst, table, rows)
        copied += len(rows)
        bar.advance(len(rows))
    if links:  # second pass: the SET clause comes from the late columns' names
        stmt = update(table).where(*[c == bindparam(f"k_{c.name}") for c in key])
        for start in range(0, len(links), CHUNK):
            dst.execute(stmt, links[start : start + CHUNK])
    return copied


def _insert(dst: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if dst.dialect.name == "postgresql" and dst.dialect.driver == "psycopg":
        _copy_in(dst, table, rows)
    else:
        dst.execute(table.insert(), rows)


def _copy_in(dst: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: send rows with COPY (several times faster than INSERTs), each
    value prepared by the column type's own bind processing, as an INSERT would."""
    import psycopg
    from psycopg import sql

    columns = list(table.columns)
    procs = [c.type.dialect_impl(dst.dialect).bind_processor(dst.dialect) for c in columns]
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), names)
    driver: psycopg.Connection[Any] = dst.connection.driver_connection  # type: ignore[assignment]
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        proc(row[c.name])
                        if proc is not None and row[c.name] is not None
                        else row[c.name]
                        for c, proc in zip(columns, procs, strict=True)
                    ]
                )
    except psycopg.Error as exc:
        raise CopyFailed(_first_line(exc)) from exc


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each integer key's sequence past the ids just copied."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": key[0].name},
        ).scalar()
        if sequence is None:
            continue
        top = conn.execute(select(func.max(key[0]))).scalar()
        conn.execute(
            text("SELECT setval(CAST(:seq AS regclass), :value, :called)"),
            {"seq": sequence, "value": top if top is not None else 1, "called": top is not None},
        )


def copy_store(
    source: Engine, destination: Engine, *, replace: bool = False, progress: bool = True
) -> CopyResult:
    """Copy every row of ``source`` into ``destination`` in one transaction.

    Both stores must already be at the same schema (``open_store`` upgrades).
    A destination holding any row is refused (:class:`InputError`) unless
    ``replace``, which first empties it, inside the same transaction.
    :class:`CopyFailed` when the destination refuses a row (nothing written).
    """
    try:
        return _copy_store(source, destination, replace=replace, progress=progress)
    except DBAPIError as exc:
        raise CopyFailed(_first_line(exc.orig or exc)) from exc


def _copy_store(
    source: Engine, destination: Engine, *, replace: bool, progress: bool
) -> CopyResult:
    result = CopyResult()
    with snapshot(source) as src, destination.begin() as dst:
        counts = row_counts(src)
        held = {name: n for name, n in row_counts(dst).items() if n}
        if held and not replace:
            rows = sum(held.values())
            raise InputError(
                [
                    f"--to: the destination store already holds data ({rows:,} rows in "
                    f"{len(held)} tables); use --replace to overwrite it"
                ]
            )
        if held:
            _clear(dst)
        with Progress("Copying the store", sum(counts.values()), enabled=progress) as bar:
            for table in tables():
                result.counts[table.name] = _copy_table(src, dst, table, bar)
        _reset_sequences(dst)
    return result
