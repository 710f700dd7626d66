"""``ehtui audit [--record REF] [--since DATE] [--format table|json]``: the audit trail."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="show the audit trail (newest first)",
        description="Who changed what, when: every insert, update, removal and restoration "
        "of case data with old and new values, batch imports, and duty lookups.",
    )
    parser.add_argument("--record", metavar="REF", help="only entries about this record")
    parser.add_argument(
        "--since", metavar="DATE", help="only entries from this date (or date-time) on"
    )
    parser.add_argument("--limit", metavar="N", type=int, help="at most N entries")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run_audit)


def parse_since(text: str | None) -> Any:
    """A date means from the start of that day; a date-time is taken as is."""
    from datetime import date, datetime

    from ehtui.errors import InputError

    if not text:
        return None
    try:
        if "T" in text:
            return datetime.fromisoformat(text)
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    except ValueError:
        raise InputError([f"--since: {text!r} is not a date (YYYY-MM-DD) or date-time"]) from None


def run_audit(args: Any) -> int:
    import json
    import sys

    from ehtui.audit import trail
    from ehtui.context import Context
    from ehtui.errors import InputError

    since = parse_since(args.since)
    if args.limit is not None and args.limit < 1:
        raise InputError(["--limit: must be 1 or more"])
    ctx = Context.from_args(args)
    entries = trail(ctx.engine, record=args.record, since=since, limit=args.limit)
    if args.format == "json":
        doc = {"entries": [e.as_json() for e in entries]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not entries:
        print("No audit entries.")
        return 0
    print(render_table(entries))
    return 0


def render_table(entries: list[Any], *, width: int = 72) -> str:
    """Readable rows: when, who, what, the record, and the changes (safe to print)."""
    from ehtui.safe_text import safe_text
    from ehtui.unit_of_work import record_word

    rows = [("When", "Who", "Action", "Record", "Changes")]
    for e in entries:
        record = f"{record_word(e.table)} {e.record}" if e.record else "(batch)"
        summary = e.summary(width=width)
        if e.reason:
            summary = f"{summary} (reason: {safe_text(e.reason, limit=60)})"
        rows.append(
            (
                e.at.strftime("%Y-%m-%d %H:%M"),
                safe_text(e.user or "-", limit=20),
                e.action,
                safe_text(record, limit=36),
                summary,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:4])) + "  " + r[4])
    return "\n".join(line.rstrip() for line in lines)
