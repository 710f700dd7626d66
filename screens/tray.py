"""The work tray: my open episodes worst first, my hub's trays, my team's trays.

Rows come from :func:`ehtui.store.tray_for` in a thread worker (the first tray
comes already loaded from the app's start-up worker); filtering runs in memory
over the loaded rows, never the database.

From 110 columns the week is beside the table (:class:`widgets.week_panel.WeekPanel`):
today's and this week's appointments and fixed meetings, from
:func:`ehtui.diary.week_ahead` in its own worker, started once a tray has been shown
(so it never holds up the first paint); ``w`` moves into it, Enter opens the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Input, Static, Tab, Tabs

from ehtui.levels import Level
from ehtui.safe_text import safe_text
from ehtui.tray_rows import TrayLoad, TrayRow, tray_tabs
from screens.styled_once import StyledOnceScreen
from widgets.badge import badge
from widgets.cells import clip
from widgets.footer import Footer
from widgets.tray_table import PAD, TrayTable
from widgets.week_panel import WeekPanel


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
PADDING = 2 * PAD  # a cell's padding, both sides
REFRESH_SECONDS = 300
WEEK_FROM = 110  # the week panel is shown from this many columns (tray.tcss: -narrow hides it)
WEEK_WIDTH = 34  # its width (tray.tcss #week)
REST = 0.12  # seconds the highlight rests on a row before its case is read ahead


def week_shown(width: int) -> bool:
    return width >= WEEK_FROM


def table_space(width: int) -> int:
    """The cells the table's columns share: the screen less the vertical scrollbar and,
    from ``WEEK_FROM`` columns, the week panel."""
    return width - 2 - (WEEK_WIDTH if week_shown(width) else 0)


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


class WeekProvider(Provider):
    """The palette's "This week" on the work tray: into the week panel."""

    TITLE = "This week"
    HELP = "Today's and this week's appointments beside the work tray (w)"

    def _action(self) -> Any:
        screen = self.screen
        return screen.action_week if isinstance(screen, TrayScreen) and screen.week_wide else None

    async def discover(self) -> Hits:
        action = self._action()
        if action is not None:
            yield DiscoveryHit(self.TITLE, action, help=self.HELP)

    async def search(self, query: str) -> Hits:
        action = self._action()
        score = self.matcher(query).match(self.TITLE)
        if action is not None and score > 0:
            yield Hit(score, self.matcher(query).highlight(self.TITLE), action, help=self.HELP)


class TrayScreen(StyledOnceScreen):
    CSS_PATH = "tray.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WEEK_FROM, "-wide")]
    COMMANDS = {WeekProvider}
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
        Binding("w", "week", "This week", id="tray.week"),
    ]
    HELP = """\
One row per open episode on this tray, worst first: critically overdue, overdue,
due soon, on track. "Next thing due" is the most pressing clock the protocol
engine found, with its due date. Type / and a name, a ref or a postcode to
filter; Enter opens the case (or click a row, then click it again). The tabs
are your own tray, your hub's group tray (episodes not yet allocated), your
hub's Universal Plus tray and, for a manager, each practitioner you manage.
From 110 columns wide, the week is on the right: today's appointments and this
week's (time, family, kind; ✓ kept, ✗ did not attend) with the Hub Panel, the
Transfer meeting and its Tuesday-noon cut-off; w moves into it, Enter opens the
appointment's case, Esc goes back to the table. F7 opens the whole diary."""

    class Loaded(Message):
        """A tray's rows arrived from the worker."""

        def __init__(self, load: TrayLoad) -> None:
            super().__init__()
            self.load = load

    class WeekLoaded(Message):
        """Today's and this week's diary arrived from the worker."""

        def __init__(self, week: Any) -> None:
            super().__init__()
            self.week = week

    def __init__(self, load: TrayLoad | None = None) -> None:
        super().__init__()
        self.rows: list[TrayRow] = []
        self.shown: list[TrayRow] = []
        self.tray_name = "Work tray"
        self.tab: str | None = None  # the tray shown (or being loaded)
        self.fetching = False
        self.widths: tuple[int, ...] = ()
        self._preloaded = load
        self._resting: Timer | None = None
        self._away = False  # something was recorded while another screen was on top
        self._week_due = False  # the week panel wants (re)loading once it is on show

    def compose(self) -> ComposeResult:
        app: Any = self.app
        me, team = app.who
        yield Header()
        yield Tabs(*(Tab(label, id=tab) for tab, label in tray_tabs(me, team)), id="trays")
        with Horizontal(id="bar"):
            yield Static("Work tray · loading…", id="title", classes="title")
            yield Input(placeholder="/ name, ref or postcode", id="filter", compact=True)
        with Horizontal(id="tray-body"):
            yield TrayTable(id="table")
            yield WeekPanel(id="week")
        yield Footer()

    def on_mount(self) -> None:
        # The clocks move with time (due soon becomes overdue at midnight): reload now and then.
        self.set_interval(REFRESH_SECONDS, self._reload_now_and_then)
        self._set_columns(self.app.size.width)
        self.query_one(TrayTable).focus()
        # The filter follows the box as it changes, in the keystroke's own handling, not
        # from the Changed message after it: the keystroke's frame then shows the letter,
        # the rows and the counts together, not the letter alone and the rows a frame
        # (some 20-30 ms) later.
        self.watch(self.query_one("#filter", Input), "value", self._filter_typed, init=False)
        if self._preloaded is not None:
            self.tab = self._preloaded.tab
            self._show(self._preloaded)
            self._preloaded = None
            app: Any = self.app
            if app.session is None:  # the kept tray: the store opens once it is painted
                self.call_after_refresh(app.tray_painted)

    def on_resize(self, event: events.Resize) -> None:
        self._set_columns(event.size.width)
        self.refresh_bindings()  # "w" is in the footer only while the week is on show
        if self._week_due:
            self.load_week_soon()

    @property
    def week_wide(self) -> bool:
        """The terminal is wide enough for the week panel."""
        return week_shown(self.app.size.width)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "week":
            return self.week_wide
        return True

    def _set_columns(self, width: int) -> None:
        widths = column_widths(table_space(width))
        if widths == self.widths:
            return
        self.widths = widths
        keep = self.current_episode
        self.query_one(TrayTable).set_columns([c.label for c in COLUMNS], widths)
        self._set_rows()
        self._fill(keep=keep)

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
        # A reload (the timed one, r, after a save, the store confirming the kept tray)
        # keeps the highlight on the episode it was on, wherever that row now is (so does
        # another tray holding the same episode, as a manager's team tray may).
        keep = self.current_episode
        self.rows = list(load.rows)
        self._set_rows()
        self.apply_filter(self.query_one("#filter", Input).value, keep=keep)
        self._week_due = True
        self.call_after_refresh(self.load_week_soon)  # after the tray is painted

    # ------------------------------------------------------------------ the week
    def load_week_soon(self) -> None:
        """Load the week panel if it is on show and the store is open (else later)."""
        app: Any = self.app
        session = app.session
        if not self._week_due or not self.week_wide or session is None or session.me is None:
            return
        self._week_due = False
        self.load_week()

    @work(thread=True, exclusive=True, exit_on_error=False, group="week")
    def load_week(self) -> None:
        from ehtui.diary import week_ahead

        app: Any = self.app
        session = app.session
        self.post_message(
            self.WeekLoaded(week_ahead(session.engine, session.me.ref, app.ctx.now()))
        )

    @on(WeekLoaded)
    def _week_loaded(self, message: WeekLoaded) -> None:
        self.query_one(WeekPanel).show_week(message.week)

    @on(WeekPanel.Chosen)
    def _week_chosen(self, message: WeekPanel.Chosen) -> None:
        app: Any = self.app
        app.open_case(message.episode)

    def action_week(self) -> None:
        if self.week_wide:
            self.query_one(WeekPanel).focus()

    # ----------------------------------------------------------------- filtering
    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(TrayTable).focus()

    def _filter_typed(self, text: str) -> None:
        self.apply_filter(text)

    def apply_filter(self, text: str, keep: str | None = None) -> None:
        """Keep the rows whose family, children, refs, postcode or lead hold every word;
        the highlight goes to the first (a new filter's best match) unless ``keep``."""
        words = text.lower().split()
        self.shown = [r for r in self.rows if all(w in r.search_text for w in words)]
        self._fill(keep)

    def _set_rows(self) -> None:
        """Every row of the tray, as cells at the columns' widths (drawn when shown)."""
        if not self.widths:
            return
        w = dict(zip((c.label for c in COLUMNS), self.widths, strict=True))
        self.query_one(TrayTable).set_rows(
            [
                (
                    r.episode,
                    (
                        badge(r.level, short=w["Status"] < 18),
                        Text(clip(safe_text(r.family_name), w["Family"])),
                        Text(clip(safe_text(r.children), w["Children (ages)"])),
                        short_due(r.next_due, w["Due"]),
                        Text(clip(safe_text(r.next_message), w["Next thing due"])),
                        Text(clip(f"{r.type_label} {r.episode}", w["Episode"])),
                        Text(clip(safe_text(r.lead_name), w["Lead"])),
                        "" if r.days_open is None else str(r.days_open),
                    ),
                )
                for r in self.rows
            ]
        )

    def _fill(self, keep: str | None = None) -> None:
        if not self.widths:
            return
        self.query_one(TrayTable).show([r.episode for r in self.shown], keep=keep)
        if self.tab is not None and not self.fetching:
            # One line of fixed size (tray.tcss): a new title needs no layout pass, so the
            # keystroke's frame is only repainted, not laid out again.
            self.query_one("#title", Static).update(
                Text(tray_title(self.tray_name, self.shown, len(self.rows))), layout=False
            )

    # ------------------------------------------------------------------- actions
    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """All the rows again, the highlight staying on the row the filter found."""
        found = self.current_episode
        self.query_one("#filter", Input).value = ""
        table = self.query_one(TrayTable)
        table.move_to(found)
        table.focus()

    def action_open(self) -> None:
        episode = self.current_episode
        if episode is not None:
            app: Any = self.app
            app.open_case(episode)

    @property
    def current_episode(self) -> str | None:
        """The highlighted row's episode: the palette's recording entries act on it."""
        return self.query_one(TrayTable).cursor_key

    def reload_after_save(self, episode: str | None) -> None:
        """Something was recorded: reload now if on show, else on coming back."""
        if self.is_current:
            self.action_refresh()
        else:
            self._away = True

    @on(TrayTable.RowHighlighted, "#table")
    def _row_highlighted(self, event: TrayTable.RowHighlighted) -> None:
        """Read the case ahead once the highlight rests on a row (not while it moves)."""
        if self._resting is not None:
            self._resting.stop()
        episode = event.key
        app: Any = self.app
        if app.session is not None:
            self._resting = self.set_timer(REST, lambda: app.read_case_ahead(episode))

    @on(TrayTable.RowSelected, "#table")
    def _row_selected(self, event: TrayTable.RowSelected) -> None:
        app: Any = self.app
        app.open_case(event.key)

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

    def on_screen_resume(self) -> None:
        """Coming back from a case where something was recorded (the app's ``changed``
        marked the tray): counts update with it. Coming back having only looked costs
        nothing; what others record on a team store arrives with the timed reload."""
        if self._away:
            self._away = False
            self.action_refresh()
