"""The status badge: colour plus a symbol, so it reads without colour too."""

from __future__ import annotations

from rich.text import Text

from ehtui.levels import Level

STYLES = {
    Level.CRITICALLY_OVERDUE: "bold white on red",
    Level.OVERDUE: "bold red",
    Level.DUE_SOON: "bold dark_orange",
    Level.ON_TRACK: "green",
}
STATE_STYLES = {
    "overdue": "bold red",
    "missing": "red",
    "over_limit": "magenta",
    "due_soon": "dark_orange",
    "advice": "cyan",
    "late": "dim",
    "done": "green",
    "running": "",
}
STATE_SYMBOLS = {
    "overdue": "!",
    "missing": "?",
    "over_limit": "▲",
    "due_soon": "◷",
    "advice": "i",
    "late": "·",
    "done": "✓",
    "running": "→",
}


SHORT = {Level.CRITICALLY_OVERDUE: "Critical"}


def badge(level: Level, *, short: bool = False) -> Text:
    """'‼ Critically overdue' (or '‼ Critical' where space is short)."""
    words = SHORT.get(level, level.label) if short else level.label
    return Text(f"{level.symbol} {words}", style=STYLES[level])


def state_badge(state: str) -> Text:
    words = state.replace("_", " ")
    return Text(f"{STATE_SYMBOLS.get(state, ' ')} {words}", style=STATE_STYLES.get(state, ""))
