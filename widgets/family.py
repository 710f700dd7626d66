"""The family panel: who is in the family, with ages, school, language, interpreter need."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from ehtui.vocab import Relationship, label
from widgets.panel import Panel


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class FamilyPanel(Panel):
    """Children in this episode are in bold; "?" marks a field not recorded."""

    TITLE = "Family"

    def body(self, view: CaseView) -> RenderableType:
        self.border_title = f"Family: {safe_text(view.family_name)}"
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        for col in ("Name", "Who", "Age", "School", "Language", "Interpreter"):
            t.add_column(col, overflow="fold")
        for m in view.members:
            name = Text(safe_text(m.name), style="bold" if m.in_episode else "")
            t.add_row(
                name,
                label(Relationship, m.relationship),
                "?" if m.age is None else str(m.age),
                Text(safe_text(m.school or "")),
                Text(safe_text(m.language or "?")),
                yes_no(m.interpreter_needed) or "?",
            )
        where = " · ".join(safe_text(x) for x in (view.address, view.phone, view.email) if x)
        agencies = ", ".join(safe_text(a) for a in view.agencies) or "none recorded"
        return Group(
            Text(where or "No address, phone or email recorded"),
            t,
            Text(f"Agencies involved: {agencies}"),
        )
