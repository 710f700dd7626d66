"""``ehtui`` with no sub-command: open the Textual app (imported lazily)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("app", help="open the app (the default)")
    parser.set_defaults(handler=run_app)


def run_app(args: Any) -> int:
    from ehtui.context import Context

    ctx = Context.from_args(args)
    from ehtui.crypto import looks_encrypted
    from ehtui.db import sqlite_path

    path = sqlite_path(ctx.url)
    if ctx.encrypted or (path is not None and looks_encrypted(path)):
        ctx.engine  # noqa: B018 - ask for the passphrase now, before the app owns the terminal
    from ehtui.app import EhtuiApp

    EhtuiApp(ctx).run()
    return 0
