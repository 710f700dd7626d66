"""A record's history from the audit trail: who changed what, when (newest first)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ehtui.safe_text import safe_text


class HistoryScreen(ModalScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close", id="history.close")]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(f"History of {self.ref} · loading…", id="history")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from ehtui.audit import record_history

        app: Any = self.app
        entries = record_history(app.session.engine, self.ref)
        table = Table(
            title=f"History of {self.ref} (newest first)",
            box=None,
            title_justify="left",
            expand=True,
        )
        for col in ("When", "Who", "What", "Change"):
            table.add_column(col)
        for e in entries:
            table.add_row(
                f"{e.at:%d %b %Y %H:%M}",
                safe_text(e.user or "import"),
                e.action,
                Text(e.summary(width=90)),
            )
        if not entries:
            table.add_row("", "", "", Text("No changes recorded in ehtui (imported history)."))
        self.app.call_from_thread(self.query_one("#history", Static).update, table)
