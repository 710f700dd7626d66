"""The Textual App (placeholder until the app issue lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from ehtui.context import Context


class EhtuiApp(App[None]):
    TITLE = "ehtui"

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("ehtui")
        yield Footer()
