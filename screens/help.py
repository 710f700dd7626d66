"""F1: the keys of the screen underneath, and the protocol's words it uses."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

WORDS = """\
Work tray words (PROTOCOL_RULES.md §10):
  ‼ Critically overdue  overdue by more than 10 working days
  ! Overdue             a clock has passed its due date (or a record is missing)
  ◷ Due soon            inside the rule's warning window
  ✓ On track            every clock is running in time
Working days skip weekends and England and Wales bank holidays.
Where the protocol contradicts itself ehtui reads it as PROTOCOL_REFERENCE.md
says: the initial TAF within 10 working days; the step-down meeting held within
10 working days; the home visit held (not just arranged) within 7 working days;
contact notes finalised within 48 clock hours.
The command palette (ctrl+p) has every action by name, including "Open case…".
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 80%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close help", id="help.close"),
        Binding("f1", "dismiss", "Close help", id="help.close_f1", show=False),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(
            title=f"Keys: {type(self.under).__name__.removesuffix('Screen')}",
            box=None,
            title_justify="left",
        )
        table.add_column("Key", style="bold")
        table.add_column("Does")
        seen = set()
        for binding in [*self.under.BINDINGS, *self.app.BINDINGS]:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            seen.add(binding.action)
            table.add_row(self.app.get_key_display(binding), binding.description)
        with VerticalScroll():
            yield Static(table)
            yield Static(Text("\n" + WORDS))
