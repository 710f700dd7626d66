"""Caseload (F3): each practitioner in my team or hub with the families they hold as
Lead Professional against their cap (§25, PROTOCOL_RULES.md §5).

One row per practitioner: role, FTE, families against the cap as a bar, the §25.2
kinds of work, cases overdue and due soon, the last supervision. The numbers and
the cap's state are what :func:`ehtui.caseload.caseload` computed with the protocol
engine (in a thread worker); this screen only lays them out. Enter (or ``w``)
walks the highlighted practitioner's cases in supervision; ``t`` switches between
my team and my whole hub. A practitioner who manages nobody sees their own row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ehtui.caseload import Caseload, CaseloadRow
from ehtui.safe_text import safe_text
from widgets.badge import state_badge
from widgets.cells import clip, fill_widths, lay_out
from widgets.dates import when
from widgets.footer import Footer
from widgets.load_bar import cap_text, load_bar

ROLE_SHORT = {  # the table's role column; the line under the table says it in full
    "practitioner": "Practitioner",
    "social_worker": "Social worker",
    "advanced_practitioner": "AP",
    "team_manager": "Team Manager",
    "eha_coordinator": "EHA Coord.",
    "duty_officer": "Duty Officer",
    "supporting_families_lead": "SF lead",
}
KIND_SHORT = {  # the §25.2 kinds in the table; the line under the table says them in full
    "EHA/LP": "EHA",
    "step-down EHA/LP": "step-down",
    "LCS 0-19 requests": "0-19",
    "Universal Plus": "UP",
    "out-of-court work": "OOC",
    "Return Home Interviews": "RHI",
}
KINDS = "Kinds of work (§25.2)"
# (label, width); the kinds of work take what is left of the terminal's width
COLUMNS = (
    ("Practitioner", 12),
    ("Role", 13),
    ("FTE", 3),
    ("Families / cap", 15),
    (KINDS, 0),
    ("Overdue", 7),
    ("Due soon", 8),
    ("Last supervised", 15),
)
BAR = 6  # the load bar's cells in the table
KINDS_MIN = 16


def open_caseload(app: Any) -> None:
    app.push_screen(CaseloadScreen())


def column_widths(space: int) -> tuple[int, ...]:
    return fill_widths(COLUMNS, space, KINDS_MIN)


def kinds_short(row: CaseloadRow) -> str:
    """ "EHA 7, 0-19 6, UP 5, OOC 5, RHI 1": the kinds of work in the table's words."""
    return ", ".join(f"{KIND_SHORT.get(k, k)} {n}" for k, n in row.kinds) or "none open"


def fte_text(fte: float) -> str:
    return f"{fte:.1f}"


def overdue_cell(row: CaseloadRow) -> Text:
    if not row.overdue_cases:
        return Text("0", style="dim")
    text = Text(f"! {row.overdue_cases}", style="bold red")
    if row.critical_cases:
        text.append(f" ‼{row.critical_cases}", style="bold white on red")
    return text


def due_soon_cell(row: CaseloadRow) -> Text:
    if not row.due_soon_cases:
        return Text("0", style="dim")
    return Text(f"◷ {row.due_soon_cases}", style="bold dark_orange")


def last_supervision_cell(at: datetime | None) -> Text:
    return Text(when(at.date())) if at is not None else Text("none", style="bold red")


def detail(row: CaseloadRow, as_of: datetime) -> Group:
    """The highlighted practitioner in full: who, the cap and its finding, every kind
    of work, the cases by tray level, the last supervision, what Enter does."""
    p = row.person
    who = Text.assemble(
        (safe_text(p.name), "bold"),
        f" · {p.role_label}",
        f" · {p.grade} grade" if p.grade else "",
        f" · {fte_text(p.fte)} FTE · {p.hub} hub",
    )
    if row.cap:
        load = Text(f"Families held as Lead Professional: {row.families} of a cap of ")
        load.append(cap_text(row.cap))
        load.append(f" ({row.rule})  ")
        load.append_text(load_bar(row.families, row.cap, str(row.state) if row.state else None))
    else:
        load = Text(f"Families held as Lead Professional: {row.families} (no cap for the role)")
    work_line = Text(f"Work ({row.episodes} open episodes): {row.kinds_text}")
    cases = Text(
        f"Cases: {row.critical_cases} critically overdue, {row.overdue_cases} overdue in all, "
        f"{row.due_soon_cases} due soon ({row.overdue_findings} overdue and "
        f"{row.due_soon_findings} due soon findings)"
    )
    if row.last_supervision is not None:
        days = (as_of.date() - row.last_supervision.date()).days
        ago = f"{days} day{'s' if days != 1 else ''} ago"
        supervised = Text(f"Last supervision: {when(row.last_supervision)} ({ago})")
    else:
        supervised = Text("Last supervision: none recorded on their episodes", style="red")
    lines: list[Any] = [who, load, work_line, cases, supervised]
    for f in row.findings:
        line = state_badge(str(f.state))
        line.append(f"  {f.rule} {f.section}  ")
        line.append(safe_text(f.message))
        lines.append(line)
    if row.episodes:
        lines.append(
            Text(f"Enter: the supervision walk of {safe_text(p.name)}'s cases", style="dim")
        )
    return Group(*lines)


class CaseloadScreen(Screen[None]):
    CSS_PATH = "caseload.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="caseload.back"),
        Binding("w", "walk", "Supervision walk", id="caseload.walk"),
        Binding("t", "toggle_scope", "Team / hub", id="caseload.scope"),
        Binding("r", "refresh", "Refresh", id="caseload.refresh", show=False),
    ]
    HELP = """\
Each practitioner in your team (everyone you manage, directly or down the line)
or, with t, in your whole hub: the families they hold as Lead Professional
against their cap (§25: 15, an Advanced Practitioner 10, pro rata by FTE; a
Supporting Families lead 4 EHA families), as a bar: ▲ over the cap, i at the
advice level (13 of 15). Then the kinds of work that add up to the count
(§25.2), the cases overdue (‼ critically) and due soon on their work tray, and
the date of their last supervision (or group supervision) on any of their
episodes. The line under the table shows the highlighted practitioner in full.
Enter or w walks through their cases one by one to record supervision
decisions. A practitioner who manages nobody sees their own caseload."""

    class Loaded(Message):
        def __init__(self, scope: str, load: Caseload) -> None:
            super().__init__()
            self.scope = scope
            self.load = load

    def __init__(self, scope: str = "team") -> None:
        super().__init__()
        self.scope = scope
        self.rows: list[CaseloadRow] = []
        self.as_of: datetime | None = None
        self.fetching = True
        self.widths: tuple[int, ...] = ()
        self._away = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Caseload · loading…", id="caseload-title", classes="title")
        yield Static("", id="caseload-note", classes="muted")
        yield DataTable(id="caseload-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="caseload-detail")
        yield Footer()

    @property
    def manages(self) -> bool:
        app: Any = self.app
        me = app.session.me
        return bool(me is not None and me.is_manager)

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)
        self.query_one(DataTable).focus()
        self.show_scope(self.scope)

    def on_resize(self, event: events.Resize) -> None:
        self._set_columns(event.size.width)

    def _set_columns(self, width: int) -> None:
        widths = column_widths(width - 2)  # less the vertical scrollbar
        if widths == self.widths:
            return
        self.widths = widths
        lay_out(self.query_one(DataTable), COLUMNS, widths)
        self._fill()

    def show_scope(self, scope: str) -> None:
        self.scope = scope if self.manages else "team"
        self.fetching = True
        self.query_one("#caseload-title", Static).update(Text(f"{self._heading()} · loading…"))
        self.load(self.scope)

    def _heading(self) -> str:
        app: Any = self.app
        me = app.session.me
        if not self.manages:
            return f"Caseload · {me.name}"
        return "Caseload · my team" if self.scope == "team" else f"Caseload · {me.hub} hub"

    @work(thread=True, exclusive=True, exit_on_error=False, group="caseload")
    def load(self, scope: str) -> None:
        from ehtui.caseload import caseload

        app: Any = self.app
        session = app.session
        me = session.me
        found = caseload(
            session.engine,
            me.ref if me else None,
            app.ctx.now(),
            scope=scope,
            settings=session.settings,
        )
        self.post_message(self.Loaded(scope, found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.scope != self.scope:
            return
        self.fetching = False
        self.as_of = message.load.as_of
        me = message.load.me
        rows = list(message.load.rows)
        if not self.manages and me is not None:
            rows = [r for r in rows if r.person.ref == me.ref]
        self.rows = rows
        self._fill()
        self._title()
        self._show_detail()

    def _title(self) -> None:
        n = len(self.rows)
        over = sum(1 for r in self.rows if r.state is not None and str(r.state) == "over_limit")
        unsupervised = sum(1 for r in self.rows if r.episodes and r.last_supervision is None)
        text = f"{self._heading()} · {n} practitioner{'s' if n != 1 else ''}"
        if self.manages:
            text += f" · {over} over their cap"
            if unsupervised:
                text += f" · {unsupervised} never supervised"
        self.query_one("#caseload-title", Static).update(Text(text))
        note = self.query_one("#caseload-note", Static)
        if not self.manages:
            note.update(
                Text(
                    "Your own caseload: the team and hub views are for team managers, "
                    "Advanced Practitioners and EHA coordinators."
                )
            )
        elif self.scope == "team" and not self.rows:
            note.update(Text("Nobody names you as their manager: t shows your whole hub."))
        elif self.scope == "team":
            note.update(Text("Everyone you manage, directly or down the line. t: the whole hub."))
        else:
            note.update(Text("Everyone in the hub. t: back to your team."))

    def _fill(self) -> None:
        if not self.widths:
            return
        table: DataTable[Any] = self.query_one(DataTable)
        row_at = table.cursor_row
        table.clear()
        w = dict(zip((label for label, _ in COLUMNS), self.widths, strict=True))
        for r in self.rows:
            p = r.person
            table.add_row(
                Text(clip(safe_text(p.name), w["Practitioner"])),
                clip(ROLE_SHORT.get(p.role, p.role_label), w["Role"]),
                fte_text(p.fte),
                load_bar(r.families, r.cap, str(r.state) if r.state else None, BAR),
                Text(clip(kinds_short(r), w[KINDS])),
                overdue_cell(r),
                due_soon_cell(r),
                last_supervision_cell(r.last_supervision),
                key=p.ref,
            )
        if self.rows:
            table.move_cursor(row=min(max(row_at, 0), len(self.rows) - 1), animate=False)

    @property
    def highlighted(self) -> CaseloadRow | None:
        table: DataTable[Any] = self.query_one(DataTable)
        if self.rows and 0 <= table.cursor_row < len(self.rows):
            return self.rows[table.cursor_row]
        return None

    def _show_detail(self) -> None:
        row = self.highlighted
        box = self.query_one("#caseload-detail", Static)
        if row is None or self.as_of is None:
            box.update("")
            return
        box.update(detail(row, self.as_of))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_walk()

    # ------------------------------------------------------------------ actions
    def action_walk(self) -> None:
        row = self.highlighted
        if row is None:
            return
        if not row.episodes:
            self.notify(f"{row.person.name} holds no open episodes to walk through.", markup=False)
            return
        from screens.walk import open_supervision_walk

        open_supervision_walk(self.app, row.person.ref)

    def action_toggle_scope(self) -> None:
        if not self.manages:
            self.notify(
                "The team and hub views are for team managers, Advanced Practitioners "
                "and EHA coordinators.",
                markup=False,
            )
            return
        self.show_scope("hub" if self.scope == "team" else "team")

    def action_refresh(self) -> None:
        self.show_scope(self.scope)

    def reload_after_save(self, episode: str | None) -> None:
        """A supervision (or anything) was recorded: reload now if on show, else on return."""
        if self.is_current:
            self.action_refresh()
        else:
            self._away = True

    def on_screen_resume(self) -> None:
        if self._away:
            self._away = False
            self.action_refresh()
