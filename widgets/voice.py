"""Voice of the child: per child, when they were last heard and when the next is due."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from widgets.badge import state_badge
from widgets.panel import Panel


def day(value: object) -> str:
    return f"{value:%-d %b %Y}" if value is not None else ""


class VoicePanel(Panel):
    TITLE = "Voice of the child (every 4 weeks, §7.2)"

    def body(self, view: CaseView) -> RenderableType:
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        t.add_column("Child", ratio=1, overflow="fold")
        for col in ("Last heard", "Next due", "State"):
            t.add_column(col, no_wrap=True)
        for v in view.voices:
            t.add_row(
                Text(safe_text(v.name)),
                day(v.last) if v.last else "never",
                day(v.due),
                state_badge(v.state) if v.state else Text("no clock", style="dim"),
            )
        if not view.voices:
            t.add_row(Text("No children on this episode", style="dim"), "", "", "")
        return t
