"""The duty lookup's family card, read-only: members, open and recent episodes with
their Lead Professional, hub and phone, the last contact, the open findings, and
where a step-up to Children's Social Care would go (§12.5-12.6).

The card is :func:`ehtui.lookup.card.family_card`'s; this widget only lays it out.
User text goes through :func:`~ehtui.safe_text.safe_text` and is never markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ehtui.lookup.card import Card
from ehtui.lookup.rows import ResultRow
from ehtui.safe_text import safe_text
from widgets.badge import badge, state_badge
from widgets.dates import when

HEADING = "bold"


def _heading(words: str) -> Text:
    return Text(words, style=HEADING)


def _members(card: Card) -> Table:
    t = Table(box=None, show_header=True, pad_edge=False, expand=True)
    t.add_column("Name", ratio=3, overflow="fold")
    t.add_column("Relationship", no_wrap=True)
    t.add_column("Born", no_wrap=True)
    t.add_column("Age", justify="right", no_wrap=True)
    t.add_column("School", ratio=2, overflow="fold")
    for m in card.members:
        t.add_row(
            Text(safe_text(m.name), style="bold" if m.relationship == "child" else ""),
            Text(safe_text(m.relationship_label)),
            when(m.dob) if m.dob else "not recorded",
            "" if m.age is None else str(m.age),
            Text(safe_text(m.school or "")),
        )
    return t


def _episodes(card: Card) -> list[RenderableType]:
    out: list[RenderableType] = []
    if not card.episodes:
        out.append(Text("  none open, none closed in the last 12 months", style="dim"))
    for e in card.episodes:
        line = Text("  ")
        if e.is_open:
            start = when(e.allocated) if e.allocated else f"referral {when(e.referral_received)}"
            line.append(f"{safe_text(e.type_label)} {safe_text(e.ref)}", style="bold")
            line.append(f" · {safe_text(e.hub)} hub · open since {start}")
            if e.level is not None:
                line.append("  ")
                line.append_text(badge(e.level, short=True))
        else:
            reason = f" ({safe_text(e.closure_label)})" if e.closure_label else ""
            line.append(f"{safe_text(e.type_label)} {safe_text(e.ref)}", style="dim bold")
            line.append(f" · {safe_text(e.hub)} hub · closed {when(e.closed)}{reason}", style="dim")
        out.append(line)
        if e.lead:
            phone = safe_text(e.lead_phone) if e.lead_phone else "no phone recorded"
            out.append(Text(f"    Lead Professional: {safe_text(e.lead_name or e.lead)}, {phone}"))
        else:
            out.append(Text(f"    Lead Professional: unallocated ({safe_text(e.hub)} hub tray)"))
    return out


def _findings(card: Card) -> list[RenderableType]:
    if not card.findings:
        return [Text("  none", style="dim")]
    out: list[RenderableType] = []
    for f in card.findings:
        line = Text("  ")
        line.append_text(state_badge(str(f.state)))
        line.append(f" {f.rule}", style="bold")
        if f.due is not None:
            line.append(f" due {when(f.due)}")
        line.append(f" ({safe_text(f.episode or '')}): {safe_text(f.message)}")
        out.append(line)
    return out


def _labelled(label: str, rest: str | Text) -> Text:
    line = Text()
    line.append(label, style=HEADING)
    line.append_text(rest if isinstance(rest, Text) else Text(rest))
    return line


def card_renderable(card: Card) -> RenderableType:
    """The whole card, top to bottom, one line a section heading (it fits 120×40)."""
    parts: list[RenderableType] = []
    reach = [safe_text(x) for x in (card.address, card.phone, card.email) if x]
    parts.append(_labelled("Address, phone: ", " · ".join(reach) if reach else "none recorded"))
    parts.append(_heading(f"Family members ({len(card.members)})"))
    parts.append(_members(card))
    parts.append(_heading("Episodes open, and closed in the last 12 months"))
    parts.extend(_episodes(card))
    c = card.last_contact
    if c is None:
        parts.append(_labelled("Last contact: ", Text("none recorded", style="dim")))
    else:
        by = f", by {safe_text(c.by_name or c.by)}" if c.by else ""
        parts.append(
            _labelled(
                "Last contact: ",
                f"{when(c.at)}, {safe_text(c.method_label)}, {safe_text(c.outcome_label)}"
                f"{by} ({safe_text(c.episode)})",
            )
        )
    parts.append(_heading(f"Open findings ({len(card.findings)})"))
    parts.extend(_findings(card))
    route = Text()
    route.append(card.step_up.destination, style="bold")
    route.append(f": {safe_text(card.step_up.reason)}")
    parts.append(_labelled("Step-up to CSC (§12.5-12.6) goes to ", route))
    parts.append(Text(f"  {card.transfer.describe()}"))
    return Group(*parts)


def practitioner_renderable(row: ResultRow) -> RenderableType:
    return Group(
        Text(f"{safe_text(row.name)} ({safe_text(row.ref)})", style="bold"),
        Text(f"{safe_text(row.role)}, {safe_text(row.family_name)}"),
        Text(safe_text(row.work)),
        Text("\nA practitioner: no family card.", style="dim"),
    )


class LookupCard(Static):
    """The card beside the results; the screen calls :meth:`show` or :meth:`say`."""

    DEFAULT_CSS = """
    LookupCard {
        width: 1fr;
        height: auto;
        border: round $primary-darken-2;
        border-title-color: $accent;
        border-title-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.border_title = "Family card"
        self.card: Card | None = None

    def show(self, card: Card) -> None:
        self.card = card
        self.border_title = f"{safe_text(card.name)} family {safe_text(card.ref)}"
        self.update(card_renderable(card))

    def show_practitioner(self, row: ResultRow) -> None:
        self.card = None
        self.border_title = "Practitioner"
        self.update(practitioner_renderable(row))

    def say(self, words: str, title: str = "Family card") -> None:
        self.card = None
        self.border_title = title
        self.update(Text(words, style="dim"))
