"""``ehtui report``: every protocol check over the store (INTERCHANGE.md).

ehtui report [--as-of DATE|DATETIME] [--format table|json|csv]
             [--hub HUB] [--practitioner REF] [--rule ID ...] [--include-late]
             [--summary]
"""

from __future__ import annotations

import argparse
from typing import Any

from ehtui.errors import InputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report", help="run every protocol check over the store"
    )
    parser.add_argument(
        "--as-of",
        dest="report_as_of",
        metavar="DATE",
        help="as of this date (end of day) or date-time",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--hub", help="only this hub (West, East/Central, South)")
    parser.add_argument("--practitioner", metavar="REF", help="only this practitioner")
    parser.add_argument(
        "--rule",
        nargs="+",
        action="extend",
        metavar="ID",
        help="only these rule IDs (repeat or list several)",
    )
    parser.add_argument(
        "--include-late", action="store_true", help="include late findings (historic breaches)"
    )
    parser.add_argument(
        "--summary", action="store_true", help="counts by rule and practitioner, with on-time rates"
    )
    parser.set_defaults(handler=run)


def run(args: Any) -> int:
    import sys

    from ehtui.context import Context, parse_as_of
    from ehtui.rules import RULE_IDS
    from ehtui.vocab import Hub

    problems = []
    as_of = parse_as_of(args.report_as_of) if args.report_as_of else None
    rules = args.rule or []
    problems += [f"--rule: {r!r} is not a rule ID" for r in rules if r not in RULE_IDS]
    if args.hub is not None and args.hub not in Hub.values():
        problems.append(f"--hub: {args.hub!r} is not a hub ({', '.join(Hub.values())})")
    if problems:
        raise InputError(problems)
    from ehtui.settings import load_settings

    settings = load_settings(args.settings)  # bad settings: exit 2 before the store opens
    ctx = Context.from_args(args)
    # The later --as-of wins (after `report` over the global one); then the
    # settings file's [app] as_of; then the machine's clock.
    ctx.as_of = as_of or ctx.as_of or settings.as_of
    from ehtui.report import build_report, names_of

    people = names_of(ctx.engine)
    if args.practitioner is not None and args.practitioner not in people:
        raise InputError([f"--practitioner: no practitioner with ref {args.practitioner!r}"])
    report = build_report(
        ctx.engine,
        ctx.now(),
        hub=args.hub,
        practitioner=args.practitioner,
        rules=set(rules) or None,
        include_late=args.include_late or args.summary,
        table=settings.table,
        with_rates=args.summary,
    )
    from ehtui import report_format as fmt

    if args.summary:
        text = fmt.summary(report, people, args.format)
    elif args.format == "json":
        text = fmt.as_json(report)
    elif args.format == "csv":
        text = fmt.as_csv(report)
    else:
        text = fmt.as_table(report, people)
    sys.stdout.write(text)
    return 0
