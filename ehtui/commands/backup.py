"""``ehtui backup [DEST]`` and ``ehtui restore FILE``: for SQLite stores.

A backup is a consistent copy of the live store (SQLite's online backup API),
encrypted with the store's passphrase when the store is encrypted. Restoring
asks first (``--yes`` for scripts), checks the file, saves the present store as
a backup, and copies the file into the store in one transaction.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    bak: argparse.ArgumentParser = sub.add_parser(
        "backup",
        help="make a consistent copy of the store (SQLite)",
        description="Copy the live store to DEST (a new file, or a folder), or by default "
        "to a timestamped file in the data folder's backups/. An encrypted store's "
        "backup is encrypted with the same passphrase.",
    )
    bak.add_argument("dest", metavar="DEST", nargs="?", help="a new file or a folder")
    bak.set_defaults(handler=run_backup)
    res: argparse.ArgumentParser = sub.add_parser(
        "restore",
        help="replace the store with a backup (asks first)",
        description="Replace the store's contents with the backup FILE, after checking "
        "that it opens and passes an integrity check. The present contents are kept "
        "as a backup first.",
    )
    res.add_argument("file", metavar="FILE", help="the backup to restore")
    res.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    res.set_defaults(handler=run_restore)


def _sqlite_only(ctx: Any) -> None:
    from ehtui.backup import PG_WORDS
    from ehtui.db import sqlite_path
    from ehtui.errors import InputError

    if sqlite_path(ctx.url) is None:
        raise InputError([PG_WORDS])


def run_backup(args: Any) -> int:
    from pathlib import Path

    from ehtui.backup import backup_store
    from ehtui.context import Context
    from ehtui.db import StoreError
    from ehtui.errors import InputError

    ctx = Context.from_args(args)
    _sqlite_only(ctx)
    dest = Path(args.dest).expanduser().absolute() if args.dest else None
    if dest is not None and dest.exists() and not dest.is_dir():
        raise InputError([f"DEST: {dest} already exists; choose a new file or a folder"])
    try:
        made = backup_store(ctx.engine, dest)
    except OSError as exc:
        raise InputError([f"DEST: cannot write {dest}: {exc.strerror or exc}"]) from None
    except StoreError as exc:
        raise InputError([str(exc)]) from None
    print(f"Backed up to {made}")
    return 0


def run_restore(args: Any) -> int:
    from pathlib import Path

    from ehtui.backup import restore_store
    from ehtui.context import Context
    from ehtui.db import StoreError
    from ehtui.errors import InputError

    ctx = Context.from_args(args)
    _sqlite_only(ctx)
    backup = Path(args.file).expanduser().absolute()
    if not backup.is_file():
        raise InputError([f"FILE: {backup} is not a file"])
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(
                ["restore replaces the store: confirm on a terminal, or pass --yes in scripts"]
            )
        answer = input(f"Replace the store with {backup.name}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    try:
        saved = restore_store(ctx.engine, backup)
    except StoreError as exc:
        raise InputError([str(exc), "nothing was changed"]) from None
    print(f"Restored {backup.name}; the store as it was is kept at {saved}")
    return 0
