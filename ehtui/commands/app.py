"""``ehtui`` with no sub-command: open the Textual app (imported lazily)."""

from __future__ import annotations

import argparse
import gc
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("app", help="open the app (the default)")
    parser.set_defaults(handler=run_app)


def run_app(args: Any) -> int:
    from ehtui.context import Context

    ctx = Context.from_args(args)
    if ctx.encrypted or _encrypted_file(ctx.db):
        ctx.engine  # noqa: B018 - ask for the passphrase now, before the app owns the terminal
    from ehtui.app import EhtuiApp

    # What is imported by now (Textual, Rich, the app) lives as long as the process: out
    # of the collector's sight, the full collection that start-up's allocations trigger
    # no longer walks it (it took some 40 ms, just before the work tray's first paint).
    gc.freeze()
    EhtuiApp(ctx).run()
    return 0


def _encrypted_file(target: str | None) -> bool:
    """Whether the store's file exists and is not plain SQLite (read without SQLAlchemy,
    so the first paint does not wait for it)."""
    import os
    from pathlib import Path

    from ehtui import paths

    raw = target or os.environ.get("EHTUI_DB") or str(paths.default_store())
    if raw.startswith("sqlite:///"):
        raw = raw.removeprefix("sqlite:///")
    elif "://" in raw:
        return False
    try:
        with Path(raw).expanduser().open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return bool(head) and head != b"SQLite format 3\x00"
