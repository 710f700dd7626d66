"""``ehtui import FILE`` and ``ehtui export [FILE]``: the ehtui/1 JSON document.

``-`` means standard input (import) or standard output (export). Heavy modules
are imported inside the handlers, so neither command loads Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    imp: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import an ehtui/1 JSON document (all or nothing)",
        description="Import an ehtui/1 JSON document. Records whose refs exist are updated; "
        "nothing is deleted. Any problem refuses the whole document (exit status 2), "
        "naming each problem by its JSON path.",
    )
    imp.add_argument("file", metavar="FILE", help="the document ('-' reads standard input)")
    imp.set_defaults(handler=run_import)

    exp: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="export the store as an ehtui/1 JSON document",
        description="Write the whole store (soft-deleted records left out) as one ehtui/1 "
        "JSON document, UTF-8, indented by 2.",
    )
    exp.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        default="-",
        help="where to write it ('-', the default, writes standard output)",
    )
    exp.set_defaults(handler=run_export)


def run_import(args: Any) -> int:
    from pathlib import Path

    from ehtui.context import Context
    from ehtui.interchange import import_document, load_json
    from ehtui.interchange.parse import read_file

    ctx = Context.from_args(args)
    if args.file == "-":
        name = "<stdin>"
        doc = load_json(sys.stdin.buffer.read(), name)
    else:
        name = Path(args.file).name
        doc = read_file(args.file)
    result = import_document(
        ctx.engine, doc, user=ctx.me(), now=ctx.now(), source=name, show_progress=True
    )
    lines = result.summary() or ["the document holds no records"]
    print(f"Imported {name}")
    for line in lines:
        print(f"  {line}")
    return 0


def run_export(args: Any) -> int:
    from ehtui.context import Context
    from ehtui.interchange import dumps, export_document, export_to

    ctx = Context.from_args(args)
    if args.file == "-":
        sys.stdout.buffer.write(dumps(export_document(ctx.engine)).encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    try:
        doc = export_to(ctx.engine, args.file)
    except OSError as exc:
        from ehtui.errors import InputError

        raise InputError([f"{args.file}: cannot write ({exc.strerror or exc})"]) from None
    counts = ", ".join(
        f"{len(doc[key])} {key}" for key in ("practitioners", "families", "episodes")
    )
    print(f"Exported {counts} to {args.file}", file=sys.stderr)
    return 0
