"""The work tray's own table (widgets/tray_table.py): its keys, clicks, scrolling, how it
draws, and that filtering shows rows already drawn without drawing them again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult

from tests.appkit import case_loaded, make_app, tray_loaded, wait_for
from widgets.tray_table import TrayTable

LABELS = ("Status", "Family")
WIDTHS = (10, 12)


def rows(n: int) -> list[tuple[str, tuple[Text | str, ...]]]:
    return [
        (f"k{i}", (Text("‼ Critical", style="bold white on red") if i == 0 else "ok", f"F{i}"))
        for i in range(n)
    ]


class TableApp(App[None]):
    def __init__(self, n: int, widths: tuple[int, ...] = WIDTHS) -> None:
        super().__init__()
        self.n = n
        self.widths = widths
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield TrayTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(TrayTable)
        table.set_columns(LABELS, self.widths)
        table.set_rows(rows(self.n))
        table.show([key for key, _ in rows(self.n)])
        table.focus()

    def on_tray_table_row_highlighted(self, message: TrayTable.RowHighlighted) -> None:
        self.highlighted.append(message.key)

    def on_tray_table_row_selected(self, message: TrayTable.RowSelected) -> None:
        self.selected.append(message.key)


def line_text(table: TrayTable, y: int) -> str:
    return "".join(segment.text for segment in table.render_line(y))


async def test_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = TableApp(30)
    async with app.run_test(size=(40, 10)) as pilot:  # 9 rows on show under the header
        table = app.query_one(TrayTable)
        await pilot.press("down", "down", "down")
        assert table.cursor_row == 3 and table.cursor_key == "k3"
        assert app.highlighted[-1] == "k3"
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 29
        assert table.scroll_offset.y == 30 - 9  # the last row is the bottom line
        assert line_text(table, 9).startswith(" ok          F29")
        await pilot.press("pageup")
        assert table.cursor_row == 29 - 9  # a page: the rows in view
        await pilot.press("home")
        await pilot.pause()
        assert (table.cursor_row, table.scroll_offset.y) == (0, 0)
        await pilot.press("up")  # nothing above the first row
        assert table.cursor_row == 0


async def test_with_a_horizontal_scroll_bar_the_cursor_stays_above_it() -> None:
    """Columns wider than the table (the tray at 80 columns, or beside the week at 120)
    put a scroll bar on the table's last line: the cursor's row must stay above it."""
    app = TableApp(30, widths=(30, 30))
    async with app.run_test(size=(40, 10)) as pilot:  # header, 8 rows, the scroll bar
        table = app.query_one(TrayTable)
        assert table.rows_in_view == 8
        await pilot.press("end")
        await pilot.pause()
        assert table.scroll_offset.y == 30 - 8
        assert line_text(table, 8).startswith(" ok") and "F29" in line_text(table, 8)
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert table.cursor_row == 8 and table.scroll_offset.y == 1


async def test_a_kept_row_is_found_wherever_it_moved() -> None:
    app = TableApp(10)
    async with app.run_test(size=(40, 14)) as pilot:
        table = app.query_one(TrayTable)
        table.move_to("k5")
        await pilot.pause()
        table.show([f"k{i}" for i in reversed(range(10))], keep="k5")
        assert (table.cursor_row, table.cursor_key) == (4, "k5")
        table.show(["k1", "k2"], keep="k5")  # gone: the first row
        assert (table.cursor_row, table.cursor_key) == (0, "k1")


async def test_a_click_highlights_and_a_second_click_selects() -> None:
    app = TableApp(5)
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(TrayTable)
        await pilot.click(TrayTable, offset=(3, 3))  # the header, then rows k0, k1, k2
        assert table.cursor_key == "k2" and app.selected == []
        await pilot.click(TrayTable, offset=(3, 3))
        await pilot.pause()
        assert app.selected == ["k2"]
        await pilot.click(TrayTable, offset=(3, 0))  # the header selects nothing
        await pilot.click(TrayTable, offset=(3, 8))  # nor does a line below the rows
        assert table.cursor_key == "k2" and app.selected == ["k2"]


async def test_lines_are_padded_cells_under_a_header_and_the_cursor_is_styled() -> None:
    app = TableApp(3)
    async with app.run_test(size=(40, 10)):
        table = app.query_one(TrayTable)
        assert line_text(table, 0) == " Status      Family".ljust(40)
        assert line_text(table, 1) == " ‼ Critical  F0".ljust(40)
        assert line_text(table, 5).strip() == ""  # below the rows: blank
        cursor = table.get_component_rich_style("tray-table--cursor")
        first = list(table.render_line(1))
        badge = next(s for s in first if "Critical" in s.text)
        family = next(s for s in first if "F0" in s.text)
        assert family.style is not None and family.style.bgcolor == cursor.bgcolor
        # The critical badge keeps its red on the cursor's row, in the cursor's text colour.
        assert badge.style is not None and badge.style.bgcolor is not None
        assert badge.style.bgcolor.name == "red" and badge.style.color == cursor.color
        second = list(table.render_line(2))
        assert all(s.style is None or s.style.bgcolor != cursor.bgcolor for s in second)


async def test_showing_a_filter_of_the_same_rows_draws_nothing_again() -> None:
    app = TableApp(6)
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(TrayTable)
        drawn: list[tuple[Any, ...]] = []
        real = table._draw

        def counting(cells: Any) -> Any:
            drawn.append(tuple(cells))
            return real(cells)

        table._draw = counting  # type: ignore[method-assign]
        table.show(["k4", "k1"])
        await pilot.pause()
        assert table.keys == ["k4", "k1"] and table.row_count == 2
        assert (table.cursor_row, app.highlighted[-1]) == (0, "k4")
        assert line_text(table, 1).startswith(" ok          F4")
        assert drawn == []  # both rows were drawn when all six were on show
        table.show(["k1", "missing"])  # a key that is not a row is left out
        assert table.keys == ["k1"]
        table.set_rows(rows(6))  # new rows: what was drawn is forgotten
        table.show(["k1"])
        await pilot.pause()
        assert drawn == [("ok", "F1")]
        table.show([])
        assert table.cursor_key is None and table.row_count == 0


async def test_enter_and_a_second_click_open_the_highlighted_case(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen: Any = app.screen
        third = screen.shown[2].episode
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.view.episode.ref == third  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        second = screen.shown[1].episode
        await pilot.click("#table", offset=(5, 2))  # the header, then the first two rows
        await pilot.click("#table", offset=(5, 2))
        await wait_for(pilot, lambda: case_loaded(app))
        assert app.screen.view.episode.ref == second  # type: ignore[attr-defined]


async def test_the_rows_follow_the_filter_box_within_the_keystroke(demo_db: Path) -> None:
    """The filter runs as the box's value changes, not from a message handled after the
    keystroke's frame: the same frame shows the letter typed, the rows and the counts."""
    from textual.widgets import Input

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen: Any = app.screen
        table = screen.query_one(TrayTable)
        screen.query_one("#filter", Input).value = "ryan"  # no await: nothing else ran
        assert [r.family_name for r in screen.shown] == ["Ryan"]
        assert table.keys == [screen.shown[0].episode]
        assert "(filtered from 14)" in str(screen.query_one("#title").render())


async def test_a_reload_keeps_the_highlight_on_its_episode(demo_db: Path) -> None:
    """The timed reload (or r, or a save elsewhere) must not throw the highlight back to
    the top: it stays on the episode it was on. A new filter starts at its best match."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen: Any = app.screen
        table = screen.query_one(TrayTable)
        await pilot.press("down", "down", "down")
        fourth = screen.shown[3].episode
        assert table.cursor_key == fourth
        await pilot.press("r")
        await wait_for(pilot, lambda: tray_loaded(app))
        assert table.cursor_key == fourth and table.cursor_row == 3
        await pilot.press("slash", "a")
        assert table.cursor_row == 0 and table.cursor_key == screen.shown[0].episode


async def test_clearing_the_filter_keeps_the_row_it_found(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        screen: Any = app.screen
        table = screen.query_one(TrayTable)
        await pilot.press("slash", *"sultani")
        found = table.cursor_key
        assert [r.family_name for r in screen.shown] == ["Sultani"]
        await pilot.press("escape")
        assert table.row_count == 14 and table.cursor_key == found and table.cursor_row > 0
