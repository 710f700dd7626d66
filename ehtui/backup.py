"""Backups of a SQLite store: consistent copies of a live store, and restoring one.

A backup is made with SQLite's online backup API, so it is a consistent copy
even while another ehtui writes to the store. It is written under a temporary
name, checked (``PRAGMA integrity_check``) and then renamed into place, so a
backup file is either whole or absent. An encrypted store's backup is
encrypted with the same passphrase. Backup files are owner-only (0600) in an
owner-only folder (0700), and single files (rollback journal, not WAL).

Restoring copies a backup *into* the store with the same API: SQLite replaces
the store's pages in one transaction, so a crash during a restore leaves the
old store, and another ehtui with the store open sees the old or the new
store, never a mixture. The store's previous contents are first saved as a
backup of their own.

PostgreSQL stores are backed up with ``pg_dump``; these functions refuse them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ehtui import paths
from ehtui.crypto import (
    connect,
    engine_passphrase,
    looks_encrypted,
    new_private_dir,
    private_file,
)
from ehtui.db import StoreError, make_engine, resolve_target, sqlite_path

PG_WORDS = "backups are for SQLite stores; back up a PostgreSQL store with pg_dump"


class NotSQLite(StoreError):
    """The store is not a SQLite file (PostgreSQL): use pg_dump."""

    def __init__(self) -> None:
        super().__init__(PG_WORDS)


def backups_dir() -> Path:
    """``backups/`` in the data folder (created owner-only on first use)."""
    return paths.data_dir() / "backups"


def _private_parents(dest: Path) -> None:
    """``dest``'s folder owner-only when it is ours (in the data folder) or new; a
    folder the user named that already exists is left as it is."""
    data = paths.data_dir()
    if dest.parent.is_relative_to(data):
        paths.ensure_private_dir(data)
        for folder in reversed(dest.parent.relative_to(data).parents):
            paths.ensure_private_dir(data / folder)
        paths.ensure_private_dir(dest.parent)
    else:
        new_private_dir(dest.parent)


def store_path(engine: Engine) -> Path:
    path = sqlite_path(str(engine.url))
    if path is None:
        raise NotSQLite()
    return path


def _timestamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now()).strftime("%Y%m%d-%H%M%S")


def default_destination(store: Path, *, label: str = "", moment: datetime | None = None) -> Path:
    """``<data dir>/backups/<store>-<label->YYYYmmdd-HHMMSS.db``, never an existing file."""
    stem = f"{store.stem}-{label}-" if label else f"{store.stem}-"
    base = backups_dir() / f"{stem}{_timestamp(moment)}"
    candidate = base.with_suffix(".db")
    n = 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}.db")
        n += 1
    return candidate


def _driver_connection(engine: Engine) -> Any:
    raw = engine.raw_connection()
    return raw, raw.driver_connection


def open_file(path: Path, passphrase: str | None) -> Any:
    """A DB-API connection to a store file, with the driver a store of its kind uses:
    ``sqlite3`` for a plain file, ``sqlcipher3`` for an encrypted one. (Never both on
    one file in one process: two SQLite libraries do not see each other's locks.)"""
    if passphrase is not None:
        return connect(path, passphrase)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise StoreError(f"{path.name} is not an ehtui store (or it is encrypted)") from None
    return conn


def _cipher_errors() -> type[Exception]:
    import sqlcipher3

    return sqlcipher3.DatabaseError


def check_file(path: Path, passphrase: str | None) -> None:
    """Refuse (:class:`StoreError`) a file that does not open, fails the integrity
    check, or is not an ehtui store."""
    conn = open_file(path, passphrase)
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
        except (sqlite3.DatabaseError, _cipher_errors()) as exc:
            raise StoreError(f"{path.name} is damaged ({exc})") from None
        if result != [("ok",)]:
            detail = "; ".join(str(r[0]) for r in result[:3])
            raise StoreError(f"{path.name} is damaged (integrity check: {detail})")
        has_store = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()[0]
        if not has_store:
            raise StoreError(f"{path.name} is not an ehtui store")
    finally:
        conn.close()


def copy_live(source: Any, dest: Path, passphrase: str | None) -> None:
    """Copy the open connection ``source`` to a new file ``dest`` (atomically, checked)."""
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose another name")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    private_file(tmp)
    try:
        target = open_file(tmp, passphrase)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        check_file(tmp, passphrase)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.chmod(dest, 0o600)


def backup_store(engine: Engine, dest: Path | None = None) -> Path:
    """A consistent copy of the live store behind ``engine``; returns where it went.

    ``dest`` may be a file (which must not exist yet) or a folder; the default
    is a timestamped file in the data folder's ``backups/``.
    """
    store = store_path(engine)
    if dest is None:
        dest = default_destination(store)
    elif dest.is_dir():
        dest = dest / default_destination(store).name
    _private_parents(dest)
    raw, conn = _driver_connection(engine)
    try:
        copy_live(conn, dest, engine_passphrase(engine))
    finally:
        raw.close()
    return dest


# --- the rolling daily backup ------------------------------------------------------------


def _daily_prefix(store: Path) -> str:
    digest = hashlib.sha256(str(store.absolute()).encode("utf-8")).hexdigest()[:8]
    return f"{store.stem}-{digest}-"


def daily_dir() -> Path:
    return backups_dir() / "daily"


def rolling_daily_backup(
    engine_or_url: Engine | str,
    *,
    keep: int = 7,
    today: date | None = None,
    passphrase: str | None = None,
) -> Path | None:
    """Today's backup of the store, made on the first open of the day; keeps ``keep``.

    Idempotent per day: when today's backup exists it returns ``None`` at the
    cost of one ``stat``. Otherwise it makes it, removes the oldest beyond
    ``keep``, and returns its path. A PostgreSQL store is skipped (``None``).
    """
    url = resolve_target(engine_or_url) if isinstance(engine_or_url, str) else None
    path = sqlite_path(url) if url is not None else sqlite_path(str(engine_or_url.url))  # type: ignore[union-attr]
    if path is None:
        return None
    day = (today or date.today()).isoformat()
    prefix = _daily_prefix(path)
    dest = daily_dir() / f"{prefix}{day}.db"
    if dest.exists():
        return None
    if isinstance(engine_or_url, Engine):
        engine = engine_or_url
        owned = False
    else:
        if passphrase is None and looks_encrypted(path):
            raise StoreError(f"{path.name} is encrypted: a passphrase is needed to back it up")
        engine = make_engine(str(url), passphrase=passphrase)
        owned = True
    try:
        try:
            backup_store(engine, dest)
        except StoreError:
            if dest.exists():  # another instance made today's at the same moment
                return None
            raise
    finally:
        if owned:
            engine.dispose()
    old = sorted(daily_dir().glob(f"{prefix}*.db"))
    for stale in old[: max(len(old) - keep, 0)]:
        with contextlib.suppress(OSError):
            stale.unlink()
    return dest


# --- restore -------------------------------------------------------------------------------


def restore_store(engine: Engine, backup: Path, *, backup_passphrase: str | None = None) -> Path:
    """Replace the store behind ``engine`` with the backup file ``backup``.

    The file is checked first (it opens, passes ``integrity_check`` and is an
    ehtui store); the store's present contents are saved as a backup; then the
    file is copied into the store in one SQLite transaction. Returns where the
    previous contents were saved. ``backup_passphrase`` defaults to the store's.
    """
    store = store_path(engine)
    key = engine_passphrase(engine)
    file_key = backup_passphrase if backup_passphrase is not None else key
    if looks_encrypted(backup) != (file_key is not None):
        which = "encrypted" if looks_encrypted(backup) else "not encrypted"
        raise StoreError(
            f"{backup.name} is {which} but the store is "
            f"{'encrypted' if key is not None else 'not encrypted'}; "
            "use ehtui encrypt or decrypt so they match"
        )
    if backup.resolve() == store.resolve():
        raise StoreError(f"{backup.name} is the store itself")
    check_file(backup, file_key)
    saved = backup_store(engine, default_destination(store, label="before-restore"))
    source = open_file(backup, file_key)
    try:
        raw, conn = _driver_connection(engine)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            source.backup(conn)
            with contextlib.suppress(Exception):  # the next open sets it again
                conn.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
    finally:
        source.close()
    engine.dispose()
    return saved
