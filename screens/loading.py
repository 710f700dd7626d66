"""Shown between the first paint and the store being open (and "me"'s tray loaded)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class LoadingScreen(Screen[None]):
    CSS_PATH = "loading.tcss"

    def compose(self) -> ComposeResult:
        # No Header here: the title changes (to who and which store) as this screen goes.
        # No spinner either: it repaints 16 times a second, time the tray waits for.
        yield Static("ehtui · opening the store and your work tray…", id="loading-message")
