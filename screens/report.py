"""The protocol report for me, or my hub, as the engine computed it (as `ehtui report`).

Historic ``late`` findings are left out: this screen is for what needs doing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ehtui.rules import Finding
from ehtui.safe_text import safe_text
from widgets.badge import state_badge
from widgets.dates import when
from widgets.footer import Footer


class ReportScreen(Screen[None]):
    CSS_PATH = "report.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="report.back"),
        Binding("enter", "open", "Open case", id="report.open"),
        Binding("m", "scope('me')", "Mine", id="report.me"),
        Binding("h", "scope('hub')", "My hub", id="report.hub"),
    ]
    HELP = """\
Every finding of the protocol engine that needs action (overdue, missing, over a
limit, due soon, advice), in the report order of the protocol rules (§10): on
your own episodes and about you (m), or across your hub (h). Enter opens the
finding's case."""

    class Loaded(Message):
        def __init__(self, scope: str, findings: list[Finding]) -> None:
            super().__init__()
            self.scope = scope
            self.findings = findings

    def __init__(self, scope: str = "me") -> None:
        super().__init__()
        self.scope = scope
        self.findings: list[Finding] = []
        self.fetching = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Report · loading…", id="report-title", classes="title")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("State", "Rule", "Section", "Due", "Episode", "What")
        self.show_scope(self.scope)

    def show_scope(self, scope: str) -> None:
        self.scope = scope
        self.fetching = True
        self.query_one("#report-title", Static).update(Text(f"{self._heading()} · loading…"))
        self.load(scope)

    def _heading(self) -> str:
        app: Any = self.app
        me = app.session.me
        return f"Report for {me.name}" if self.scope == "me" else f"Report for the {me.hub} hub"

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def load(self, scope: str) -> None:
        from ehtui.rules import evaluate_store

        app: Any = self.app
        me = app.session.me
        found = evaluate_store(
            app.session.engine,
            app.ctx.now(),
            practitioner=me.ref if scope == "me" else None,
            hub=me.hub if scope == "hub" else None,
            include_late=False,
            settings=app.session.settings,
        )
        self.post_message(self.Loaded(scope, found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.scope != self.scope:
            return
        self.fetching = False
        self.findings = message.findings
        table = self.query_one(DataTable)
        table.clear()
        for f in self.findings:
            table.add_row(
                state_badge(str(f.state)),
                f.rule,
                f.section,
                when(f.due),
                f.episode or f.practitioner or "",
                Text(safe_text(f.message)),
            )
        n = len(self.findings)
        self.query_one("#report-title", Static).update(
            Text(f"{self._heading()} · {n} finding{'s' if n != 1 else ''} to act on")
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_scope(self, scope: str) -> None:
        if scope != self.scope:
            self.show_scope(scope)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.cursor_row < len(self.findings):
            episode = self.findings[table.cursor_row].episode
            if episode:
                app: Any = self.app
                app.open_case(episode)
