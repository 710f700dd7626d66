"""One SQL text, two ways to run it: through SQLAlchemy, or the standard library's sqlite3.

The engine's loader (:mod:`ehtui.rules.load`) and the duty lookup
(:mod:`ehtui.lookup`) write their queries once, as plain SQL with ``:name``
parameters, and run them through a :class:`Runner`:

- :class:`AlchemyRunner` over a SQLAlchemy connection: any store (SQLite,
  SQLCipher, PostgreSQL). This is what the app and most commands use.
- :class:`SqliteRunner` over a standard-library ``sqlite3`` connection to a
  plain SQLite store file (:func:`open_plain`). Importing SQLAlchemy and the
  models costs the better part of a second; ``ehtui lookup`` is a whole process
  with a one-second budget, so on a plain file it never imports them.

The SQL is the common dialect of SQLite and PostgreSQL (quoted names where a
column is a reserved word). Values come back raw: SQLite gives dates and
date-times as text and booleans as 0/1, PostgreSQL gives objects; readers parse
both (:func:`ehtui.rules.load.day`, :func:`~ehtui.rules.load.moment`,
:func:`json_value`). A list, tuple or set parameter expands to ``IN`` values
(``IN`` only: an empty one is ``IN (NULL)``, which matches nothing). Dates and
date-times sent to SQLite are written as SQLAlchemy stores them, so text
comparisons in SQL agree with the stored values.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ehtui.revision import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

SQLITE_HEADER = b"SQLite format 3\x00"
_LISTS = (list, tuple, set, frozenset)


class Runner(Protocol):
    """Runs one SQL text with ``:name`` parameters and returns its rows as tuples."""

    def rows(self, sql: str, /, **params: Any) -> list[Any]: ...

    def write(self, sql: str, /, **params: Any) -> None: ...


def sqlite_value(value: Any) -> Any:
    """A parameter as the SQLite store holds it (SQLAlchemy's text forms of dates)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_value(value: Any) -> Any:
    """A JSON column's value: decoded from SQLite's text, as is from PostgreSQL."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def _listed(value: Any) -> list[Any]:
    """A list parameter's values in a fixed order (a set's sorted)."""
    return sorted(value) if isinstance(value, set | frozenset) else list(value)


def _expanded(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``IN :name`` with a list becomes ``IN (:name_0, :name_1, ...)`` (sqlite3 binds scalars)."""
    flat: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, _LISTS):
            items = _listed(value)
            names = [f"{name}_{i}" for i in range(len(items))]
            # An empty list matches nothing, as SQLAlchemy's expanding IN does.
            listed = "(" + (", ".join(f":{n}" for n in names) or "NULL") + ")"
            sql = re.sub(rf":{name}\b", listed, sql)
            flat.update(zip(names, map(sqlite_value, items), strict=True))
        else:
            flat[name] = sqlite_value(value)
    return sql, flat


class SqliteRunner:
    """A standard-library ``sqlite3`` connection (see :func:`open_plain`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, /, **params: Any) -> list[Any]:
        text, flat = _expanded(sql, params)
        return self.conn.execute(text, flat).fetchall()

    def write(self, sql: str, /, **params: Any) -> None:
        """One statement in its own transaction."""
        text, flat = _expanded(sql, params)
        with self.conn:
            self.conn.execute(text, flat)


class AlchemyRunner:
    """A SQLAlchemy connection: any store the app can open."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"

    def _statement(self, sql: str, params: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        from sqlalchemy import bindparam, text

        for name in [n for n, v in params.items() if isinstance(v, _LISTS) and not v]:
            # An empty list matches nothing. Said in the SQL itself: SQLAlchemy's empty
            # expansion guesses a type, which PostgreSQL refuses to compare with text.
            sql = re.sub(rf":{name}\b", "(NULL)", sql)
            params = {n: v for n, v in params.items() if n != name}
        statement = text(sql)
        lists = [name for name, value in params.items() if isinstance(value, _LISTS)]
        if lists:
            statement = statement.bindparams(*(bindparam(name, expanding=True) for name in lists))
        values = {name: _listed(v) if isinstance(v, _LISTS) else v for name, v in params.items()}
        if self.sqlite:
            values = {
                name: [sqlite_value(x) for x in v] if isinstance(v, list) else sqlite_value(v)
                for name, v in values.items()
            }
        return statement, values

    def rows(self, sql: str, /, **params: Any) -> list[Any]:
        statement, values = self._statement(sql, params)
        return list(self.conn.execute(statement, values).all())

    def write(self, sql: str, /, **params: Any) -> None:
        """One statement in the connection's transaction (:func:`writing` commits it)."""
        statement, values = self._statement(sql, params)
        self.conn.execute(statement, values)


@contextmanager
def reading(source: Engine | Connection | Runner) -> Iterator[Runner]:
    """A runner for reading: ``source`` itself, or over a connection (opened from an engine)."""
    if hasattr(source, "rows"):
        yield source  # type: ignore[misc]
        return
    from sqlalchemy import Connection

    if isinstance(source, Connection):
        yield AlchemyRunner(source)
        return
    with source.connect() as conn:
        yield AlchemyRunner(conn)


@contextmanager
def writing(source: Engine | Runner) -> Iterator[Runner]:
    """A runner for one small write: ``source`` itself, or in a transaction of the engine's."""
    if hasattr(source, "rows"):
        yield source  # type: ignore[misc]
        return
    with source.begin() as conn:
        yield AlchemyRunner(conn)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///`` URL (None for anything else)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = Path(url.removeprefix(prefix))
    return path if path.name not in ("", ":memory:") else None


def open_plain(
    url: str, *, read_only: bool = False, timeout: float = 10.0
) -> sqlite3.Connection | None:
    """A ``sqlite3`` connection to the store at ``url`` when it is a plain SQLite file
    already at the newest schema; None otherwise (a PostgreSQL or encrypted store, a
    missing file, an older schema, any doubt): then open it the normal way.
    ``timeout``: seconds to wait for a writer's lock."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return None  # encrypted, or not a store
        mode = "ro" if read_only else "rw"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=timeout)
    except (OSError, sqlite3.Error):
        return None
    try:
        if not read_only:
            conn.execute("PRAGMA foreign_keys = ON")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn
