"""The fixed meetings that apply (§5.4, §12.8) and where a step-up would go (§12.5-12.6)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from widgets.dates import when
from widgets.panel import Panel


class MeetingsPanel(Panel):
    TITLE = "Diary, Panel, Transfer meeting and step-up"

    def body(self, view: CaseView) -> RenderableType:
        m = view.meetings
        planned = [
            Text(f"Planned: {when(p.at)} {p.what}" + (f" with {safe_text(p.who)}" if p.who else ""))
            for p in view.planned
        ] or [Text("Planned: nothing (F7, the diary, plans a visit)", style="dim")]
        return Group(
            *planned,
            Text(f"Next Hub Panel: {when(m.panel)} (Tuesday morning)"),
            Text(
                f"Next Transfer meeting: {when(m.transfer.meeting)} (Wednesday morning); "
                f"agenda closes {when(m.transfer.cut_off)}"
            ),
            Text(f"A step-up would go to {m.route.destination}: {m.route.reason}"),
        )
