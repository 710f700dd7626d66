"""Duty lookup (F2): find anyone in the store as you type, and their family's card.

The index (:class:`ehtui.lookup.LookupIndex`, with :class:`ehtui.lookup.rows.Facts`
for the columns) is built once, in a thread worker, when the screen opens; each
keystroke then searches it in memory on the event loop (a few milliseconds on
the borough store: ``benchmarks/lookup_app.py``). The highlighted person's family
card (:func:`ehtui.lookup.card.open_card`, which logs the viewing in the audit
trail, once per family while the screen is open) loads in a worker shortly after
the cursor settles. Everything shown is read-only.
"""

from __future__ import annotations

import gc
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from ehtui.lookup.card import Card
from ehtui.lookup.index import PRACTITIONER, LookupIndex
from ehtui.lookup.rows import Facts, ResultRow, result_row
from ehtui.safe_text import safe_text
from widgets.footer import Footer
from widgets.lookup_card import LookupCard

LIMIT = 50  # results shown for a query
CARD_DELAY = 0.12  # seconds the cursor rests on a row before its card loads
WIDE = 190  # from this many columns the card sits beside the results, else below them
TABLE_WIDTH = 120  # the results' width beside the card (lookup.tcss)
COLUMNS = (  # label, width (the last takes what is left, at least MATCHED)
    ("Name", 18),
    ("Born (age)", 16),
    ("Role", 7),
    ("Family", 14),
    ("Postcode", 8),
    ("Open work · Lead", 26),
    ("Matched", 0),
)
MATCHED = 10
PADDING = 2  # a DataTable cell's padding, both sides
PROMPT = (
    "Type a name (spelling need not be exact: Mohamed finds Muhammad), a date of birth "
    "(2/5/2016, 2 May 2016), an address or postcode (N12 0AA, n12), a phone or a ref."
)


class QueryInput(Input):
    """The search box: Enter opens the highlighted person's case (and the footer says so)."""

    BINDINGS = [Binding("enter", "submit", "Open case", id="lookup.submit")]


def open_duty_lookup(app: Any) -> None:
    """The palette's "Duty lookup" (F2)."""
    if not isinstance(app.screen, LookupScreen):
        app.push_screen(LookupScreen())


def born_cell(row: ResultRow) -> str:
    if row.born is None:
        return ""
    return f"{row.born.day} {row.born:%b %Y} ({row.age})"


class LookupScreen(Screen[None]):
    CSS_PATH = "lookup.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="lookup.back"),
        Binding("enter", "open", "Open case", id="lookup.open"),
        Binding("down", "move(1)", "Next", id="lookup.down", show=False),
        Binding("up", "move(-1)", "Previous", id="lookup.up", show=False),
        Binding("pagedown", "move(10)", "Page down", id="lookup.page_down", show=False),
        Binding("pageup", "move(-10)", "Page up", id="lookup.page_up", show=False),
        Binding("ctrl+u", "clear", "Clear", id="lookup.clear"),
    ]
    HELP = """\
Duty lookup: find anyone in the whole store as you type (families, their members,
practitioners), by name (tolerant of spelling: "Mohamed" finds "Muhammad", surname
first is fine), date of birth (2016-05-02, 2/5/16, "2 May 2016"), address words
or postcode (whole or begun: "n12", "N12 0AA"), phone (five digits or more) or
ref (person, family or episode). Results come best first; Matched says why.
Up and down move through the results and the family card follows: every family
member, each open episode and each closed in the last 12 months with its Lead
Professional, hub and phone, the last contact, the open findings, and where a
step-up to Children's Social Care would go (DATs within 6 weeks of their
closure, I&P within 3 months, else the MASH: §12.5-12.6) with the next Transfer
meeting. The card is read-only; each family card you view is logged in the
audit trail. Enter opens the family's open episode in the case view (the
oldest referral first, when there are several); ctrl+u clears the search."""

    class Built(Message):
        def __init__(self, index: LookupIndex, facts: Facts) -> None:
            super().__init__()
            self.index = index
            self.facts = facts

    class CardLoaded(Message):
        def __init__(self, family: str, card: Card | None) -> None:
            super().__init__()
            self.family = family
            self.card = card

    def __init__(self) -> None:
        super().__init__()
        self.index: LookupIndex | None = None
        self.facts: Facts | None = None
        self.rows: list[ResultRow] = []
        self.query_text = ""
        self.cards: dict[str, Card | None] = {}
        self.logged: set[str] = set()
        self.wanted: str | None = None  # the family whose card should be on show
        self._card_timer: Timer | None = None
        self.widths: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Duty lookup · building the index…", id="lookup-title", classes="title")
        yield QueryInput(
            placeholder="Name, date of birth, address or postcode, phone, ref",
            id="lookup-query",
        )
        with Container(id="lookup-body"):
            yield DataTable(id="lookup-results", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="lookup-card-scroll"):
                yield LookupCard(id="lookup-card")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LookupCard).say(PROMPT)
        self.set_class(self.app.size.width >= WIDE, "wide")
        self._set_columns(self.app.size.width)
        self.query_one(Input).focus()
        self.build()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "wide")
        self._set_columns(event.size.width)

    def _set_columns(self, screen_width: int) -> None:
        """Fixed widths for the first columns; "Matched" takes what is left, so no row
        runs off the side (the card's share comes off first when it sits beside)."""
        space = TABLE_WIDTH if screen_width >= WIDE else screen_width
        space -= 2  # the vertical scrollbar
        fixed = sum(w + PADDING for _, w in COLUMNS[:-1])
        widths = [w for _, w in COLUMNS[:-1]] + [max(space - fixed - PADDING, MATCHED)]
        if widths == self.widths:
            return
        self.widths = widths
        table: DataTable[Any] = self.query_one(DataTable)
        table.clear(columns=True)
        for (name, _), w in zip(COLUMNS, widths, strict=True):
            table.add_column(name, width=w)
        self._fill()

    # ------------------------------------------------------------------ the index
    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup-index")
    def build(self) -> None:
        app: Any = self.app
        engine, as_of = app.session.engine, app.ctx.now()
        index = LookupIndex.build(engine, as_of)
        facts = Facts.build(engine, as_of)
        self.post_message(self.Built(index, facts))

    @on(Built)
    def _built(self, message: Built) -> None:
        self.index, self.facts = message.index, message.facts
        # As at start-up (EhtuiApp): the index's many small objects (no cycles among them:
        # they are freed as ever when the screen goes) out of the collector's sight, so a
        # full collection no longer walks them between two keystrokes.
        gc.freeze()
        self.search(self.query_one(Input).value)

    def reload_after_save(self, episode: str | None) -> None:
        """Something was recorded: the cards and the open work may have changed."""
        self.cards.clear()
        self.wanted = None  # the card on show is read again
        self.build()

    # ------------------------------------------------------------------ searching
    @on(Input.Changed, "#lookup-query")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_open()

    def search(self, text: str) -> None:
        """Search the index for ``text`` (in memory, on the event loop) and show the hits."""
        self.query_text = text
        title = self.query_one("#lookup-title", Static)
        if self.index is None or self.facts is None:
            title.update("Duty lookup · building the index…")
            return
        facts = self.facts
        self.rows = [result_row(hit, facts) for hit in self.index.search(text, LIMIT)]
        self._fill()
        self._search_done(text)

    def _fill(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(
                Text(safe_text(row.name), style="bold" if row.role == "Child" else ""),
                born_cell(row),
                Text(safe_text(row.role)),
                Text(safe_text(row.family_name)),
                row.postcode,
                Text(safe_text(row.work), style="dim" if row.episode is None else ""),
                Text(safe_text(row.why), style="dim"),
            )
        if 0 < at < len(self.rows):
            table.move_cursor(row=at)

    def _search_done(self, text: str) -> None:
        title = self.query_one("#lookup-title", Static)
        assert self.index is not None
        people = f"{len(self.index):,} people and families"
        if not text.strip():
            title.update(f"Duty lookup · {people} · type to search")
            self._show_card(None)
        elif not self.rows:
            title.update(Text(f'Duty lookup · no one matches "{safe_text(text.strip())}"'))
            self._show_card(None)
        else:
            n = len(self.rows)
            more = "+" if n == LIMIT else ""
            title.update(
                Text(
                    f"Duty lookup · {n}{more} match{'es' if n != 1 else ''} for "
                    f'"{safe_text(text.strip())}", best first · {people}'
                )
            )
            self.query_one(DataTable).move_cursor(row=0)
            self._show_card(self.rows[0])

    # ------------------------------------------------------------------ the card
    @on(DataTable.RowHighlighted, "#lookup-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self._show_card(self.rows[event.cursor_row])

    def _show_card(self, row: ResultRow | None) -> None:
        card = self.query_one(LookupCard)
        if self._card_timer is not None:
            self._card_timer.stop()
            self._card_timer = None
        if row is None:
            self.wanted = None
            card.say(PROMPT)
            return
        if row.kind == PRACTITIONER or row.family is None:
            self.wanted = None
            card.show_practitioner(row)
            return
        family = row.family
        if family == self.wanted and card.card is not None and card.card.ref == family:
            return
        self.wanted = family
        if family in self.cards:
            self._put_card(family, self.cards[family])
            return
        card.say(f"{safe_text(row.family_name)}: loading the card…", "Family card")
        self._card_timer = self.set_timer(CARD_DELAY, lambda: self.load_card(family))

    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup-card")
    def load_card(self, family: str) -> None:
        from ehtui.lookup.card import family_card, open_card

        app: Any = self.app
        session = app.session
        as_of = app.ctx.now()
        if family in self.logged:
            card = family_card(session.engine, family, as_of, session.settings)
        else:
            me = session.me.ref if session.me else None
            card = open_card(session.engine, family, as_of, me, session.settings)
        self.post_message(self.CardLoaded(family, card))

    @on(CardLoaded)
    def _card_loaded(self, message: CardLoaded) -> None:
        self.cards[message.family] = message.card
        self.logged.add(message.family)
        if message.family == self.wanted:
            self._put_card(message.family, message.card)

    def _put_card(self, family: str, card: Card | None) -> None:
        widget = self.query_one(LookupCard)
        if card is None:
            widget.say(f"No family {safe_text(family)} in this store any more.")
        else:
            widget.show(card)
        self.query_one("#lookup-card-scroll").scroll_home(animate=False)

    # ------------------------------------------------------------------ actions
    def action_move(self, by: int) -> None:
        table = self.query_one(DataTable)
        if self.rows:
            row = min(max(table.cursor_row + by, 0), len(self.rows) - 1)
            table.move_cursor(row=row)

    def action_clear(self) -> None:
        query = self.query_one(Input)
        query.value = ""
        query.focus()

    @on(DataTable.RowSelected, "#lookup-results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted person's open episode in the case view, or say there is none."""
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.rows):
            self.app.notify(
                "Nothing to open: search for someone first.", severity="warning", markup=False
            )
            return
        row = self.rows[table.cursor_row]
        name = safe_text(row.name)
        if row.kind == PRACTITIONER:
            self.app.notify(f"{name} is a practitioner: there is no episode to open.", markup=False)
            return
        if row.episode is None:
            self.app.notify(
                f"{name}: the {safe_text(row.family_name)} family has no open episode.",
                severity="warning",
                markup=False,
            )
            return
        facts = self.facts
        others = [w.episode for w in facts.open_work.get(row.family or "", [])[1:]] if facts else []
        app: Any = self.app
        app.open_case(row.episode)
        if others:
            self.app.notify(
                f"Opened {row.episode}, the oldest referral; also open: {', '.join(others)} "
                "(on the card).",
                markup=False,
            )
