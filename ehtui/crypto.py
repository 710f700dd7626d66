"""Encryption at rest: SQLCipher stores, passphrases, and converting a store.

An encrypted store is a SQLCipher file opened through ``sqlcipher3``. The engine
is the ordinary SQLite dialect with ``sqlcipher3`` as its driver module and a
``creator`` that opens the file and runs ``PRAGMA key`` (the passphrase quoted
as an SQL string, so any character but NUL works). The passphrase never goes
in a URL, so it never shows in a message or a log.

SQLCipher's own logging is switched off before the key is given (otherwise a
wrong passphrase writes "hmac check failed" lines over the terminal), and a
wrong passphrase is :class:`WrongPassphrase`: "wrong passphrase or not an
ehtui store" (exit status 1), never a traceback.

The passphrase comes from ``EHTUI_PASSPHRASE`` (for scripts), else it is asked
on the terminal with :mod:`getpass`; with neither, :class:`~ehtui.errors.InputError`
(exit status 2).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

from ehtui.db import StoreError
from ehtui.errors import InputError
from ehtui.sql import SQLITE_HEADER

ENV = "EHTUI_PASSPHRASE"

# The passphrase of each encrypted engine, for backups made from it.
_KEYS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


class WrongPassphrase(StoreError):
    """The passphrase does not open the file (or the file is not a store at all)."""

    def __init__(self, path: os.PathLike[str] | str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path.name}: wrong passphrase or not an ehtui store")


def _driver() -> Any:
    import sqlcipher3

    return sqlcipher3


def looks_encrypted(path: os.PathLike[str] | str) -> bool:
    """True when ``path`` is a non-empty file that is not a plain SQLite database."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def quote(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal, for ``PRAGMA key``."""
    check_passphrase(passphrase)
    return "'" + passphrase.replace("'", "''") + "'"


def check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or not passphrase:
        raise InputError(["passphrase: an empty passphrase cannot encrypt a store"])
    if "\x00" in passphrase:
        raise InputError(["passphrase: a passphrase cannot hold a NUL character"])
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(["passphrase: not valid Unicode"]) from None


def connect(path: os.PathLike[str] | str, passphrase: str | None, **kwargs: Any) -> Any:
    """A ``sqlcipher3`` connection to ``path``, keyed and checked.

    ``passphrase=None`` opens a plain SQLite file with the same driver. Raises
    :class:`WrongPassphrase` when the key does not open an existing file.
    """
    sqlcipher3 = _driver()
    kwargs.setdefault("check_same_thread", False)
    conn = sqlcipher3.connect(str(path), **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute(f"PRAGMA key = {quote(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WrongPassphrase(path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def encrypted_engine(path: Path, passphrase: str, **kwargs: Any) -> Engine:
    """An engine on the SQLCipher file ``path`` (the caller adds the store's pragmas)."""
    check_passphrase(passphrase)

    def creator() -> Any:
        return connect(path, passphrase)

    engine = create_engine(f"sqlite:///{path}", module=_driver(), creator=creator, **kwargs)
    _KEYS[engine] = passphrase
    return engine


def engine_passphrase(engine: Engine) -> str | None:
    """The passphrase an encrypted engine was opened with (``None`` for a plain store)."""
    return _KEYS.get(engine)


def verify_passphrase(target: os.PathLike[str] | str, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the encrypted store ``target`` (a path or an
    SQLite URL). For the lock screen: cheap, silent, never raises for a wrong one."""
    path = _path_of(target)
    if path is None or not path.is_file():
        return False
    try:
        conn = connect(path, passphrase)
    except (WrongPassphrase, InputError):
        return False
    conn.close()
    return True


def _path_of(target: os.PathLike[str] | str) -> Path | None:
    from ehtui.db import resolve_target, sqlite_path

    return sqlite_path(resolve_target(target))


# --- asking for the passphrase ----------------------------------------------------------


def obtain_passphrase(
    *,
    confirm: bool = False,
    prompt: str = "Passphrase: ",
    ask: Callable[[str], str] | None = None,
    interactive: bool | None = None,
) -> str:
    """``EHTUI_PASSPHRASE``, else asked on the terminal (twice when ``confirm``)."""
    from_env = os.environ.get(ENV)
    if from_env:
        check_passphrase(from_env)
        return from_env
    if interactive is None:
        interactive = sys.stdin.isatty()
    if not interactive:
        raise InputError(
            [
                "the store is encrypted and there is no terminal to ask for the passphrase: "
                f"set {ENV}"
            ]
        )
    ask = ask or getpass.getpass
    passphrase = ask(prompt)
    check_passphrase(passphrase)
    if confirm and ask("Type it again: ") != passphrase:
        raise InputError(["passphrase: the two passphrases differ; nothing was changed"])
    return passphrase


def store_passphrase(url: str, *, encrypted: bool) -> str | None:
    """The passphrase to open the store at ``url``: ``None`` for a plain store.

    A store is encrypted when ``--encrypted`` says so or when its file is not a
    plain SQLite file. A new store made with ``--encrypted`` asks twice.
    """
    from ehtui.db import sqlite_path

    path = sqlite_path(url)
    if path is None:
        if encrypted:
            raise InputError(["--encrypted: encryption at rest is for SQLite store files"])
        return None
    if looks_encrypted(path):
        return obtain_passphrase(prompt=f"Passphrase for {path.name}: ")
    if not encrypted:
        return None
    if path.is_file() and path.stat().st_size > 0:
        raise InputError(
            [f"--encrypted: {path.name} is not encrypted; run `ehtui encrypt` to encrypt it"]
        )
    return obtain_passphrase(confirm=True, prompt=f"New passphrase for {path.name}: ")


# --- converting a store -----------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def new_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents owner-only (0700); folders that
    already exist are left as their owner set them."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only (0600), replacing any leftover."""
    new_private_dir(path.parent)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def settle(conn: Any, path: Path) -> None:
    """Fold the WAL into ``path`` and leave it a single file (rollback journal).

    Refuses (:class:`StoreError`) when another process has the store open, so
    it is never replaced under a running ehtui.
    """
    in_use = StoreError(
        f"{path.name} is in use by another ehtui (or another program); close it and try again"
    )
    try:
        conn.execute("PRAGMA busy_timeout = 2000")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except _driver().OperationalError:
        raise in_use from None
    if str(mode).lower() != "delete" or Path(f"{path}-wal").exists():
        raise in_use


def fingerprint(conn: Any) -> str:
    """A digest of the whole database (schema and every row), for comparing two stores."""
    digest = hashlib.sha256()
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    for row in schema:
        digest.update(repr(row).encode("utf-8", "surrogatepass"))
    for _type, name, _tbl, _sql in schema:
        if _type != "table":
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid"):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def convert(src: Path, dest: Path, *, old: str | None, new: str | None) -> None:
    """Write ``src`` (opened with ``old``) to ``dest`` encrypted with ``new``.

    ``None`` means plain SQLite. The copy is made beside ``dest`` under a
    temporary name, checked (``PRAGMA integrity_check`` and every row equal to
    the source), and only then moved over ``dest`` in one atomic rename. When
    ``dest`` is ``src`` the source must not be open elsewhere.
    """
    if new is not None:
        check_passphrase(new)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.converting")
    source = connect(src, old)
    try:
        if dest == src:
            settle(source, src)
        private_file(tmp)
        source.execute("ATTACH DATABASE ? AS target KEY ?", (str(tmp), new or ""))
        source.execute("SELECT sqlcipher_export('target')")
        source.execute("DETACH DATABASE target")
        before = fingerprint(source)
        copy = connect(tmp, new)
        try:
            ok = copy.execute("PRAGMA integrity_check").fetchall()
            after = fingerprint(copy)
        finally:
            copy.close()
        if ok != [("ok",)] or after != before:
            raise StoreError(f"{dest.name}: the converted copy did not match; nothing was changed")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        source.close()
    os.replace(tmp, dest)
    os.chmod(dest, 0o600)
    _fsync_dir(dest.parent)
