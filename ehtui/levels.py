"""A work tray's levels, worst first: light enough for the start-up path (no SQLAlchemy).

The engine decides an episode's level (:func:`ehtui.rules.status.episode_status`);
this module only names the levels, their words and their symbols.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    CRITICALLY_OVERDUE = "critically_overdue"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def symbol(self) -> str:
        """Reads without colour: ‼ critically overdue, ! overdue, ◷ due soon, ✓ on track."""
        return _LABELS[self][1]

    @property
    def rank(self) -> int:
        return list(Level).index(self)


_LABELS = {
    Level.CRITICALLY_OVERDUE: ("Critically overdue", "‼"),
    Level.OVERDUE: ("Overdue", "!"),
    Level.DUE_SOON: ("Due soon", "◷"),
    Level.ON_TRACK: ("On track", "✓"),
}
