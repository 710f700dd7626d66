"""The protocol report for me (or my team), as the engine computed it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ehtui.rules import Finding
from screens.case import when
from widgets.badge import state_badge


class ReportScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="report.back"),
        Binding("enter", "open", "Open case", id="report.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Report · loading…", id="report-title", classes="title")
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("State", "Rule", "Section", "Due", "Episode", "What")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from ehtui.rules import evaluate_store

        app: Any = self.app
        me = app.session.me
        found = evaluate_store(
            app.session.engine, app.ctx.now(), practitioner=me.ref, table=app.session.settings.table
        )
        self.app.call_from_thread(self.show, [f for f in found if str(f.state) != "late"])

    def show(self, found: list[Finding]) -> None:
        self.findings = found
        table = self.query_one(DataTable)
        for f in found:
            table.add_row(
                state_badge(str(f.state)),
                f.rule,
                f.section,
                when(f.due),
                f.episode or "",
                Text(f.message),
            )
        app: Any = self.app
        self.query_one("#report-title", Static).update(
            Text(f"Report for {app.session.me.name} · {len(found)} findings")
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.cursor_row < len(self.findings):
            episode = self.findings[table.cursor_row].episode
            if episode:
                app: Any = self.app
                app.open_case(episode)
