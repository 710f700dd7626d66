"""``ehtui duplicates``, ``ehtui merge KEEP MERGED``, ``ehtui merge-families KEEP MERGED``,
``ehtui unmerge AUDIT_ID``.

``duplicates`` lists the likely duplicate people, best first, each pair with its
score and why (:func:`ehtui.duplicates.find_duplicates`). ``merge`` merges the
person MERGED into KEEP (every episode link, voice of the child record and
contact moves to KEEP; KEEP's blank fields are filled; MERGED is kept, removed
as "merged into KEEP"); it prints the audit entry's number, which ``unmerge``
takes to put everything back. Two people in different families are not merged
(exit status 2, nothing written): ``merge-families`` first moves every member and
episode of the family MERGED into KEEP (KEEP's blank fields filled, the agencies
joined; MERGED kept, removed as "merged into KEEP"); ``unmerge`` undoes either
kind. Bad refs: a message naming the argument, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> None:
    listing: argparse.ArgumentParser = sub.add_parser(
        "duplicates",
        help="list likely duplicate people (name alike, same date of birth)",
        description="Pairs of family members who are probably one person: the same date of "
        "birth (or one recorded on one record only) and names alike, tolerant of spelling, "
        "within a family or across two. Best first, with the score and why.",
    )
    listing.add_argument(
        "--limit", type=int, default=50, metavar="N", help="at most N pairs (default 50)"
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_duplicates)

    merge: argparse.ArgumentParser = sub.add_parser(
        "merge",
        help="merge two records of one person (MERGED into KEEP); undo with unmerge",
        description="Merge the family member MERGED into KEEP: every episode, contact and "
        "voice of the child record moves to KEEP, KEEP's blank fields are filled from MERGED, "
        "and MERGED stays in the store, removed as merged. One audited transaction; prints "
        "the audit entry's number for `ehtui unmerge`.",
    )
    merge.add_argument("keep", metavar="KEEP", help="the member ref to keep")
    merge.add_argument("merged", metavar="MERGED", help="the member ref merged into KEEP")
    merge.set_defaults(handler=run_merge)

    families: argparse.ArgumentParser = sub.add_parser(
        "merge-families",
        help="merge two records of one household (family MERGED into KEEP); undo with unmerge",
        description="Merge the family MERGED into KEEP: every member and episode (open or "
        "closed) of MERGED moves to KEEP, KEEP's blank fields are filled from MERGED (the "
        "agencies joined), and MERGED stays in the store, removed as merged. Needed before "
        "two records of one person in different families can be merged. One audited "
        "transaction; prints the audit entry's number for `ehtui unmerge`.",
    )
    families.add_argument("keep", metavar="KEEP", help="the family ref to keep")
    families.add_argument("merged", metavar="MERGED", help="the family ref merged into KEEP")
    families.set_defaults(handler=run_merge_families)

    unmerge: argparse.ArgumentParser = sub.add_parser(
        "unmerge",
        help="undo a merge (of two people or two families), by its audit entry's number",
        description="Put back exactly what a merge (of two people or of two families) "
        "changed; refused when later changes make that unsafe.",
    )
    unmerge.add_argument("audit_id", metavar="AUDIT_ID", help="the merge's audit entry number")
    unmerge.set_defaults(handler=run_unmerge)


def run_duplicates(args: Any) -> int:
    import json
    import sys

    from ehtui.context import Context
    from ehtui.duplicates import find_duplicates
    from ehtui.errors import InputError
    from ehtui.safe_text import safe_text as safe

    if not 1 <= args.limit <= 1000:
        raise InputError([f"--limit: {args.limit} is not between 1 and 1000"])
    ctx = Context.from_args(args)
    pairs = find_duplicates(ctx.engine, limit=args.limit)
    if args.format == "json":

        def person(p: Any) -> dict[str, Any]:
            return {
                "ref": p.ref,
                "name": p.name,
                "relationship": p.relationship,
                "dob": p.dob.isoformat() if p.dob else None,
                "family": p.family,
                "family_name": p.family_name,
                "postcode": p.postcode,
                "episodes": list(p.episodes),
            }

        doc = {
            "pairs": [
                {
                    "score": pair.score,
                    "reason": pair.reason,
                    "keep": person(pair.keep),
                    "other": person(pair.other),
                }
                for pair in pairs
            ]
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not pairs:
        print("No likely duplicates.")
        return 0
    print(f"Likely duplicates ({len(pairs)}), best first:")
    for n, pair in enumerate(pairs, 1):
        print(f"{n:>3}. {pair.score:5.1f}  {safe(pair.reason)}")
        for p in (pair.keep, pair.other):
            episodes = ", ".join(p.episodes) or "no episodes"
            print(
                f"       {safe(p.ref):<10} {safe(p.name):<26} born {p.born:<12} "
                f"{safe(p.family_name)} family {safe(p.family)}"
                f"{', ' + p.postcode if p.postcode else ''} · {safe(episodes)}"
            )
        if pair.keep.family != pair.other.family:
            print(
                "       different families: first ehtui merge-families "
                f"{safe(pair.keep.family)} {safe(pair.other.family)}, then "
                f"ehtui merge {safe(pair.keep.ref)} {safe(pair.other.ref)}"
            )
        else:
            print(f"       merge with: ehtui merge {safe(pair.keep.ref)} {safe(pair.other.ref)}")
    return 0


def run_merge(args: Any) -> int:
    from ehtui.duplicates import merge_members

    return _merged(args, merge_members)


def run_merge_families(args: Any) -> int:
    from ehtui.duplicates import merge_families

    return _merged(args, merge_families)


def _merged(args: Any, merge: Callable[..., Any]) -> int:
    """Merge MERGED into KEEP with ``merge`` (two people or two families); say how to undo."""
    from ehtui.context import Context
    from ehtui.safe_text import safe_text

    ctx = Context.from_args(args)
    result = merge(ctx.engine, args.keep, args.merged, ctx.me(), ctx.now())
    print(safe_text(result.summary()))
    print(f"Undo with: ehtui unmerge {result.audit_id}")
    return 0


def run_unmerge(args: Any) -> int:
    from ehtui.context import Context
    from ehtui.duplicates import undo_merge
    from ehtui.safe_text import safe_text

    ctx = Context.from_args(args)
    result = undo_merge(ctx.engine, args.audit_id, ctx.me(), ctx.now())
    print(safe_text(result.summary()))
    return 0
