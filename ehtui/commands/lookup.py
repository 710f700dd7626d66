"""``ehtui lookup QUERY [--limit N] [--family REF] [--format text|json]``: the duty lookup.

Finds people across the whole store by name (spelling-tolerant), date of
birth, address or postcode, phone or ref; prints the matches, best first, and
the card of the best match's family (or of ``--family REF``). Viewing a card
is logged as access in the audit trail.
"""

from __future__ import annotations

import argparse
from typing import Any

from ehtui.errors import InputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "lookup",
        help="duty lookup: find a person or family, and show the family's card",
        description="Find people by name (spelling-tolerant), date of birth, address or "
        "postcode, phone or ref; show the best match's family card.",
    )
    parser.add_argument(
        "query",
        nargs="?",
        default=None,
        metavar="QUERY",
        help='a name ("Mohamed Khan", "khan moh"), a date of birth (2016-05-02, 2/5/16, '
        '"2 May 2016"), a postcode (n12, "N12 0AA"), a phone or a ref',
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N matches (default 10)"
    )
    parser.add_argument(
        "--family", metavar="REF", help="show this family's card (instead of the best match's)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: Any) -> int:
    import json
    import sys

    query = (args.query or "").strip()
    problems = []
    if not query and not args.family:
        problems.append(
            "QUERY: say what to look for (a name, date of birth, postcode, phone or ref)"
        )
    if not 1 <= args.limit <= 500:
        problems.append(f"--limit: {args.limit} is not between 1 and 500")
    if problems:
        raise InputError(problems)

    from ehtui.context import Context
    from ehtui.lookup.card import open_card
    from ehtui.lookup.index import LookupIndex
    from ehtui.settings import load_settings
    from ehtui.sql import SqliteRunner, open_plain

    settings = load_settings(args.settings)
    ctx = Context.from_args(args)
    ctx.as_of = ctx.as_of or settings.as_of
    as_of = ctx.now()
    # A plain SQLite store at the newest schema is read with the standard library
    # (no SQLAlchemy, no models: most of a second saved); anything else, the usual way.
    plain = None if ctx.encrypted or settings.encrypted else open_plain(ctx.url)
    source: Any = SqliteRunner(plain) if plain is not None else ctx.engine
    try:
        hits = LookupIndex.build(source, as_of).search(query, args.limit) if query else []
        family = args.family or next((h.family for h in hits if h.family), None)
        card = None
        if family is not None:
            me = ctx.me(source if plain is not None else None)
            card = open_card(source, family, as_of, me, settings)
            if card is None and args.family:
                raise InputError([f"--family: no family with ref {args.family!r}"])
    finally:
        if plain is not None:
            plain.close()
    from ehtui.lookup.text import card_json, card_text, hit_json, hits_text

    if args.format == "json":
        doc = {
            "query": query or None,
            "as_of": as_of.isoformat(),
            "matches": [hit_json(h) for h in hits],
            "card": card_json(card) if card else None,
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return 0
    parts = []
    if query:
        parts.append(hits_text(query, hits))
    if card is not None:
        parts.append(card_text(card))
    sys.stdout.write("\n".join(parts))
    return 0
