"""The ``ehtui`` command: global options, then a sub-command (none opens the app).

Sub-commands live one per module in :mod:`ehtui.commands`; each module has
``register(subparsers)`` which adds its parser and sets ``handler`` to a
function ``(args) -> int``. Modules import their heavy dependencies inside the
handler, so ``ehtui --help`` stays quick and ``export``/``import`` never load
Textual.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ehtui import commands
from ehtui.errors import InputError


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ehtui",
        description="Early Help casework from the keyboard. With no command, opens the app.",
        add_help=with_commands,
        exit_on_error=with_commands,
    )
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help="the store: a SQLite file path or an SQLAlchemy URL (default: $EHTUI_DB, "
        "else ehtui.db in the user data directory)",
    )
    parser.add_argument("--user", metavar="REF", help='act as this practitioner ("me")')
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="evaluate the protocol as of this date or date-time (default: now)",
    )
    parser.add_argument("--settings", metavar="FILE", help="a settings TOML file")
    parser.add_argument(
        "--encrypted", action="store_true", help="the store is encrypted (SQLCipher)"
    )
    if not with_commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def app_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """Plain ``ehtui`` (global options only) opens the app: parsed without importing every
    command's module, which would delay the first paint by some 20 ms."""
    try:
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return args if not rest else None


def main(argv: Sequence[str] | None = None) -> int:
    args = app_only(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from ehtui.commands.app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except InputError as exc:
        from ehtui.safe_text import safe_text  # user text: never escape sequences

        for problem in exc.problems:
            print(f"ehtui: {safe_text(problem, multiline=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from ehtui.db import StoreError

        if isinstance(exc, StoreError):
            from ehtui.safe_text import safe_text

            print(f"ehtui: {safe_text(exc, multiline=True)}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
