"""Data tracker (F5, §22.2): drifting work and on-time rates, per hub and per practitioner.

For the chosen month (default last month) :func:`ehtui.tracker.tracker` computes,
in a thread worker, each line and the months before it (the trend, drawn as a
sparkline). Two views: my hub and its practitioners (a hub-month: under a second
on the borough store), or every hub (Enter on a hub shows its practitioners).
The screen shows what the engine computed; ``e`` writes the tracker as CSV
(:func:`ehtui.tracker.tracker_csv`) to a new file in the current folder.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ehtui.rules.summary import MILESTONES
from ehtui.safe_text import safe_text
from ehtui.tracker import (
    Tracker,
    TrackerLine,
    default_month,
    month_label,
    parse_month,
    tracker_csv,
)
from widgets.footer import Footer
from widgets.sparkline_cells import spark

TREND = 6  # months drawn in each sparkline, ending with the month reported
# The table's drift columns: measure, two-line header.
DRIFT_COLUMNS = (
    ("eha_not_started", "EHA not\nstarted"),
    ("reviews_overdue", "TAF reviews\noverdue"),
    ("eha_near_year", "EHA near\na year"),
    ("eha_over_year", "EHA over\na year"),
    ("up_past_weeks", "UP past\nits weeks"),
    ("stepdown_past_6m", "Step-down\npast 6 m"),
)
HUBS, PEOPLE = "hubs", "people"


def later() -> Text:
    """A trend still being computed."""
    return Text("…", style="dim")


def open_data_tracker(app: Any) -> None:
    """The palette's "Data tracker" (F5)."""
    if not isinstance(app.screen, TrackerScreen):
        app.push_screen(TrackerScreen())


def month_words(month: str) -> str:
    """ "2026-10" → "October 2026"."""
    return f"{parse_month(month):%B %Y}"


def shift_month(month: str, by: int) -> str:
    first = parse_month(month)
    n = first.year * 12 + first.month - 1 + by
    return month_label(date(n // 12, n % 12 + 1, 1))


def export_path(folder: Path, hub: str | None, month: str) -> Path:
    """A new file in ``folder`` for the tracker's CSV, never one already there:
    ``tracker-west-2026-10.csv``, else ``tracker-west-2026-10-2.csv``, ..."""
    slug = re.sub(r"[^a-z0-9]+", "-", (hub or "all hubs").lower()).strip("-") or "hub"
    stem = f"tracker-{slug}-{month}"
    path = folder / f"{stem}.csv"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.csv"
        n += 1
    return path


def _count(n: int, style: str = "bold red") -> Text:
    return Text(str(n), style=style if n else "dim")


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


class TrackerScreen(Screen[None]):
    CSS_PATH = "tracker.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="tracker.back"),
        Binding("left_square_bracket", "month(-1)", "Previous month", id="tracker.previous"),
        Binding("right_square_bracket", "month(1)", "Next month", id="tracker.next"),
        Binding("h", "switch", "Hubs/practitioners", id="tracker.toggle"),
        Binding("enter", "drill", "Hub's practitioners", id="tracker.drill"),
        Binding("e", "export", "Export CSV", id="tracker.export"),
    ]
    HELP = """\
The data tracker (§22.2) for a month (default last month), as the protocol
engine saw it at that month's end. Each row is a hub (the whole hub, unallocated
work included) or a Lead Professional (the episodes they now hold: the store
keeps no history of reallocations). Open: episodes open at the month end.
Drifting: open episodes drifting in any way, each counted once, with its trend
over the last 6 months (▁ none … █ the most in those months). Then each kind of
drift: EHA not started (engagement not confirmed within 7 working days of
allocation); TAF reviews overdue; EHA open approaching a year (11-12 months) and
over a year; Universal Plus past its weeks (6, or the approved extension, or
12); step-down past 6 months. Below, for the highlighted row: each drift count
month by month, and the on-time rate of each timescale: of the milestones met
during the month, how many on time (on time/met), with those still unmet past
due at the month end beside it, and the rate's trend (· nothing met that
month). [ and ] move a month; h switches between my hub's practitioners and
every hub (Enter on a hub shows its practitioners); e writes the tracker (every
month of the trend, every row) as CSV to a new file in the current folder.
The month's figures come first; its trend (… meanwhile) follows a moment later,
and the month before is computed while you read, so [ is quick."""

    class Loaded(Message):
        """A tracker computed: ``complete`` with its trend, else the month alone."""

        def __init__(
            self, key: tuple[str, str | None], result: Tracker, generation: int, complete: bool
        ) -> None:
            super().__init__()
            self.key = key
            self.result = result
            self.generation = generation
            self.complete = complete

    def __init__(self, month: str | None = None, view: str = PEOPLE) -> None:
        super().__init__()
        self.month = month or ""
        self.view = view
        self.hub = ""  # the hub whose practitioners are shown
        self.lines: list[TrackerLine] = []
        self.cache: dict[tuple[str, str | None], Tracker] = {}  # with the trend
        self.quick: dict[tuple[str, str | None], Tracker] = {}  # the month alone, till then
        self.pending: set[tuple[str, str | None]] = set()  # being computed
        self.generation = 0  # one more at each save: older results are dropped
        self.fetching = True  # the month's rows not on show yet
        self.trending = True  # the trend (sparklines) not on show yet
        self.drilled = False  # Enter on a hub showed its practitioners: escape goes back

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Data tracker · loading…", id="tracker-title", classes="title")
        yield DataTable(id="tracker-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="tracker-detail"):
            yield Static("", id="tracker-drift", markup=False)
            yield Static("", id="tracker-rates", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        app: Any = self.app
        self.month = self.month or default_month(app.ctx.now())
        self.hub = app.session.me.hub
        table = self.query_one(DataTable)
        table.header_height = 2
        table.add_column("Name", width=22)
        table.add_column("Open", width=4)
        table.add_column("Drifting\n(any)", width=8)
        table.add_column(f"Trend\n{TREND} months", width=8)
        for _key, header in DRIFT_COLUMNS:
            table.add_column(header, width=max(len(w) for w in header.split("\n")))
        table.focus()
        self.show()

    # ------------------------------------------------------------------ loading
    @property
    def key(self) -> tuple[str, str | None]:
        return (self.month, None if self.view == HUBS else self.hub)

    @property
    def shown(self) -> Tracker | None:
        """The tracker on show: with its trend, or the month alone while that computes."""
        return self.cache.get(self.key) or self.quick.get(self.key)

    def _scope_words(self) -> str:
        return "every hub" if self.view == HUBS else f"{self.hub} hub and its practitioners"

    def _month_words(self) -> str:
        app: Any = self.app
        now = app.ctx.now()
        words = month_words(self.month)
        if self.month == month_label(now.date()):
            words += f" so far (to {now:%a} {now.day} {now:%b})"
        return words

    def show(self) -> None:
        """Show the chosen month and view: at once if computed, else in a worker."""
        self.refresh_bindings()
        result = self.shown
        if result is not None:
            self._fill(result)
            if self.key in self.cache:
                self._prefetch_previous()
        else:
            self.fetching = True
            self.query_one("#tracker-title", Static).update(
                Text(
                    f"Data tracker · {self._scope_words()} · {self._month_words()} · "
                    "loading (the engine reruns each month end)…"
                )
            )
        self.trending = self.key not in self.cache
        if self.trending and self.key not in self.pending:  # else a prefetch is on it
            self.pending.add(self.key)
            self.load(self.key, self.generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tracker")
    def load(self, key: tuple[str, str | None], generation: int) -> None:
        """The month alone first (its figures on show sooner), then with its trend."""
        self._compute(key, generation, 1)
        self._compute(key, generation, TREND)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tracker-prefetch")
    def prefetch(self, key: tuple[str, str | None], generation: int) -> None:
        self._compute(key, generation, TREND)

    def _compute(self, key: tuple[str, str | None], generation: int, months: int) -> None:
        from ehtui.tracker import tracker

        app: Any = self.app
        month, hub = key
        result = tracker(
            app.session.engine,
            app.ctx.now(),
            month=month,
            hub=hub,
            months=months,
            settings=app.session.settings,
        )
        self.post_message(self.Loaded(key, result, generation, months == TREND))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self.generation:
            return  # computed before something was saved
        key = message.key
        if message.complete:
            self.pending.discard(key)
            self.cache[key] = message.result
            self.quick.pop(key, None)
        elif key in self.cache:
            return
        else:
            self.quick[key] = message.result
        if key == self.key:
            self.trending = key not in self.cache
            self._fill(message.result)
            if message.complete:
                self._prefetch_previous()

    def _prefetch_previous(self) -> None:
        """Compute the month before while the person reads this one, so [ is instant."""
        key = (shift_month(self.month, -1), self.key[1])
        if key not in self.cache and key not in self.pending:
            self.pending.add(key)
            self.prefetch(key, self.generation)

    def reload_after_save(self, episode: str | None) -> None:
        """Something was recorded: figures up to now may move; compute them again."""
        self.generation += 1
        self.cache.clear()
        self.quick.clear()
        self.pending.clear()
        if self.is_current:
            self.show()

    # ------------------------------------------------------------------ showing
    def _rows_of(self, result: Tracker) -> list[TrackerLine]:
        lines = result.for_month(self.month)
        if self.view == HUBS:
            return [line for line in lines if line.practitioner is None]
        hub_line = [line for line in lines if line.practitioner is None and line.hub == self.hub]
        people = [line for line in lines if line.practitioner is not None and line.hub == self.hub]
        people.sort(key=lambda line: (-line.drifting, line.name, line.practitioner or ""))
        return hub_line + people

    def _fill(self, result: Tracker) -> None:
        self.fetching = False
        table = self.query_one(DataTable)
        at = table.cursor_row
        self.lines = self._rows_of(result)
        table.clear()
        trend = len(result.months) == TREND
        for line in self.lines:
            series = result.series("drifting", hub=line.hub, practitioner=line.practitioner)
            hub_row = line.practitioner is None
            table.add_row(
                Text(safe_text(line.name), style="bold" if hub_row else ""),
                str(line.open_episodes),
                _count(line.drifting),
                spark(series, style="red") if trend else later(),
                *(_count(line.drift.get(m, 0), "red") for m, _ in DRIFT_COLUMNS),
            )
        if self.lines:
            table.move_cursor(row=min(at, len(self.lines) - 1))
        people = sum(1 for line in self.lines if line.practitioner is not None)
        hubs = len(self.lines)
        counted = (
            f"{hubs} hub{'s' if hubs != 1 else ''}"
            if self.view == HUBS
            else f"{people} practitioner{'s' if people != 1 else ''}"
        )
        self.query_one("#tracker-title", Static).update(
            Text(f"Data tracker · {self._scope_words()} · {self._month_words()} · {counted}")
        )
        self._show_detail()

    @on(DataTable.RowHighlighted, "#tracker-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _current_line(self) -> TrackerLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _show_detail(self) -> None:
        result, line = self.shown, self._current_line()
        drift_panel = self.query_one("#tracker-drift", Static)
        rates_panel = self.query_one("#tracker-rates", Static)
        if result is None or line is None:
            drift_panel.update("")
            rates_panel.update("")
            return
        trend = len(result.months) == TREND
        first, last = (month_words(m) for m in (result.months[0], result.months[-1]))
        name = safe_text(line.name)
        drift_panel.border_title = f"Drifting work · {name}"
        drift_panel.border_subtitle = f"{first} – {last}" if trend else "the trend is coming…"
        rates_panel.border_title = f"On-time rates · {name} · {month_words(self.month)}"
        rates_panel.border_subtitle = "on time/met · unmet past due · trend"
        drift_panel.update(self._drift_table(result, line))
        rates_panel.update(self._rates_table(result, line))

    def _drift_table(self, result: Tracker, line: TrackerLine) -> Table:
        trend = len(result.months) == TREND
        t = Table(box=None, show_header=False, pad_edge=False, expand=True)
        t.add_column("Measure", ratio=1, overflow="ellipsis", no_wrap=True)
        t.add_column("Now", justify="right", no_wrap=True)
        t.add_column("Trend", no_wrap=True)
        t.add_column("By month", no_wrap=True, style="dim")
        measures = [
            ("open", "Open episodes"),
            ("drifting", "Drifting (any)"),
            *((m, header.replace("\n", " ")) for m, header in DRIFT_COLUMNS),
        ]
        for measure, words in measures:
            series = result.series(measure, hub=line.hub, practitioner=line.practitioner)
            values = [int(v or 0) for v in series]
            now = values[-1]
            style = "" if measure == "open" else "red"
            t.add_row(
                words,
                _count(now, "bold" if measure == "open" else "bold red"),
                spark(series, style=style) if trend else later(),
                " ".join(str(v) for v in values) if trend else "",
            )
        return t

    def _rates_table(self, result: Tracker, line: TrackerLine) -> Table:
        trend = len(result.months) == TREND
        app: Any = self.app
        rules = app.session.settings.table
        t = Table(box=None, show_header=False, pad_edge=False, expand=True)
        t.add_column("Timescale", ratio=1, overflow="ellipsis", no_wrap=True)
        t.add_column("Rate", justify="right", no_wrap=True)
        t.add_column("Met", justify="right", no_wrap=True)
        t.add_column("Unmet", justify="right", no_wrap=True)
        t.add_column("Trend", no_wrap=True)
        for rule in MILESTONES:
            r = line.rates.get(rule)
            rate = r.rate if r is not None else None
            style = "" if rate is None else ("green" if rate >= 0.9 else "dark_orange")
            unmet = r.overdue if r is not None else 0
            t.add_row(
                rules[rule].title,
                Text(_percent(rate), style=f"bold {style}".strip()),
                f"{r.on_time}/{r.met}" if r is not None and r.met else "",
                _count(unmet, "red") if r is not None else "",
                spark(
                    result.series(rule, hub=line.hub, practitioner=line.practitioner),
                    top=1.0,
                    style="green",
                )
                if trend
                else later(),
            )
        return t

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter (a hub's practitioners) only where the rows are hubs."""
        if action == "drill":
            return self.view == HUBS
        return True

    def action_back(self) -> None:
        """Back to every hub after Enter on one; else back to the screen before."""
        if self.drilled and self.view == PEOPLE:
            self.drilled = False
            self.view = HUBS
            self.show()
            return
        self.app.pop_screen()

    def action_month(self, by: int) -> None:
        app: Any = self.app
        latest = month_label(app.ctx.now().date())
        wanted = shift_month(self.month, by)
        if wanted > latest:
            self.app.notify(
                f"{month_words(latest)} is the latest month: it has not ended yet.", markup=False
            )
            return
        self.month = wanted
        self.show()

    def action_switch(self) -> None:
        if self.view == HUBS:
            self.view = PEOPLE
        else:
            self.view = HUBS
        self.drilled = False
        self.query_one(DataTable).move_cursor(row=0)
        self.show()

    def action_drill(self) -> None:
        line = self._current_line()
        if self.view != HUBS or line is None:
            return
        self.view, self.hub = PEOPLE, line.hub
        self.drilled = True
        self.query_one(DataTable).move_cursor(row=0)
        self.show()

    @on(DataTable.RowSelected, "#tracker-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_drill()

    def action_export(self) -> None:
        result = self.cache.get(self.key)
        if result is None:
            self.app.notify(
                "Still computing the trend: export once the sparklines are on show.", markup=False
            )
            return
        path = export_path(Path.cwd(), result.hub, result.month)
        try:
            with path.open("x", encoding="utf-8", newline="") as out:  # never overwrites
                out.write(tracker_csv(result))
        except OSError as exc:
            self.app.notify(f"The CSV could not be written: {exc}", severity="error", markup=False)
            return
        self.app.notify(
            f"Tracker written ({len(result.lines)} rows, {result.months[0]} to "
            f"{result.months[-1]}): {path}",
            markup=False,
        )
