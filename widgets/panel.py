"""A titled, bordered panel of the case view that shows one part of a CaseView.

A panel's body is usually a Rich table. Textual measures a renderable's height by
rendering it, again at each layout pass, and draws it again for each update, so
opening a case rendered its tables hundreds of times. The panel renders its body
once per width, into styled lines (:func:`flatten`), and gives Textual those lines
both for its height and for drawing.

It does so inside the layout pass that first gives it a width: a case shown in a
case view not yet laid out (the first case of a session) is measured, drawn and
placed in one pass, not drawn raw, resized, drawn again and placed again.

Textual can measure a panel's height at one width and then draw it one cell wider
(a column of ``2fr`` is measured at the fraction rounded down and placed at it
rounded to the cell). The panel remembers the width it was then drawn at and
measures at that width from then on, laying out once more only the first time, and
only if the two widths give a different number of lines: so the height always fits
the lines drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from textual.app import RenderResult as Rendered
from textual.geometry import Size
from textual.widgets import Static

if TYPE_CHECKING:
    from ehtui.store import CaseView

KEEP_WIDTHS = 3


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
        self._body: RenderableType | None = None
        self._view: CaseView | None = None  # the view the body was made from
        self._drawn: dict[int, Drawn] = {}  # the body drawn at the widths asked for
        self._drawn_at: dict[int, int] = {}  # width measured at -> width then drawn at
        self._measured = 0  # the width of the last measure

    def show(self, view: CaseView) -> None:
        if view is not self._view or self._body is None:  # not drawn ahead (prepare)
            self._view, self._body, self._drawn = view, self.body(view), {}
        self._changed()

    def prepare(self, view: CaseView) -> None:
        """Make and draw ``view``'s body ahead, at the width this panel was last laid out
        at, while the case view is off the screen: :meth:`show` of the same view then
        only places what was drawn. Nothing is drawn before the panel has had a width."""
        width = self.content_region.width
        if width <= 0 or view is self._view:
            return
        self._view, self._body, self._drawn = view, self.body(view), {}
        self.drawn(self._drawn_at.get(width, width))

    def clear(self) -> None:
        self.border_title = self.TITLE
        self._view, self._body, self._drawn = None, None, {}
        self._changed()

    def _changed(self) -> None:
        self._layout_cache.clear()  # the visual Textual keeps from render()
        self.clear_cached_dimensions()
        self.refresh(layout=True)

    def drawn(self, width: int) -> Drawn:
        """The body drawn ``width`` cells wide, once for each width (a layout pass can ask
        for two: a side column's fraction rounds one way, then the other)."""
        drawn = self._drawn.get(width)
        if drawn is None:
            assert self._body is not None
            options = self.app.console_options.update(highlight=False).update_width(width)
            drawn = self._drawn[width] = flatten(self.app.console, options, self._body)
            while len(self._drawn) > KEEP_WIDTHS:
                del self._drawn[next(iter(self._drawn))]
        return drawn

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._body is None or width <= 0:
            return super().get_content_height(container, viewport, width)
        self._measured = width
        return len(self.drawn(self._drawn_at.get(width, width)).lines)

    def drawing(self, width: int) -> Drawn:
        """The body as Textual draws it ``width`` wide; if the last measure was made at
        another width, that width is now known to be drawn at this one."""
        drawn = self.drawn(width)
        measured = self._measured
        if measured and self._drawn_at.get(measured, measured) != width:
            self._drawn_at[measured] = width
            if len(self.drawn(measured).lines) != len(drawn.lines):
                self.call_after_refresh(self.refresh, layout=True)
        return drawn

    def render(self) -> Rendered:
        if self._body is None:
            return super().render()
        return AtWidth(self)

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


class AtWidth:
    """A panel's body as Textual draws it: the lines the panel drew at the width asked for."""

    def __init__(self, panel: Panel) -> None:
        self.panel = panel

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.panel.drawing(options.max_width).__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.panel.drawn(options.max_width).__rich_measure__(console, options)


def flatten(console: Console, options: ConsoleOptions, renderable: RenderableType) -> Drawn:
    """``renderable`` drawn once, as Textual would draw it with ``options``."""
    return Drawn(console.render_lines(renderable, options, pad=False))
