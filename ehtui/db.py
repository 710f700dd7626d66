"""The store's engine: targets, SQLite pragmas, sessions and migrations.

A target is a SQLite file path or an SQLAlchemy URL. Opening a store runs the
Alembic migrations up to head, so a user's data survives every upgrade.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from ehtui import paths
from ehtui.revision import HEAD_REVISION

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened or used; the message is for the user."""


def resolve_target(target: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db`` / ``EHTUI_DB`` / the default into an SQLAlchemy URL."""
    return paths.store_url(target)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.close()


def make_engine(url: str, *, passphrase: str | None = None, **kwargs: Any) -> Engine:
    """An engine with the store's pragmas; creates a SQLite file owner-only.

    With ``passphrase`` the file is a SQLCipher store (see :mod:`ehtui.crypto`).
    """
    path = sqlite_path(url)
    if passphrase is not None and path is None:
        raise StoreError("encryption at rest is for SQLite store files")
    if path is not None:
        paths.ensure_private_dir(path.parent)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    if passphrase is not None and path is not None:
        from ehtui.crypto import encrypted_engine

        engine = encrypted_engine(path, passphrase, **kwargs)
    else:
        engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Key of the PostgreSQL advisory lock that serialises schema upgrades.
MIGRATION_LOCK = 0x656874756901  # "ehtui" 1
# First key of the per-table advisory locks around ``seq`` numbering.
NUMBERING_LOCK_SPACE = 0x65687475  # "ehtu"


def lock_numbering(conn: Connection, table: str) -> None:
    """Hold ``table``'s numbering (its next ``seq``) until this transaction ends.

    SQLite has one writer at a time already. On PostgreSQL two transactions could
    read the same ``max(seq)``, so each takes an advisory lock per table first.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:table))"),
            {"space": NUMBERING_LOCK_SPACE, "table": table},
        )


def migrate(engine: Engine) -> None:
    """Upgrade the store to the newest schema (Alembic ``upgrade head``).

    On PostgreSQL several clients may open a shared store at once: each takes a
    transaction-scoped advisory lock first, and the ones that waited find the
    schema already at head and do nothing.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if _revision(conn) == HEAD_REVISION:
                return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    migrate_schema: bool = True,
    passphrase: str | None = None,
) -> Engine:
    """Open (creating if need be) and upgrade the store named by ``target``
    (a SQLCipher store when ``passphrase`` is given)."""
    url = resolve_target(target)
    try:
        engine = make_engine(url, passphrase=passphrase)
        if migrate_schema and current_revision(engine) != HEAD_REVISION:
            migrate(engine)
    except StoreError:
        raise
    except Exception as exc:  # the driver's words, without a traceback
        raise StoreError(f"cannot open the store {make_url(url)!r}: {exc}") from exc
    return engine


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """One transaction: commits on success, rolls back on any error."""
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
