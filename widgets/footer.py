"""The footer of every screen: Textual's, rebuilt only when the keys it shows change.

Textual's footer throws away and rebuilds every key it shows whenever the screen's
bindings might have changed: each focus change, each time the screen comes back to
the top of the stack. A case view or a tray shows some twenty keys, so opening a case
and going back to the tray rebuilt and restyled forty widgets for nothing. This one
remembers what it last drew (each shown key, its label, whether it is enabled, how it
is displayed) and rebuilds only when that differs.

Each key it builds is also styled once, not three times: Textual's key starts
compact (its reactive's default), restyles itself and its subtree to add the
``-compact`` class as it mounts, and restyles again when the footer's own ``compact``
(False here) is bound to it a moment later. Opening the first case spent some 0.1 s
of its time in those restyles. A key made here starts with the footer's setting, so
neither restyle happens; the binding still follows the footer if it changes.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

PALETTE_KEY = "-command-palette"  # the class of the footer's command-palette key
Shown = tuple[tuple[str, str, str, str, bool, str], ...]


class Footer(TextualFooter):
    _drawn: Shown | None = None

    def _shown(self, screen: Screen[Any]) -> Shown:
        app = screen.app
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
            )
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._drawn is not None
            and self.is_attached
            and screen is self.screen
            and self._shown(screen) == self._drawn
        ):
            return
        super().bindings_changed(screen)

    def compose(self) -> Any:
        if self._bindings_ready:
            self._drawn = self._shown(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Starts as it will end (so mounting it restyles nothing): a key bound to
                # the footer as the footer is, and the footer's binding keeps it in step
                # after that; the command palette's key, which Textual does not bind,
                # compact (its reactive's default), as Textual draws it.
                compact = True if widget.has_class(PALETTE_KEY) else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
