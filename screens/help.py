"""F1: the keys of the screen underneath (as the user's keymap has them), what the
screen shows, and the protocol's words."""

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
Work-tray words (PROTOCOL_RULES.md §10):
  ‼ Critically overdue  overdue by more than 10 working days (a setting)
  ! Overdue             a clock has passed its due date, or a record is missing
  ◷ Due soon            inside the rule's warning window
  ✓ On track            every clock is running in time
Working days skip weekends and England and Wales bank holidays.
Where the protocol contradicts itself ehtui reads it as PROTOCOL_REFERENCE.md
says: the initial TAF within 10 working days; the step-down meeting held within
10 working days; the home visit held (not just arranged) within 7 working days;
contact notes finalised within 48 clock hours.
The command palette (ctrl+p) has every action by name, including "Open case…",
every tray, the report and the themes. Your own keys go in keys.toml in the
config folder, by binding id (the third column here)."""


def keys_table(screen: Screen[Any]) -> Table:
    """Every key active on ``screen`` (its focused widget's, the screen's, the app's),
    as currently bound, with its description and binding id."""
    table = Table(box=None, title_justify="left", expand=True)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Does")
    table.add_column("Binding id", style="dim", no_wrap=True)
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[str, str, str]] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        shown = screen.app.get_key_display(binding) if key == binding.key else key
        rows.append((shown, binding.description, binding.id or ""))
    # ehtui's own keys (they have ids) first, then the focused widget's standard keys.
    rows.sort(key=lambda row: not row[2])
    for row in rows:
        table.add_row(*row)
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close help", id="help.close"),
        Binding("f1", "dismiss", "Close help", id="help.close_f1", show=False),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        name = type(self.under).__name__.removesuffix("Screen")
        about = getattr(self.under, "HELP", None)
        with VerticalScroll(id="help-body"):
            yield Static(Text(f"Help: {name}", style="bold"), classes="help-title")
            if about:
                yield Static(Text(about), classes="help-about")
            yield Static(keys_table(self.under))
            yield Static(Text(WORDS), classes="help-words")
