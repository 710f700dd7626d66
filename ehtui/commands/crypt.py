"""``ehtui encrypt [--to FILE]`` and ``ehtui decrypt [--to FILE]``: convert a SQLite store.

The converted copy is written beside its destination, checked (integrity and
every row equal to the original), and only then renamed over it; the original
stays untouched until that moment. Converting in place needs the store closed
everywhere else.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    enc: argparse.ArgumentParser = sub.add_parser(
        "encrypt",
        help="encrypt a SQLite store with a passphrase (SQLCipher)",
        description="Encrypt the store (--db) with a passphrase, asked twice on the terminal "
        "or taken from EHTUI_PASSPHRASE. In place unless --to names a new file.",
    )
    enc.add_argument("--to", metavar="FILE", help="write the encrypted store here instead")
    enc.set_defaults(handler=run_encrypt)
    dec: argparse.ArgumentParser = sub.add_parser(
        "decrypt",
        help="decrypt an encrypted store back to plain SQLite",
        description="Decrypt the store (--db) with its passphrase. In place unless --to "
        "names a new file. A plain store is readable by anyone who has the file.",
    )
    dec.add_argument("--to", metavar="FILE", help="write the decrypted store here instead")
    dec.set_defaults(handler=run_decrypt)


def _paths(args: Any) -> tuple[Any, Any]:
    from pathlib import Path

    from ehtui.context import Context
    from ehtui.db import sqlite_path
    from ehtui.errors import InputError

    ctx = Context.from_args(args)
    src = sqlite_path(ctx.url)
    if src is None:
        raise InputError(["encryption at rest is for SQLite store files, not PostgreSQL"])
    if not src.is_file() or src.stat().st_size == 0:
        raise InputError([f"--db: {src} is not a store (no such file)"])
    dest = Path(args.to).expanduser().absolute() if args.to else src
    if args.to and dest.exists():
        raise InputError([f"--to: {dest} already exists; choose a new file"])
    return src, dest


def run_encrypt(args: Any) -> int:
    from ehtui.crypto import convert, looks_encrypted, obtain_passphrase
    from ehtui.errors import InputError

    src, dest = _paths(args)
    if looks_encrypted(src):
        raise InputError([f"{src.name} is already encrypted"])
    passphrase = obtain_passphrase(confirm=True, prompt="New passphrase: ")
    convert(src, dest, old=None, new=passphrase)
    print(f"Encrypted {src.name}" + (f" to {dest}" if dest != src else ""))
    _warn_plain_backups(src)
    return 0


def run_decrypt(args: Any) -> int:
    from ehtui.crypto import convert, looks_encrypted, obtain_passphrase
    from ehtui.errors import InputError

    src, dest = _paths(args)
    if not looks_encrypted(src):
        raise InputError([f"{src.name} is not encrypted"])
    passphrase = obtain_passphrase(prompt=f"Passphrase for {src.name}: ")
    convert(src, dest, old=passphrase, new=None)
    print(f"Decrypted {src.name}" + (f" to {dest}" if dest != src else ""))
    return 0


def _warn_plain_backups(src: Any) -> None:
    from ehtui.backup import backups_dir
    from ehtui.crypto import looks_encrypted

    folder = backups_dir()
    found = sorted(folder.rglob(f"{src.stem}-*.db")) if folder.is_dir() else []
    plain = [p for p in found if not looks_encrypted(p)]
    if plain:
        print(
            f"ehtui: {len(plain)} earlier backup(s) of this store in {folder} are not "
            "encrypted; delete them or encrypt each with `ehtui --db FILE encrypt`",
            file=sys.stderr,
        )
