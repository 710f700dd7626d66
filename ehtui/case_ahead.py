"""Case views read before they are asked for: the row a person rests on in the tray.

Opening a case costs the database and the engine some 50-100 ms before anything can be
drawn. While the highlight rests on a row of the work tray (and for the top row once
the app is up) that case view is read in a worker and kept here; opening the case then
draws it at once and reads it again behind the scenes, repainting only if anything
differs (another person's save on a team store, a clock that moved in the meantime).
A save in this app forgets everything kept. At most a few views are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the app imports this before its first paint: nothing heavy here
    from sqlalchemy import Engine

    from ehtui.rules import RuleTable

KEEP = 8


@dataclass(frozen=True)
class Ahead:
    view: Any  # ehtui.store.CaseView | None
    drafts: list[Any]


def read_case(
    engine: Engine, episode: str, now: datetime, table: RuleTable, me: str | None
) -> Ahead:
    """One episode's case view and the drafts kept on it (the case view's whole read)."""
    from ehtui.drafts import drafts_about
    from ehtui.store import case_view

    return Ahead(case_view(engine, episode, now, table), drafts_about(engine, episode, me))


class CaseAhead:
    def __init__(self, keep: int = KEEP) -> None:
        self._kept: OrderedDict[str, Ahead] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._generation = 0  # bumped by forget(): a read begun before a save is dropped

    def get(self, episode: str) -> Ahead | None:
        with self._lock:
            return self._kept.get(episode)

    def read(
        self, engine: Engine, episode: str, now: datetime, table: RuleTable, me: str | None
    ) -> Ahead:
        with self._lock:
            generation = self._generation
        ahead = read_case(engine, episode, now, table, me)
        self.keep(episode, ahead, generation)
        return ahead

    def keep(self, episode: str, ahead: Ahead, generation: int | None = None) -> None:
        with self._lock:
            if generation is not None and generation != self._generation:
                return
            self._kept[episode] = ahead
            self._kept.move_to_end(episode)
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._generation += 1
