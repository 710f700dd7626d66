"""OSR rota (F6): the One Service Response lead responder and the OSR cases accepted,
per hub and ISO week (one-service-response-protocol.txt).

Each hub names one 0-19 practitioner, H or I grade, as the lead responder for a
week (OSR §4.3); at most three OSR cases a hub a week are accepted (OSR §2.4).
A row per week (this week, a few before, a few after): the responder and grade,
the cases accepted against the limit, and flags with symbols (▲ over the limit,
▲ a responder not H or I grade, ? nobody named yet). ``a`` names the responder for
the highlighted week from a picker (H and I grade first), saved through
:func:`ehtui.osr.assign_responder` (audited). The engine's OSR findings for the
hub are listed under the table. Everything is :func:`ehtui.osr.osr_rota`'s, loaded
in a thread worker.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from ehtui.osr import RESPONDER_GRADES, Assignment, OsrRotaView, OsrWeek
from ehtui.safe_text import safe_text
from ehtui.store import Person
from widgets.badge import STATE_STYLES, state_badge
from widgets.dates import when
from widgets.footer import Footer

WEEKS_BEFORE = 4
WEEKS_AFTER = 4


def open_osr_rota(app: Any) -> None:
    app.push_screen(OsrRotaScreen())


def accepted_cell(week: OsrWeek) -> Text:
    """'2/3'; over the limit '4/3 ▲' (magenta); none '0/3' dim."""
    words = f"{week.accepted}/{week.limit:g}"
    if week.over:
        return Text(f"{words} ▲", style=STATE_STYLES["over_limit"])
    return Text(words, style="" if week.accepted else "dim")


def responder_cell(week: OsrWeek) -> Text:
    if week.responder is None:
        return Text("nobody named", style="dim")
    return Text(safe_text(week.responder_name or week.responder))


def grade_cell(week: OsrWeek) -> Text:
    if week.responder is None:
        return Text("")
    grade = week.responder_grade or "none"
    if week.grade_ok:
        return Text(grade)
    return Text(f"{grade} ▲", style=STATE_STYLES["over_limit"])


def flags_cell(week: OsrWeek, this_week: str) -> Text:
    """What is wrong with the week, in words with the finding's symbol."""
    text = Text()
    if week.over:
        text.append("▲ over 3 a week", style=STATE_STYLES["over_limit"])
    if week.grade_ok is False:
        if text:
            text.append("  ")
        text.append("▲ not H or I grade", style=STATE_STYLES["over_limit"])
    if week.responder is None and week.week >= this_week:
        if text:
            text.append("  ")
        text.append("? name a responder", style=STATE_STYLES["missing"])
    if not text:
        text.append("✓", style=STATE_STYLES["done"])
    return text


def week_detail(week: OsrWeek) -> Group:
    """The highlighted week: its OSR cases (family, episode, Lead Professional)."""
    head = Text(f"{week.hub} {week.week} (week of {when(week.monday)}): ", style="bold")
    head.append(
        f"{week.accepted} OSR case{'s' if week.accepted != 1 else ''} accepted of {week.limit:g}",
        style="",
    )
    lines: list[Any] = [head]
    for case in week.cases:
        line = Text(f"  {safe_text(case.family_name)} family · {case.episode} · ")
        line.append(f"allocated {when(case.allocated)} · ")
        line.append(safe_text(case.lead_name) if case.lead_name else "unallocated")
        if not case.is_open:
            line.append(" · closed", style="dim")
        lines.append(line)
    return Group(*lines)


def findings_text(view: OsrRotaView, hubs: set[str]) -> Group:
    lines: list[Any] = []
    for f in view.findings:
        if not any(f.message.startswith(f"{h} ") for h in hubs):
            continue
        line = state_badge(str(f.state))
        line.append(f"  {f.rule} {f.section}  ", style="dim")
        line.append(safe_text(f.message))
        lines.append(line)
    if not lines:
        lines.append(Text("No OSR findings: every week within the limit, every responder H or I."))
    return Group(*lines)


class ResponderPicker(ModalScreen[str | None]):
    """Who leads the OSR response this week: H and I grade practitioners first; others
    are listed, greyed, with why they cannot (OSR §4.3)."""

    CSS_PATH = "osr_rota.tcss"
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="osr.pick_cancel")]
    HELP = """\
Choose the OSR lead responder for the week: an H or I grade 0-19 practitioner
(OSR §4.3). Enter names them; esc leaves the rota as it was."""

    def __init__(self, week: OsrWeek, people: list[Person]) -> None:
        super().__init__()
        self.week = week
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="osr-picker"):
            yield Static(
                Text(f"Lead responder for {self.week.hub} {self.week.week}", style="bold"),
                id="osr-picker-title",
            )
            yield OptionList(*self.options(), id="osr-picker-list")
            yield Static(
                Text("H or I grade only (OSR §4.3). Enter: name them · esc: cancel"),
                classes="muted",
            )

    def options(self) -> list[Option]:
        out = []
        for p in self.people:
            eligible = p.grade in RESPONDER_GRADES
            label = Text(safe_text(p.name), style="bold" if eligible else "dim")
            label.append(f"  {p.grade or 'no'} grade · {p.role_label} · {p.hub} hub")
            if not eligible:
                label.append("  (not H or I grade)")
            if p.ref == self.week.responder:
                label.append("  ● named now")
            out.append(Option(label, id=p.ref, disabled=not eligible))
        return out

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.focus()
        named = next((i for i, p in enumerate(self.people) if p.ref == self.week.responder), None)
        if named is not None:
            picker.highlighted = named

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def responder_order(people: list[Person], hub: str) -> list[Person]:
    """The hub's practitioners, H and I grade first (then by name); others after."""
    mine = [p for p in people if p.hub == hub]
    return sorted(mine, key=lambda p: (p.grade not in RESPONDER_GRADES, p.name, p.ref))


class OsrRotaScreen(Screen[None]):
    CSS_PATH = "osr_rota.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="osr.back"),
        Binding("a", "assign", "Assign responder", id="osr.assign"),
        Binding("h", "toggle_hubs", "My hub / all hubs", id="osr.hubs"),
        Binding("r", "refresh", "Refresh", id="osr.refresh", show=False),
    ]
    HELP = """\
The One Service Response rota: per hub and ISO week (four weeks either side of
this one, ◀ marks it), the 0-19 lead responder named for the week and their
grade, the OSR cases accepted against the limit of three a hub a week (OSR §2.4),
and flags: ▲ over the limit, ▲ a responder who is not H or I grade (OSR §4.3),
? no responder named for this or a coming week. a names the lead responder for
the highlighted week (H and I grade practitioners first): the hub's Hub Team
Manager names it (OSR §4.3-4.4); anyone else is told so. h shows all three hubs
or just yours. Under the table: the highlighted week's OSR cases, then the
protocol engine's OSR findings for the hubs shown (OSR-3-PER-WEEK,
OSR-RESPONDER-GRADE), any week."""

    class Loaded(Message):
        def __init__(self, hub: str | None, view: OsrRotaView, people: list[Person]) -> None:
            super().__init__()
            self.hub = hub
            self.view = view
            self.people = people

    class Assigned(Message):
        def __init__(self, assignment: Assignment | None, problems: list[str]) -> None:
            super().__init__()
            self.assignment = assignment
            self.problems = problems

    def __init__(self) -> None:
        super().__init__()
        self.all_hubs = False
        self.view: OsrRotaView | None = None
        self.weeks: list[OsrWeek] = []
        self.people: list[Person] = []
        self.fetching = True
        self.this_week = ""
        self._place_cursor = True  # on this week, when the rows (re)load from scratch

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("OSR rota · loading…", id="osr-title", classes="title")
        yield DataTable(id="osr-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="osr-week")
        yield Static("", id="osr-findings")
        yield Footer()

    @property
    def hub(self) -> str | None:
        app: Any = self.app
        return None if self.all_hubs else app.session.me.hub

    def on_mount(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        for label, width in (
            ("Hub", 12),
            ("ISO week", 11),
            ("Week of", 15),
            ("Lead responder", 18),
            ("Grade", 6),
            ("OSR cases", 9),
            ("Flags", 34),
        ):
            table.add_column(label, width=width)
        table.focus()
        self.query_one("#osr-findings").border_title = "OSR findings"
        self.show()

    def show(self) -> None:
        self.fetching = True
        self.query_one("#osr-title", Static).update(Text(f"{self._heading()} · loading…"))
        self.load(self.hub)

    def _heading(self) -> str:
        return "OSR rota · all hubs" if self.all_hubs else f"OSR rota · {self.hub} hub"

    @work(thread=True, exclusive=True, exit_on_error=False, group="osr")
    def load(self, hub: str | None) -> None:
        from ehtui.osr import osr_rota
        from ehtui.store import people

        app: Any = self.app
        session = app.session
        view = osr_rota(
            session.engine,
            app.ctx.now(),
            hub=hub,
            weeks_before=WEEKS_BEFORE,
            weeks_after=WEEKS_AFTER,
            settings=session.settings,
        )
        everyone = list(people(session.engine).values())
        self.post_message(self.Loaded(hub, view, everyone))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.hub != self.hub:
            return
        from ehtui.calendar import iso_week

        self.fetching = False
        self.view = message.view
        self.people = message.people
        self.weeks = list(message.view.weeks)
        self.this_week = iso_week(message.view.as_of.date())
        table: DataTable[Any] = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for w in self.weeks:
            week = Text(w.week)
            if w.week == self.this_week:
                week.append(" ◀", style="bold")
            table.add_row(
                w.hub,
                week,
                when(w.monday),
                responder_cell(w),
                grade_cell(w),
                accepted_cell(w),
                flags_cell(w, self.this_week),
                key=f"{w.hub}|{w.week}",
            )
        if self.weeks:
            if self._place_cursor:  # this week (of the first hub shown)
                self._place_cursor = False
                at = next((i for i, w in enumerate(self.weeks) if w.week == self.this_week), 0)
            table.move_cursor(row=min(at, len(self.weeks) - 1), animate=False)
        hubs = {w.hub for w in self.weeks}
        self.query_one("#osr-findings", Static).update(findings_text(message.view, hubs))
        over = sum(1 for w in self.weeks if w.over)
        unnamed = sum(1 for w in self.weeks if w.responder is None and w.week >= self.this_week)
        self.query_one("#osr-title", Static).update(
            Text(
                f"{self._heading()} · this week {self.this_week} · "
                f"{over} week{'s' if over != 1 else ''} over the limit · "
                f"{unnamed} coming week{'s' if unnamed != 1 else ''} with nobody named"
            )
        )
        self._show_week()

    @property
    def highlighted(self) -> OsrWeek | None:
        table: DataTable[Any] = self.query_one(DataTable)
        if self.weeks and 0 <= table.cursor_row < len(self.weeks):
            return self.weeks[table.cursor_row]
        return None

    def _show_week(self) -> None:
        week = self.highlighted
        self.query_one("#osr-week", Static).update(week_detail(week) if week else "")

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_week()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_assign()

    # ------------------------------------------------------------------ actions
    def action_assign(self) -> None:
        week = self.highlighted
        if week is None or self.fetching:
            return
        refused = self._may_not_name(week.hub)
        if refused is not None:  # the core refuses too; said before the picker opens
            self.notify("Not saved: " + refused, severity="error", markup=False)
            return

        def chosen(ref: str | None) -> None:
            if ref is not None and ref != week.responder:
                self.assign(week.hub, week.week, ref)

        self.app.push_screen(ResponderPicker(week, responder_order(self.people, week.hub)), chosen)

    def _may_not_name(self, hub: str) -> str | None:
        from ehtui.osr import may_name_responder
        from ehtui.rules import PractitionerSnap

        app: Any = self.app
        me = app.session.me
        if me is None:
            return may_name_responder(None, hub)
        snap = PractitionerSnap(me.ref, me.name, me.role, me.grade, me.hub, me.fte, me.manager)
        return may_name_responder(snap, hub, me.ref)

    @work(thread=True, exclusive=True, exit_on_error=False, group="osr-assign")
    def assign(self, hub: str, week: str, practitioner: str) -> None:
        from ehtui.errors import InputError
        from ehtui.osr import assign_responder

        app: Any = self.app
        me = app.session.me
        try:
            done = assign_responder(
                app.session.engine, me.ref if me else None, hub, week, practitioner
            )
        except InputError as refused:
            self.post_message(self.Assigned(None, list(refused.problems)))
            return
        self.post_message(self.Assigned(done, []))

    @on(Assigned)
    def _assigned(self, message: Assigned) -> None:
        done = message.assignment
        if done is None:
            self.notify("Not saved: " + "; ".join(message.problems), severity="error", markup=False)
            return
        words = f"{done.name} ({done.grade} grade) is the lead responder for {done.hub} {done.week}"
        if done.replaced:
            old = next((p.name for p in self.people if p.ref == done.replaced), done.replaced)
            words += f", in place of {old}"
        self.notify(words + ".", markup=False)
        self.show()

    def action_toggle_hubs(self) -> None:
        self.all_hubs = not self.all_hubs
        self._place_cursor = True
        self.show()

    def action_refresh(self) -> None:
        self.show()
