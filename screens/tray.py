"""The work tray: my open episodes worst first, my hub's trays, my team's trays.

Rows come from :func:`ehtui.store.tray_for` in a thread worker (the first tray
comes already loaded from the app's start-up worker); filtering runs in memory
over the loaded rows, never the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static, Tab, Tabs

from ehtui.levels import Level
from ehtui.safe_text import safe_text
from ehtui.tray_rows import TrayLoad, TrayRow, tray_tabs
from widgets.badge import badge


@dataclass(frozen=True)
class Column:
    label: str
    narrow: int  # width up to 120 columns (all fit at 120; an 80-column terminal scrolls)
    wide: int  # width from about 190 columns
    flex: bool = False  # takes what is left over


COLUMNS = (
    Column("Status", 10, 18),
    Column("Family", 12, 16),
    Column("Children (ages)", 14, 28),
    Column("Due", 12, 16),
    Column("Next thing due", 28, 44, flex=True),
    Column("Episode", 12, 26),
    Column("Lead", 10, 18),
    Column("Days open", 4, 9),
)
PADDING = 2  # a DataTable cell's padding, both sides
REFRESH_SECONDS = 300


def column_widths(space: int) -> tuple[int, ...]:
    """Widths for a table ``space`` cells wide: narrow up to 120 columns, wide from
    about 190, in between in proportion; "next thing due" takes whatever is left."""
    narrow = sum(c.narrow + PADDING for c in COLUMNS)
    wide = sum(c.wide + PADDING for c in COLUMNS)
    share = min(max((space - narrow) / max(wide - narrow, 1), 0.0), 1.0)
    widths = [round(c.narrow + share * (c.wide - c.narrow)) for c in COLUMNS]
    spare = space - sum(w + PADDING for w in widths)
    if spare > 0:
        flex = next(i for i, c in enumerate(COLUMNS) if c.flex)
        widths[flex] += spare
    return tuple(widths)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def short_due(due: date | datetime | None, width: int) -> str:
    if due is None:
        return ""
    if isinstance(due, datetime):
        return f"{due:%a %d %b %H:%M}" if width >= 16 else f"{due:%d %b %H:%M}"
    return f"{due:%a %d %b %Y}" if width >= 15 else f"{due:%d %b %Y}"


def tray_title(name: str, shown: list[TrayRow], total: int) -> str:
    """ "Work tray · N cases · X overdue · Y due soon" (with the filter's count)."""
    overdue = sum(r.level in (Level.OVERDUE, Level.CRITICALLY_OVERDUE) for r in shown)
    soon = sum(r.level is Level.DUE_SOON for r in shown)
    n = len(shown)
    text = f"{name} · {n} case{'s' if n != 1 else ''} · {overdue} overdue · {soon} due soon"
    if n != total:
        text += f" (filtered from {total})"
    return text


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
    HELP = """\
One row per open episode on this tray, worst first: critically overdue, overdue,
due soon, on track. "Next thing due" is the most pressing clock the protocol
engine found, with its due date. Type / and a name, a ref or a postcode to
filter; Enter opens the case. The tabs are your own tray, your hub's group tray
(episodes not yet allocated), your hub's Universal Plus tray and, for a
manager, each practitioner you manage."""

    class Loaded(Message):
        """A tray's rows arrived from the worker."""

        def __init__(self, load: TrayLoad) -> None:
            super().__init__()
            self.load = load

    def __init__(self, load: TrayLoad | None = None) -> None:
        super().__init__()
        self.rows: list[TrayRow] = []
        self.shown: list[TrayRow] = []
        self.tray_name = "Work tray"
        self.tab: str | None = None  # the tray shown (or being loaded)
        self.fetching = False
        self.widths: tuple[int, ...] = ()
        self._preloaded = load
        self._away = False  # another screen was on top (a case, the report)

    def compose(self) -> ComposeResult:
        app: Any = self.app
        me, team = app.who
        yield Header()
        yield Tabs(*(Tab(label, id=tab) for tab, label in tray_tabs(me, team)), id="trays")
        with Horizontal(id="bar"):
            yield Static("Work tray · loading…", id="title", classes="title")
            yield Input(placeholder="/ name, ref or postcode", id="filter", compact=True)
        yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # The clocks move with time (due soon becomes overdue at midnight): reload now and then.
        self.set_interval(REFRESH_SECONDS, self._reload_now_and_then)
        self._set_columns(self.app.size.width)
        self.query_one(DataTable).focus()
        if self._preloaded is not None:
            self.tab = self._preloaded.tab
            self._show(self._preloaded)
            self._preloaded = None
            app: Any = self.app
            if app.session is None:  # the kept tray: the store opens once it is painted
                self.call_after_refresh(app.tray_painted)

    def on_resize(self, event: events.Resize) -> None:
        self._set_columns(event.size.width)

    def _set_columns(self, width: int) -> None:
        widths = column_widths(width - 2)  # less the vertical scrollbar
        if widths == self.widths:
            return
        self.widths = widths
        table: DataTable[Any] = self.query_one(DataTable)
        table.clear(columns=True)
        for column, w in zip(COLUMNS, widths, strict=True):
            table.add_column(column.label, width=w)
        self._fill()

    # ------------------------------------------------------------------- loading
    @on(Tabs.TabActivated)
    def _tab_changed(self, event: Tabs.TabActivated) -> None:
        if event.tab is not None and event.tab.id is not None and event.tab.id != self.tab:
            self.start_load(event.tab.id)

    def start_load(self, tab: str) -> None:
        self.tab = tab
        self.fetching = True
        self.query_one("#title", Static).update(Text(f"{self.tray_name} · loading…"))
        app: Any = self.app
        if app.session is not None:  # else: the kept tray is on show; confirm() loads it
            self.load(tab)

    def confirm(self, load: TrayLoad) -> None:
        """The store is open: the engine's fresh tray replaces the kept one (and a tab
        chosen meanwhile loads now)."""
        if self.tab in (None, load.tab):
            self.tab = load.tab
            self._show(load)
        elif self.tab is not None:
            self.load(self.tab)

    def select_tab(self, tab: str) -> None:
        self.query_one(Tabs).active = tab

    @work(thread=True, exclusive=True, exit_on_error=False, group="tray")
    def load(self, tab: str) -> None:
        from ehtui.store import tray_for
        from ehtui.tray_cache import my_tray, settings_fingerprint

        app: Any = self.app
        session = app.session
        now = app.ctx.now()
        if tab == "mine":  # kept for the next start
            fingerprint = settings_fingerprint(app.ctx.settings_file)
            load = my_tray(
                session.engine, now, session.me, session.team, session.settings.table, fingerprint
            )
        else:
            load = tray_for(
                session.engine, now, session.me, tab, session.team, session.settings.table
            )
        self.post_message(self.Loaded(load))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.load.tab == self.tab:
            self._show(message.load)
        if message.load.tab == "mine":
            keep_ahead_soon = getattr(self.app, "keep_ahead_soon", None)
            if keep_ahead_soon is not None:
                keep_ahead_soon()

    def _show(self, load: TrayLoad) -> None:
        self.fetching = False
        self.tray_name = load.name
        self.rows = list(load.rows)
        self.apply_filter(self.query_one("#filter", Input).value)

    # ----------------------------------------------------------------- filtering
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def apply_filter(self, text: str) -> None:
        """Keep the rows whose family, children, refs, postcode or lead hold every word."""
        words = text.lower().split()
        self.shown = [r for r in self.rows if all(w in r.search_text for w in words)]
        self._fill()

    def _fill(self) -> None:
        if not self.widths:
            return
        table: DataTable[Any] = self.query_one(DataTable)
        table.clear()
        w = dict(zip((c.label for c in COLUMNS), self.widths, strict=True))
        for r in self.shown:
            table.add_row(
                badge(r.level, short=w["Status"] < 18),
                Text(clip(safe_text(r.family_name), w["Family"])),
                Text(clip(safe_text(r.children), w["Children (ages)"])),
                short_due(r.next_due, w["Due"]),
                Text(clip(safe_text(r.next_message), w["Next thing due"])),
                Text(clip(f"{r.type_label} {r.episode}", w["Episode"])),
                Text(clip(safe_text(r.lead_name), w["Lead"])),
                "" if r.days_open is None else str(r.days_open),
                key=r.episode,
            )
        if self.tab is not None and not self.fetching:
            self.query_one("#title", Static).update(
                Text(tray_title(self.tray_name, self.shown, len(self.rows)))
            )

    # ------------------------------------------------------------------- actions
    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        if self.shown and table.cursor_row < len(self.shown):
            app: Any = self.app
            app.open_case(self.shown[table.cursor_row].episode)

    @property
    def current_episode(self) -> str | None:
        """The highlighted row's episode: the palette's recording entries act on it."""
        table: DataTable[Any] = self.query_one(DataTable)
        if self.shown and table.cursor_row < len(self.shown):
            return self.shown[table.cursor_row].episode
        return None

    def reload_after_save(self, episode: str | None) -> None:
        """Something was recorded: reload now if on show, else on coming back."""
        if self.is_current:
            self.action_refresh()
        else:
            self._away = True

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

    def _reload_now_and_then(self) -> None:
        if self.is_current and not self.fetching:
            self.action_refresh()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Coming back from a case: counts update with whatever was recorded there."""
        if self._away:
            self._away = False
            self.action_refresh()
