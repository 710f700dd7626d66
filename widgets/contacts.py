"""The last contacts with the family: when, how, the outcome and the note (drafts marked)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from ehtui.vocab import ContactMethod, Outcome, label
from widgets.dates import when
from widgets.panel import Panel


class ContactsPanel(Panel):
    TITLE = "Last contacts"

    def body(self, view: CaseView) -> RenderableType:
        self.border_title = f"Last contacts ({len(view.contacts)} shown, newest first)"
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        t.add_column("When", no_wrap=True)
        t.add_column("Method", no_wrap=True)
        t.add_column("Outcome", no_wrap=True)
        t.add_column("Note", overflow="ellipsis", no_wrap=True, ratio=1)
        for c in view.contacts:
            note = Text(safe_text(c.note))
            if c.draft:
                note = Text.assemble(Text("[note not finalised] ", style="bold"), note)
            t.add_row(when(c.at), label(ContactMethod, c.method), label(Outcome, c.outcome), note)
        if not view.contacts:
            t.add_row("", "", "", Text("No contacts yet"))
        return t
