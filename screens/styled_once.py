"""A screen that is not restyled on showing when nothing it is styled by has changed.

Textual restyles every widget of a screen each time the screen is shown
(``ScreenResume(refresh_styles=True)``, from ``push_screen`` and
``switch_screen``), in case the app's stylesheet or state changed while it was
hidden. A screen shown the moment it is built was styled a moment ago, node by
node, as it was mounted: restyling the work tray's 40 widgets and the case
view's 45 again cost some 25 ms of the loaded tray's paint and of the first case
opened.

So a screen remembers what its styles were computed from (the stylesheet's
parsed rules, the app's classes and pseudo-classes) when it was mounted and each
time it was restyled, and skips the restyle when all are unchanged. A theme
change or a stylesheet read since (new rules), the terminal losing focus (the
app's pseudo-classes) or a dark/light switch (the app's classes) each mean a
restyle as before; what changes within the screen (focus, hover, its own
classes) restyles the nodes concerned at once, shown or not.

Likewise a screen with breakpoints is given its breakpoint classes when it is
made, from the terminal's size then: Textual adds them on the first Resize, and
adding a class to a screen restyles every widget of it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual._context import NoActiveAppError
from textual.screen import Screen


class StyledOnceScreen(Screen[None]):
    """Subclasses keep their own ``on_mount`` / ``on_screen_resume`` handlers."""

    _styled_by: tuple[Any, ...] | None = None

    def __init__(self) -> None:
        super().__init__()
        # The breakpoint classes the first Resize would add (with a restyle of every
        # widget), given now: the widgets are then styled with them as they mount.
        try:
            width, height = self.app.size
        except NoActiveAppError:
            return
        app = self.app
        for size, breakpoints in (
            (width, self.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS or []),
            (height, self.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS or []),
        ):
            self.add_class(*self._get_breakpoint_classes(size, breakpoints), update=False)

    def _style_inputs(self) -> tuple[Any, ...]:
        app = self.app
        return (
            app.stylesheet.rules,  # a new list after every parse (theme, new CSS)
            frozenset(app.classes),
            frozenset(app.pseudo_classes),
        )

    def _on_mount(self, event: events.Mount) -> None:
        self._styled_by = self._style_inputs()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """(Runs before Screen's own handler, which restyles only if asked to.)"""
        now = self._style_inputs()
        styled_by = self._styled_by
        if styled_by is not None and now[0] is styled_by[0] and now[1:] == styled_by[1:]:
            event.refresh_styles = False
        self._styled_by = now
