"""``ehtui demo [--size small|borough] [--seed N] [--anchor DATE] [--if-empty]``."""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from ehtui.errors import InputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo", help="fill an empty store with realistic synthetic data"
    )
    parser.add_argument("--size", choices=("small", "borough"), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--anchor", metavar="DATE", help="the 'today' the data is made around (default: today)"
    )
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing if the store already has data"
    )
    parser.set_defaults(handler=run)


def run(args: Any) -> int:
    from ehtui.context import Context

    try:
        anchor = date.fromisoformat(args.anchor) if args.anchor else date.today()
    except ValueError:
        raise InputError([f"--anchor: {args.anchor!r} is not a date (YYYY-MM-DD)"]) from None
    ctx = Context.from_args(args)
    from ehtui.demo import generate, store_is_empty

    if not store_is_empty(ctx.engine):
        if args.if_empty:
            print("The store already has data; the demo was not loaded.")
            return 0
        raise InputError(
            [
                "the store already has data: demo data goes only into an empty store "
                "(use --db to name a new one)"
            ]
        )
    started = time.perf_counter()
    counts = generate(ctx.engine, args.size, args.seed, anchor)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    print(
        f"Demo {args.size} (seed {args.seed}, anchor {anchor}) loaded in {elapsed:.1f} s: {summary}"
    )
    return 0
