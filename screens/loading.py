"""Shown for the moment between the first paint and the store being open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        # No Header here: the title changes (to who and which store) as this screen goes.
        yield Static("ehtui · opening the store…", classes="title")
        yield LoadingIndicator()
