"""The milestone timeline: what happened, then every clock still running (engine dates)."""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.store import CaseView, Event
from widgets.badge import state_badge
from widgets.dates import when
from widgets.panel import Panel


def event_when(ev: Event) -> str:
    """The day of what happened; a running clock's due date as the engine gives it
    (with the time for the hour rules)."""
    if ev.state in ("done", "late") and isinstance(ev.when, datetime):
        return when(ev.when.date())
    return when(ev.when)


class MilestoneTimeline(Panel):
    """Referral, allocation, first contact, home visit, EHA, TAF meetings, closure, then
    each running clock with its due date: ✓ done, · late, → running, ◷ due soon, ! overdue."""

    TITLE = "Milestones and clocks"

    def body(self, view: CaseView) -> RenderableType:
        t = Table(box=None, show_header=False, pad_edge=False, expand=True)
        t.add_column(no_wrap=True)
        t.add_column(ratio=1, overflow="fold")
        t.add_column(no_wrap=True)
        for ev in view.timeline:
            what = Text(ev.label)
            if ev.rule:
                what.append(f"  {ev.rule}", style="dim")
            t.add_row(state_badge(ev.state), what, event_when(ev))
        return t
