"""The work tray's table: fixed columns, one line per row, a row cursor, drawn by us.

Textual's DataTable forgets every cell it has drawn whenever a row is added or
removed, so each filter keystroke on the tray drew every visible cell afresh
through Rich (some 300 of them at 120×40), which took most of the keystroke's
50 ms. Here a row is drawn once into segments, at the columns' widths, and kept
by its key: filtering only chooses which kept rows are on show, and painting a
line is a crop and a style over segments already drawn. The kept rows are
forgotten when the rows or the widths change (:meth:`TrayTable.set_rows`,
:meth:`TrayTable.set_columns`).

It looks and moves like the DataTable it replaces (the same component styles,
the same keys: up, down, page up, page down, home, end, left and right to
scroll); Enter is the screen's (open the case). A click highlights a row; a
click on the highlighted row selects it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

PAD = 1  # blank cells either side of a cell's text (as DataTable's cell padding)
Cell = Text | str


@dataclass(frozen=True)
class Styles:
    """The table's styles for one frame (from its CSS, theme and focus)."""

    base: Style
    header: Style
    odd: Style
    even: Style
    cursor_under: Style  # under the cursor row's cells
    cursor_over: Style  # over them


class TrayTable(ScrollView, can_focus=True):
    """Rows of cells under a fixed header line; ``cursor_row`` is the highlighted row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tray-table--header",
        "tray-table--cursor",
        "tray-table--even-row",
    }
    DEFAULT_CSS = """
    TrayTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .tray-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .tray-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .tray-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .tray-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .tray-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .tray-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .tray-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Cursor up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Cursor down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page-down"),
        Binding("home,ctrl+home", "ends(0)", "First row", show=False, id="table.first"),
        Binding("end,ctrl+end", "ends(1)", "Last row", show=False, id="table.last"),
        Binding("left", "across(-1)", "Scroll left", show=False, id="table.left"),
        Binding("right", "across(1)", "Scroll right", show=False, id="table.right"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=False, layout=False, repaint=False)

    class RowMessage(Message):
        """About the row with this key."""

        def __init__(self, table: TrayTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> TrayTable:
            return self.table

    class RowHighlighted(RowMessage):
        """The cursor is on the row with this key (after a move or new rows)."""

    class RowSelected(RowMessage):
        """The highlighted row was clicked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._labels: tuple[str, ...] = ()
        self._widths: tuple[int, ...] = ()
        self._keys: list[str] = []
        self._cells: dict[str, Sequence[Cell]] = {}
        self._drawn: dict[str, list[Segment]] = {}  # a row's segments at the widths
        self._header: list[Segment] | None = None
        self._styles: Styles | None = None

    # ------------------------------------------------------------------ content
    def set_columns(self, labels: Sequence[str], widths: Sequence[int]) -> None:
        """The columns' labels and widths (cells, padding not counted)."""
        self._labels, self._widths = tuple(labels), tuple(widths)
        self._drawn, self._header = {}, None
        self._resize()

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
        """Every row that may be shown (key, cells): what was drawn before is forgotten.
        The rows on show stay those of their keys still among them, until :meth:`show`."""
        self._cells, self._drawn = dict(rows), {}
        self._keys = [key for key in self._keys if key in self._cells]
        self.set_reactive(TrayTable.cursor_row, self.validate_cursor_row(self.cursor_row))

    def show(self, keys: Sequence[str], *, keep: str | None = None) -> None:
        """Show the rows with these keys, in this order, the cursor on ``keep``'s row if
        it is among them (the view not scrolled unless it must be, to show it), else on
        the first. Rows drawn before (an earlier filter of the same rows) are not drawn
        again."""
        self._keys = [key for key in keys if key in self._cells]
        row = self._keys.index(keep) if keep is not None and keep in self._keys else None
        self._resize()
        top = 0 if row is None else self.scroll_offset.y  # a kept row: the view stays
        row = row or 0
        self.scroll_to(x=self.scroll_offset.x, y=top, animate=False, immediate=True)
        self.set_reactive(TrayTable.cursor_row, row)
        self._keep_in_view(row)
        self.refresh()
        if self._keys:
            self.post_message(self.RowHighlighted(self, self._keys[row]))

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> list[str]:
        """The keys of the rows on show, top to bottom."""
        return list(self._keys)

    @property
    def cursor_key(self) -> str | None:
        return self._keys[self.cursor_row] if self._keys else None

    def _resize(self) -> None:
        size = Size(sum(w + 2 * PAD for w in self._widths), len(self._keys) + 1)
        if size == self.virtual_size:
            return
        if not self.container_size:
            self.virtual_size = size  # not laid out yet: the first layout measures it
            return
        # Fewer rows after a keystroke need no layout pass unless a scroll bar comes or
        # goes (the scroll bar's own reactive asks for one then): the table's size is the
        # screen's to give, not its rows'.
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    # ------------------------------------------------------------------ drawing
    def _draw(self, cells: Sequence[Cell]) -> list[Segment]:
        console = self.app.console
        pad = Segment(" " * PAD)
        segments: list[Segment] = []
        for cell, width in zip(cells, self._widths, strict=False):
            text = cell.copy() if isinstance(cell, Text) else Text(cell)
            text.truncate(width, overflow="ellipsis", pad=True)
            segments.append(pad)
            drawn = text.render(console, end="")
            if text.style and not text.spans:  # Rich leaves out a plain text's own style
                drawn = Segment.apply_style(drawn, console.get_style(text.style))
            segments.extend(drawn)
            segments.append(pad)
        return segments

    def _row_segments(self, key: str) -> list[Segment]:
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._draw(self._cells[key])
        return drawn

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = self._frame_styles()  # once a frame, not once a line
        return super().render_lines(crop)

    def _frame_styles(self) -> Styles:
        base = self.rich_style
        get = self.get_component_rich_style
        cursor = get("tray-table--cursor")
        return Styles(
            base=base,
            header=base + get("tray-table--header"),
            odd=base,
            even=base + get("tray-table--even-row"),
            # On the cursor's row its text colour wins over a cell's own; a cell's own
            # background (the critical badge's red) stays.
            cursor_under=cursor,
            cursor_over=Style(color=cursor.color),
        )

    def render_line(self, y: int) -> Strip:
        styles = self._styles or self._frame_styles()
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            if self._header is None:
                self._header = self._draw(self._labels)
            segments = Segment.apply_style(self._header, styles.header)
        else:
            row = scroll_y + y - 1
            if row >= len(self._keys):
                return Strip.blank(width, styles.base)
            under = styles.even if row % 2 == 0 else styles.odd
            over = None
            if row == self.cursor_row:
                under, over = under + styles.cursor_under, styles.cursor_over
            segments = Segment.apply_style(self._row_segments(self._keys[row]), under, over)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, styles.base).simplify()

    # ------------------------------------------------------------------ the cursor
    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._keep_in_view(new)
        if 0 <= new < len(self._keys):
            self.post_message(self.RowHighlighted(self, self._keys[new]))

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1))

    @property
    def rows_in_view(self) -> int:
        """How many rows show at once: the lines below the header, less a horizontal
        scroll bar's."""
        return max(self.scrollable_content_region.height - 1, 1)

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y + 1
        if 1 <= y <= self.rows_in_view:
            self.refresh(Region(0, y, self.size.width, 1))

    def _keep_in_view(self, row: int) -> None:
        lines = self.rows_in_view
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + lines:
            self.scroll_to(y=row - lines + 1, animate=False, immediate=True)

    def move_to(self, key: str | None) -> None:
        """Highlight the row of ``key``, if it is on show."""
        if key in self._keys:
            self.cursor_row = self._keys.index(key)

    def action_cursor(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, step: int) -> None:
        self.cursor_row += step * self.rows_in_view

    def action_ends(self, end: int) -> None:
        self.cursor_row = len(self._keys) - 1 if end else 0

    def action_across(self, step: int) -> None:
        self.scroll_to(x=self.scroll_offset.x + step * 4, animate=False)

    async def _on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)
        row = self.scroll_offset.y + at.y - 1 if at is not None else -1
        if at is None or at.y < 1 or not 0 <= row < len(self._keys):
            return
        if row == self.cursor_row:
            self.post_message(self.RowSelected(self, self._keys[row]))
        else:
            self.cursor_row = row
