"""A screen that is not restyled on showing when nothing it is styled by has changed.

Textual restyles every widget of a screen each time the screen is shown
(``ScreenResume(refresh_styles=True)``, from ``push_screen`` and
``switch_screen``), in case the app's stylesheet or state changed while it was
hidden. A screen shown the moment it is built was styled a moment ago, node by
node, as it was mounted: restyling the work tray's 40 widgets and the case
view's 45 again cost some 25 ms of the loaded tray's paint and of the first case
opened.

So a screen remembers what its styles were computed from (the stylesheet's
parsed rules, the app's classes and pseudo-classes) when it was mounted and when
it was last hidden, and on showing restyles only if any of them changed since: a
theme chosen or a stylesheet read (new rules), the terminal losing or regaining
focus (the app's pseudo-classes), a dark/light switch (the app's classes). That
holds on coming back to a screen too, where Textual itself would not restyle.
Changes within the screen (a widget's focus, hover or classes) restyle the nodes
concerned when they happen, shown or not.

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

    def _on_screen_suspend(self) -> None:
        """Up to now Textual restyled this screen with every change of the app's state
        (it was on show): its styles are those of the state now."""
        self._styled_by = self._style_inputs()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """(Runs before Screen's own handler.) Restyle exactly when the state changed
        since this screen was last styled: not when it did not (Textual would, on a
        push), and also when it did on coming back (Textual would not, on a pop)."""
        now = self._style_inputs()
        styled_by = self._styled_by
        same = styled_by is not None and now[0] is styled_by[0] and now[1:] == styled_by[1:]
        event.refresh_styles = not same
        self._styled_by = now
