"""A titled, bordered panel of the case view that shows one part of a CaseView.

A panel's body is usually a Rich table. Textual measures a renderable's height by
rendering it, again at each layout pass, and draws it again for each update, so
opening a case rendered its tables hundreds of times. The panel renders its body
once, at its own width, into styled lines (:func:`flatten`), and again only when
its width changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from textual import events
from textual.widgets import Static

if TYPE_CHECKING:
    from ehtui.store import CaseView


class Panel(Static):
    """Subclasses give ``TITLE`` and ``body(view)``; the screen calls ``show(view)``."""

    DEFAULT_CSS = """
    Panel {
        width: 1fr;
        height: auto;
        border: round $primary-darken-2;
        border-title-color: $accent;
        border-title-style: bold;
        padding: 0 1;
    }
    """
    TITLE = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.border_title = self.TITLE

    _body: RenderableType | None = None
    _width = 0

    def show(self, view: CaseView) -> None:
        self._body = self.body(view)
        self._width = 0
        self._paint()

    def clear(self) -> None:
        self.border_title = self.TITLE
        self._body, self._width = None, 0
        self.update("")

    def on_resize(self, event: events.Resize) -> None:
        # After the layout pass that resized it: an update made during that pass can be
        # laid out at the old height (a case drawn as the case view is first built).
        self.call_after_refresh(self._paint)

    def _paint(self) -> None:
        width = self.content_region.width
        if self._body is None or width == self._width:
            return
        if width <= 0:  # not laid out yet: Textual measures the renderable itself
            self.update(self._body)
            return
        self._width = width
        options = self.app.console_options.update(highlight=False).update_width(width)
        self.update(flatten(self.app.console, options, self._body))

    def body(self, view: CaseView) -> RenderableType:
        raise NotImplementedError


class Drawn:
    """A renderable already drawn: its lines of segments, given back as they are."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self.lines = lines
        self.width = max((Segment.get_line_length(line) for line in lines), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


def flatten(console: Console, options: ConsoleOptions, renderable: RenderableType) -> Drawn:
    """``renderable`` drawn once, as Textual would draw it with ``options``."""
    return Drawn(console.render_lines(renderable, options, pad=False))
