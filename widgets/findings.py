"""The findings list: rule ID, section, state, due date and the engine's plain message."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.rules import Finding
from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from widgets.badge import state_badge
from widgets.dates import when
from widgets.panel import Panel


def findings_table(findings: Sequence[Finding]) -> Table:
    t = Table(box=None, show_header=True, pad_edge=False, expand=True)
    t.add_column("State", no_wrap=True)
    t.add_column("Rule", no_wrap=True)
    t.add_column("Section", no_wrap=True)
    t.add_column("Due", no_wrap=True)
    t.add_column("What", overflow="fold", ratio=1)
    for f in findings:
        t.add_row(
            state_badge(str(f.state)), f.rule, f.section, when(f.due), Text(safe_text(f.message))
        )
    if not findings:
        t.add_row("", "", "", "", Text("Nothing outstanding: every clock is on track."))
    return t


class FindingsList(Panel):
    TITLE = "Findings"

    def body(self, view: CaseView) -> RenderableType:
        self.border_title = f"Findings ({len(view.findings)})"
        return findings_table(view.findings)
