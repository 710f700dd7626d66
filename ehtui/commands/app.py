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
    from ehtui.app import EhtuiApp

    EhtuiApp(ctx).run()
    return 0
