"""The palette's entries for the keys of the screen on show.

Every action has a key in the footer and an entry in the command palette. The
app's own actions and the recording actions are named in
:mod:`screens.catalogue`; the keys a screen adds for itself (the supervision
walk's next case, the duplicates' merge, the tracker's month) are offered here,
read from the footer's own list: whatever the footer shows for the focused
widget and its screen can be run by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.catalogue import APP_ACTIONS, CASE_ACTIONS

NAMED = frozenset(a.name for a in (*APP_ACTIONS, *CASE_ACTIONS))  # entries of their own


class ScreenKeysProvider(Provider):
    """One entry per key the footer shows for the screen (not the app's, not the catalogue's)."""

    def _entries(self) -> Iterator[tuple[str, str, Any]]:
        screen = self.screen
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not active.enabled or active.node is self.app:
                continue
            if binding.action.startswith("run("):  # a catalogue action: named already
                continue
            name = binding.description
            if not name or name in seen or name in NAMED:
                continue
            seen.add(name)
            shown = self.app.get_key_display(binding)
            help_text = f"{binding.tooltip or 'On this screen'} ({shown or key})"
            yield name, help_text, partial(self.app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        for name, help_text, run in self._entries():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)
