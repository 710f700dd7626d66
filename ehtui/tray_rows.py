"""What a work tray shows, as plain objects: light enough for the start-up path.

No SQLAlchemy here (a test proves it): the app paints the last tray it showed
from these before the store is open (:mod:`ehtui.tray_cache`). The rows are
computed by :func:`ehtui.store.tray_for` from the engine's findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ehtui.levels import Level
from ehtui.vocab import Role, label

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.EHA_COORDINATOR})


@dataclass(frozen=True, slots=True)
class Person:
    ref: str
    name: str
    role: str
    grade: str | None
    hub: str
    fte: float
    manager: str | None

    @property
    def role_label(self) -> str:
        return label(Role, self.role)

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


@dataclass(frozen=True, slots=True)
class TrayRow:
    """One open episode on a work tray."""

    episode: str
    family: str
    family_name: str
    postcode: str
    children: str  # "Tolu (10), Amara (7)"
    child_names: str
    type: str
    type_label: str
    lead: str | None
    lead_name: str
    hub: str
    days_open: int | None
    level: Level
    overdue: int
    due_soon: int
    next_rule: str | None
    next_due: date | datetime | None
    next_message: str

    @property
    def search_text(self) -> str:
        return " ".join(
            (
                self.family_name,
                self.child_names,
                self.episode,
                self.family,
                self.postcode,
                self.postcode.replace(" ", ""),
                self.lead_name,
            )
        ).lower()


@dataclass(frozen=True, slots=True)
class TrayLoad:
    """One tray as loaded: which tab, its title and its rows (worst first)."""

    tab: str
    name: str
    rows: tuple[TrayRow, ...]


def tray_tabs(me: Person, team: tuple[Person, ...]) -> tuple[tuple[str, str], ...]:
    """The trays "me" can open, as (tab id, label): mine, my hub's group tray, my hub's
    Universal Plus tray and, for a manager, each practitioner they manage."""
    tabs = [
        ("mine", "My work tray"),
        ("hub", f"{me.hub} hub tray"),
        ("up", "Universal Plus tray"),
    ]
    tabs += [(f"p-{p.ref}", p.name) for p in team]
    return tuple(tabs)


def sort_tray(rows: list[TrayRow]) -> list[TrayRow]:
    far = datetime.max

    def key(r: TrayRow) -> tuple[Any, ...]:
        due = r.next_due
        moment = (
            far
            if due is None
            else due
            if isinstance(due, datetime)
            else datetime.combine(due, datetime.min.time())
        )
        return (r.level.rank, moment, r.family_name, r.episode)

    return sorted(rows, key=key)
