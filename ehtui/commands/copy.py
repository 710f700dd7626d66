"""``ehtui copy --from SRC --to DST [--replace]``: move a whole store between engines."""

from __future__ import annotations

import argparse
from typing import Any

from ehtui.errors import InputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "copy",
        help="copy a whole store (SQLite file ⇄ PostgreSQL), every table",
        description="Copy every table of one store into another, losslessly: case data, "
        "the audit trail, form drafts, seq/version and removed records. SRC and DST are "
        "SQLite file paths or SQLAlchemy URLs (postgresql+psycopg://user@host/db). The "
        "destination is written in one transaction; a destination that already holds "
        "data is refused (exit status 2) unless --replace.",
    )
    parser.add_argument("--from", dest="source", metavar="SRC", required=True)
    parser.add_argument("--to", dest="destination", metavar="DST", required=True)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="empty the destination first (in the same transaction)",
    )
    parser.set_defaults(handler=run)


def _open(target: str, option: str, *, must_exist: bool) -> Any:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from ehtui.crypto import store_passphrase
    from ehtui.db import (
        HEAD_REVISION,
        StoreError,
        current_revision,
        migrate,
        open_store,
        sqlite_path,
    )

    url = _url(target)
    path = sqlite_path(url)
    if must_exist and path is not None and not path.is_file():
        raise InputError([f"{option}: {target}: no such store file"])
    engine = open_store(
        target, migrate_schema=not must_exist, passphrase=store_passphrase(url, encrypted=False)
    )
    if must_exist:
        try:
            revision = current_revision(engine)
            if revision is not None and revision != HEAD_REVISION:
                migrate(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store {make_url(url)!r}: {exc}") from exc
        if revision is None:
            engine.dispose()
            raise InputError([f"{option}: {target}: not an ehtui store (no schema)"])
    return engine


def _url(target: str) -> str:
    from ehtui.db import resolve_target

    return resolve_target(target)


def run(args: Any) -> int:
    import sys
    import time

    from sqlalchemy.engine import make_url

    from ehtui.copy import CopyFailed, copy_store
    from ehtui.db import StoreError

    if _url(args.source) == _url(args.destination):
        raise InputError(["--to: the destination is the source store"])
    source = _open(args.source, "--from", must_exist=True)
    try:
        destination = _open(args.destination, "--to", must_exist=False)
        try:
            started = time.perf_counter()
            try:
                result = copy_store(source, destination, replace=args.replace)
            except CopyFailed as exc:
                raise StoreError(f"the copy failed and nothing was written: {exc}") from exc
            elapsed = time.perf_counter() - started
        finally:
            destination.dispose()
    finally:
        source.dispose()
    shown = make_url(_url(args.destination)).render_as_string(hide_password=True)
    print(f"Copied {result.total:,} rows to {shown} in {elapsed:.1f} s", file=sys.stderr)
    for name, n in result.counts.items():
        if n:
            print(f"  {n:,} {name}", file=sys.stderr)
    return 0
