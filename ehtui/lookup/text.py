"""The duty lookup as plain text and JSON (``ehtui lookup``).

Every piece of user data goes through :func:`~ehtui.safe_text.safe_text`, so a
name holding an escape sequence is shown, never obeyed by the terminal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ehtui.calendar import format_day
from ehtui.lookup.card import Card
from ehtui.lookup.index import Hit
from ehtui.safe_text import safe_text as safe

STATE_WORDS = {
    "overdue": "overdue",
    "missing": "missing",
    "over_limit": "over limit",
    "due_soon": "due soon",
    "advice": "advice",
    "late": "late",
}


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_day(value.date())} {value:%H:%M}"
    return format_day(value)


def hits_text(query: str, hits: list[Hit]) -> str:
    if not hits:
        return f'No one matches "{safe(query)}".\n'
    lines = [f'Matches for "{safe(query)}" ({len(hits)}), best first:']
    width = len(str(len(hits)))
    for n, hit in enumerate(hits, 1):
        lines.append(f"  {n:>{width}}. {safe(hit.name)} ({safe(hit.ref)}) · {safe(hit.detail)}")
        lines.append(f"  {'':>{width}}  matched: {safe(hit.why)}")
    return "\n".join(lines) + "\n"


def _table(rows: list[list[str]], indent: str = "    ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def card_text(card: Card) -> str:
    """The card, readably, for a terminal or a duty log."""
    out = [f"{safe(card.name)} family ({safe(card.ref)}) as of {_when(card.as_of)}"]
    out.append(f"  Address: {safe(card.address) if card.address else '(none recorded)'}")
    reach = [safe(x) for x in (card.phone, card.email) if x]
    out.append(f"  Phone/email: {', '.join(reach) if reach else '(none recorded)'}")
    out.append("")
    out.append(f"  Family members ({len(card.members)}):")
    if card.members:
        rows = [["Name", "Relationship", "Born", "Age", "School"]]
        for m in card.members:
            rows.append(
                [
                    safe(m.name),
                    safe(m.relationship_label),
                    format_day(m.dob)[4:] if m.dob else "not recorded",
                    "" if m.age is None else str(m.age),
                    safe(m.school) if m.school else "",
                ]
            )
        out.extend(_table(rows))
    out.append("")
    out.append("  Episodes (open, and closed in the last 12 months):")
    if not card.episodes:
        out.append("    none")
    for e in card.episodes:
        if e.is_open:
            start = _when(e.allocated) if e.allocated else f"referral {_when(e.referral_received)}"
            since = f"open since {start}"
            state = f" · {e.level.symbol} {e.level.label}" if e.level else ""
        else:
            reason = f" ({safe(e.closure_label)})" if e.closure_label else ""
            since, state = f"closed {_when(e.closed)}{reason}", ""
        out.append(f"    {safe(e.ref)}  {safe(e.type_label)} · {safe(e.hub)} hub · {since}{state}")
        if e.lead:
            phone = f", {safe(e.lead_phone)}" if e.lead_phone else ", no phone recorded"
            out.append(f"      Lead Professional: {safe(e.lead_name or e.lead)}{phone}")
        else:
            out.append(f"      Lead Professional: unallocated ({safe(e.hub)} hub tray)")
    out.append("")
    c = card.last_contact
    if c is None:
        out.append("  Last contact: none recorded")
    else:
        by = f", by {safe(c.by_name or c.by)}" if c.by else ""
        out.append(
            f"  Last contact: {_when(c.at)}, {safe(c.method_label)}, {safe(c.outcome_label)}"
            f"{by} ({safe(c.episode)})"
        )
    out.append("")
    out.append(f"  Open findings ({len(card.findings)}):")
    if not card.findings:
        out.append("    none")
    for f in card.findings:
        due = f" due {_when(f.due)}" if f.due is not None else ""
        out.append(
            f"    {STATE_WORDS.get(str(f.state), str(f.state))}: {f.rule}{due} "
            f"({safe(f.episode or '')}) {safe(f.message)}"
        )
    out.append("")
    out.append(f"  Step-up to Children's Social Care: {card.step_up.destination}")
    out.append(f"    {safe(card.step_up.reason)}")
    out.append(f"    {card.transfer.describe()}")
    return "\n".join(out) + "\n"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "ref": hit.ref,
        "family": hit.family,
        "name": hit.name,
        "detail": hit.detail,
        "why": hit.why,
        "score": hit.score,
    }


def card_json(card: Card) -> dict[str, Any]:
    c = card.last_contact
    return {
        "ref": card.ref,
        "name": card.name,
        "address": card.address,
        "phone": card.phone,
        "email": card.email,
        "as_of": card.as_of.isoformat(),
        "members": [
            {
                "ref": m.ref,
                "name": m.name,
                "relationship": m.relationship,
                "dob": _iso(m.dob),
                "age": m.age,
                "school": m.school,
            }
            for m in card.members
        ],
        "episodes": [
            {
                "ref": e.ref,
                "type": e.type,
                "hub": e.hub,
                "open": e.is_open,
                "referral_received": _iso(e.referral_received),
                "allocated": _iso(e.allocated),
                "closed": _iso(e.closed),
                "closure_reason": e.closure_reason,
                "lead": e.lead,
                "lead_name": e.lead_name,
                "lead_phone": e.lead_phone,
                "status": str(e.level) if e.level else None,
            }
            for e in card.episodes
        ],
        "last_contact": None
        if c is None
        else {
            "ref": c.ref,
            "episode": c.episode,
            "at": c.at.isoformat(),
            "method": c.method,
            "outcome": c.outcome,
            "by": c.by,
            "by_name": c.by_name,
        },
        "findings": [f.to_json() for f in card.findings],
        "step_up": {
            "destination": card.step_up.destination,
            "reason": card.step_up.reason,
            "transfer_meeting": card.transfer.meeting.isoformat(),
            "agenda_cut_off": card.transfer.cut_off.isoformat(),
        },
    }
