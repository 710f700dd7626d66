"""The work tray: my open episodes worst first, my hub's trays, my team's trays.

Rows come from :func:`ehtui.store.tray` in a thread worker; filtering runs in
memory over the loaded rows (no database per keystroke).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static, Tab, Tabs

from ehtui.rules.status import Level
from ehtui.safe_text import safe_text
from ehtui.store import TrayRow
from widgets.badge import badge

# Fixed widths: the table reads the same whichever tray or filter filled it.
COLUMNS = (
    ("Status", 12),
    ("Family", 14),
    ("Children (ages)", 26),
    ("Due", 16),
    ("Next thing due", 56),
    ("Episode", 30),
    ("Lead", 18),
    ("Days", 5),
)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def short_due(due: date | datetime | None) -> str:
    if due is None:
        return ""
    if isinstance(due, datetime):
        return f"{due:%a %d %b %H:%M}"
    return f"{due:%a %d %b %Y}"


class TrayScreen(Screen[None]):
    CSS_PATH = "tray.tcss"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="tray.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="tray.clear", show=False),
        Binding("enter", "open", "Open case", id="tray.open"),
        Binding("m", "tab('mine')", "Mine", id="tray.mine"),
        Binding("h", "tab('hub')", "Hub tray", id="tray.hub"),
        Binding("u", "tab('up')", "Universal Plus", id="tray.up"),
        Binding("right_square_bracket", "next_tab", "Next tray", id="tray.next", show=False),
        Binding(
            "left_square_bracket", "previous_tab", "Previous tray", id="tray.previous", show=False
        ),
        Binding("r", "refresh", "Refresh", id="tray.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TrayRow] = []
        self.shown: list[TrayRow] = []
        self.tray_name = "Work tray"
        self.tab: str | None = None  # the tray shown (or being loaded)
        self.fetching = False

    def compose(self) -> ComposeResult:
        app: Any = self.app
        session = app.session
        yield Header()
        tabs = [
            Tab("My work tray", id="mine"),
            Tab(f"{session.me.hub} hub tray", id="hub"),
            Tab("Universal Plus tray", id="up"),
        ]
        tabs += [Tab(p.name, id=f"p-{p.ref}") for p in session.team]
        yield Tabs(*tabs, id="trays")
        with Horizontal(id="bar"):
            yield Static("Work tray · loading…", id="title", classes="title")
            yield Input(placeholder="/ filter: name, ref, postcode", id="filter")
        table: DataTable[Any] = DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.focus()

    # ------------------------------------------------------------------- loading
    @on(Tabs.TabActivated)
    def _tab_changed(self, event: Tabs.TabActivated) -> None:
        if event.tab is not None and event.tab.id is not None and event.tab.id != self.tab:
            self.start_load(event.tab.id)

    def start_load(self, tab: str) -> None:
        self.tab = tab
        self.fetching = True
        self.load(tab)

    def select_tab(self, tab: str) -> None:
        self.query_one(Tabs).active = tab

    @work(thread=True, exclusive=True, exit_on_error=False, group="tray")
    def load(self, tab: str) -> None:
        from ehtui.store import tray

        app: Any = self.app
        session = app.session
        me = session.me
        as_of = app.ctx.now()
        table = session.settings.table
        if tab == "mine":
            name, rows = "Work tray", tray(session.engine, as_of, lead=me.ref, table=table)
        elif tab == "hub":
            name = f"{me.hub} hub tray (unallocated)"
            rows = tray(session.engine, as_of, hub=me.hub, unallocated=True, table=table)
        elif tab == "up":
            name = f"{me.hub} Universal Plus tray"
            rows = tray(
                session.engine, as_of, hub=me.hub, types=frozenset({"universal_plus"}), table=table
            )
        else:
            ref = tab.removeprefix("p-")
            person = next((p for p in session.team if p.ref == ref), None)
            name = f"{person.name if person else ref}'s tray"
            rows = tray(session.engine, as_of, lead=ref, table=table)
        self.app.call_from_thread(self._loaded, name, rows)

    def _loaded(self, name: str, rows: list[TrayRow]) -> None:
        self.fetching = False
        self.tray_name = name
        self.rows = rows
        self.apply_filter(self.query_one("#filter", Input).value)

    # ----------------------------------------------------------------- filtering
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def apply_filter(self, text: str) -> None:
        words = text.lower().split()
        self.shown = [r for r in self.rows if all(w in r.search_text for w in words)]
        table = self.query_one(DataTable)
        table.clear()
        for r in self.shown:
            table.add_row(
                badge(r.level, short=True),
                Text(clip(safe_text(r.family_name), 14)),
                Text(clip(safe_text(r.children), 26)),
                short_due(r.next_due),
                Text(clip(safe_text(r.next_message), 56)),
                Text(f"{r.type_label} {r.episode}"),
                Text(safe_text(r.lead_name)),
                "" if r.days_open is None else str(r.days_open),
                key=r.episode,
            )
        self._title()

    def _title(self) -> None:
        overdue = sum(r.level in (Level.OVERDUE, Level.CRITICALLY_OVERDUE) for r in self.shown)
        soon = sum(r.level is Level.DUE_SOON for r in self.shown)
        n = len(self.shown)
        cases = f"{n} case{'s' if n != 1 else ''}"
        text = f"{self.tray_name} · {cases} · {overdue} overdue · {soon} due soon"
        if len(self.shown) != len(self.rows):
            text += f" (filtered from {len(self.rows)})"
        self.query_one("#title", Static).update(Text(text))

    # ------------------------------------------------------------------- actions
    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.shown and table.cursor_row < len(self.shown):
            app: Any = self.app
            app.open_case(self.shown[table.cursor_row].episode)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            app: Any = self.app
            app.open_case(event.row_key.value)

    def action_tab(self, tab: str) -> None:
        self.select_tab(tab)

    def action_next_tab(self) -> None:
        self.query_one(Tabs).action_next_tab()

    def action_previous_tab(self) -> None:
        self.query_one(Tabs).action_previous_tab()

    def action_refresh(self) -> None:
        active = self.query_one(Tabs).active
        if active:
            self.start_load(active)

    def on_screen_resume(self) -> None:
        """Coming back from a case: counts update with whatever was recorded there."""
        if self.rows:
            self.action_refresh()
