"""Supervision walk (F4): one practitioner's open episodes, one case a page, worst
first, each with the decision recorded in place.

A page shows the case's summary line (status, family, children, type, Lead
Professional, days open), every clock still running with its due date, the
engine's findings and the last supervision decision on the file; beside them the
decision: the kind (supervision, or systemic group supervision: §26.1, the kinds
that meet SUPERVISION-MONTHLY) and the words. ctrl+s records it
(:func:`ehtui.caseload.record_walk_decision`, one audited oversight record, in a
worker), reloads the walk's findings and moves to the next case; PgDn / PgUp
(and n, p, → and ← when not typing) move on without recording. The words typed
are kept as a form draft as you type (:mod:`ehtui.drafts`, form ``walk``, one per
episode and user), offered back when the walk reaches that case again (also after
the program was killed) and thrown away when the decision is recorded. The end page
(or ``e``) is the sitting's summary (:func:`ehtui.caseload.walk_summary_text`);
ctrl+e or ``x`` writes it to a new text file for the supervision record.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ehtui.caseload import CaseloadRow, WalkCase, WalkDecision
from ehtui.rules import Finding
from ehtui.safe_text import safe_text
from ehtui.vocab import SUPERVISION_KINDS, OversightKind
from widgets.badge import badge, state_badge
from widgets.choice import KeyChoice
from widgets.dates import when
from widgets.footer import Footer
from widgets.load_bar import load_bar

if TYPE_CHECKING:
    from ehtui.drafts import Draft

KIND_OPTIONS = [  # the §26.1 kinds a supervision decision may be (SUPERVISION-MONTHLY's)
    ("s", str(OversightKind.SUPERVISION), OversightKind.SUPERVISION.label),
    ("g", str(OversightKind.GROUP_SUPERVISION), OversightKind.GROUP_SUPERVISION.label),
]
assert {v for _, v, _ in KIND_OPTIONS} == {str(k) for k in SUPERVISION_KINDS}
WALK_FORM = "walk"  # the decision's form draft (ehtui.drafts), one per episode and user
DRAFT_DELAY = 0.4  # seconds after the last change before the draft is written (as forms)


def draft_value(kind: str, words: str) -> tuple[str, str] | None:
    """What a decision box holds, as a draft: None when no words are written."""
    return (kind, words) if words.strip() else None


def open_supervision_walk(app: Any, practitioner: str | None = None) -> None:
    """The walk of ``practitioner``'s cases; without one, the walk first asks whose
    (the first of my team highlighted)."""
    app.push_screen(WalkScreen(practitioner))


# ------------------------------------------------------------------ pure layout helpers
def summary_line(case: WalkCase) -> Text:
    """'‼ Critically overdue  Ryan family · Niamh (7) · Step-down EHA E000017 · Lead
    Professional: Bella Cole · 28 days open'."""
    row = case.row
    text = Text.assemble(badge(row.level), "  ")
    text.append(f"{safe_text(row.family_name)} family", style="bold")
    text.append(f" · {safe_text(row.children) or 'no children linked'}")
    text.append(f" · {row.type_label} {row.episode}")
    text.append(f" · Lead Professional: {safe_text(row.lead_name) or 'unallocated'}")
    if row.days_open is not None:
        text.append(f" · {row.days_open} day{'s' if row.days_open != 1 else ''} open")
    return text


def clock_state(clock: Finding, findings: tuple[Finding, ...]) -> str:
    """A running clock as the work tray sees it: overdue, due soon (inside the rule's
    own warning window: the engine found it so), else just running."""
    if str(clock.state) == "overdue":
        return "overdue"
    soon = {(f.rule, f.child) for f in findings if str(f.state) == "due_soon"}
    return "due_soon" if (clock.rule, clock.child) in soon else "running"


def _listing(rows: list[tuple[Text, Text]], empty: str) -> Table:
    t = Table(box=None, show_header=False, pad_edge=False, expand=True)
    t.add_column(no_wrap=True)
    t.add_column(ratio=1, overflow="fold")
    for badge_text, what in rows:
        t.add_row(badge_text, what)
    if not rows:
        t.add_row("", Text(empty))
    return t


def clocks_table(case: WalkCase) -> Table:
    """Every clock still running: its state, the engine's words (with the due date), the rule."""
    rows = []
    for clock in case.clocks:
        what = Text(safe_text(clock.message))
        what.append(f"  {clock.rule}", style="dim")
        rows.append((state_badge(clock_state(clock, case.findings)), what))
    return _listing(rows, "No clock is running on this episode.")


def walk_findings_table(findings: tuple[Finding, ...]) -> Table:
    """The engine's findings, §10 order: state, the words, rule and section."""
    rows = []
    for f in findings:
        what = Text(safe_text(f.message))
        what.append(f"  {f.rule} {f.section}", style="dim")
        rows.append((state_badge(str(f.state)), what))
    return _listing(rows, "Nothing outstanding: every clock is on track.")


def last_decision_text(case: WalkCase) -> RenderableType:
    note = case.last_decision
    if note is None:
        return Text("No supervision recorded on this episode yet.", style="bold red")
    head = Text(f"{when(note.at)} · {note.kind_label}", style="bold")
    if note.by_name or note.by:
        head.append(f" · {safe_text(note.by_name or note.by)}", style="")
    return Group(head, Text(safe_text(note.decision, multiline=True) or "(no decision written)"))


def picker_label(row: CaseloadRow) -> Text:
    p = row.person
    text = Text(safe_text(p.name), style="bold")
    text.append(
        f"  {p.role_label} · {row.episodes} open episode{'s' if row.episodes != 1 else ''}  "
    )
    text.append_text(load_bar(row.families, row.cap, str(row.state) if row.state else None, 6))
    last = when(row.last_supervision.date()) if row.last_supervision else "none"
    text.append(f"  · last supervision {last}")
    return text


def export_path(folder: Path, practitioner: str, day: datetime) -> Path:
    """A new file for the summary: supervision-P004-2026-11-20.txt, then -2, -3, ...
    (an earlier export is never overwritten)."""
    stem = f"supervision-{practitioner}-{day:%Y-%m-%d}"
    path = folder / f"{stem}.txt"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.txt"
    return path


def write_summary(folder: Path, practitioner: str, day: datetime, text: str) -> Path:
    """Write ``text`` to a new file in ``folder`` (owner-only; exclusive create)."""
    from ehtui.paths import ensure_private_dir

    ensure_private_dir(folder)
    while True:
        path = export_path(folder, practitioner, day)
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:  # made meanwhile: take the next name
            continue
        path.chmod(0o600)
        return path


class CasePage(VerticalScroll, inherit_bindings=False):
    """The case's clocks and findings: up/down scroll (left/right are the walk's)."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]


class WalkScreen(Screen[None]):
    CSS_PATH = "walk.tcss"
    BINDINGS = [
        Binding("ctrl+s", "record", "Record & next", id="walk.record", priority=True),
        Binding("pagedown", "step(1)", "Next case", id="walk.next_page", priority=True),
        Binding("pageup", "step(-1)", "Previous", id="walk.previous_page", priority=True),
        Binding("n", "step(1)", "Next case", id="walk.next", show=False),
        Binding("right", "step(1)", "Next case", id="walk.next_right", show=False),
        Binding("p", "step(-1)", "Previous case", id="walk.previous", show=False),
        Binding("left", "step(-1)", "Previous case", id="walk.previous_left", show=False),
        Binding("d", "write", "Write the decision", id="walk.write", show=False),
        Binding("e", "end", "Summary", id="walk.end"),
        Binding("o", "open_case", "Open case", id="walk.open"),
        Binding("ctrl+e", "export", "Export", id="walk.export"),
        Binding("x", "export", "Export summary", id="walk.export_x", show=False),
        Binding("escape", "back", "Back", id="walk.back"),
    ]
    HELP = """\
Supervision, one case at a time: the practitioner's open episodes, worst first
(critically overdue, overdue, due soon, on track). Each page shows the case's
summary line, every clock still running with its due date (→ running, ◷ due soon,
! overdue), the protocol engine's findings and the last supervision decision on
the file. Write the decision (the cursor starts there), choose its kind with tab
then s (supervision) or g (systemic group supervision), and ctrl+s records it on
the episode and moves to the next case; the findings are worked out again, so a
SUPERVISION-MONTHLY clock restarts. PgDn / PgUp move on without recording; when
not typing (esc leaves the decision box) n, p, → and ← do too, d goes back to the
decision, o opens the case. What you type is kept as a draft as you type:
leave the walk (or lose the terminal) and the words are back when the walk
reaches that case again; recording the decision throws the draft away.
After the last case (or e) the summary of the
decisions made in this sitting: ctrl+e or x writes it to a new text file for the
supervision record (an earlier file is never overwritten)."""

    class PeopleLoaded(Message):
        def __init__(self, rows: list[CaseloadRow], me: str | None) -> None:
            super().__init__()
            self.rows = rows
            self.me = me

    class WalkLoaded(Message):
        def __init__(
            self,
            practitioner: str,
            name: str,
            cases: list[WalkCase],
            drafts: dict[str, Draft] | None = None,
        ) -> None:
            super().__init__()
            self.practitioner = practitioner
            self.name = name
            self.cases = cases
            self.drafts = drafts or {}

    class Recorded(Message):
        def __init__(self, decision: WalkDecision, cases: list[WalkCase]) -> None:
            super().__init__()
            self.decision = decision
            self.cases = cases

    class Refused(Message):
        def __init__(self, episode: str, problems: list[str]) -> None:
            super().__init__()
            self.episode = episode
            self.problems = problems

    def __init__(self, practitioner: str | None = None) -> None:
        super().__init__()
        self.practitioner = practitioner
        self.practitioner_name = practitioner or ""
        self.page = "choose" if practitioner is None else "loading"
        self.people: list[CaseloadRow] = []
        self.cases: list[WalkCase] = []
        self.index = 0
        self.decisions: list[WalkDecision] = []
        self.typed: dict[str, tuple[str, str]] = {}  # episode -> (kind, words) not yet recorded
        self.stored: dict[str, tuple[str, str]] = {}  # episode -> what its draft holds now
        self.drafted_at: dict[str, datetime] = {}  # episode -> when a draft put back was kept
        self._draft_timer: Timer | None = None
        self.saving = False
        self.exported = 0  # decisions in the last file written
        self.last_export: Path | None = None
        self._stale = False
        self._leaving = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Supervision walk · loading…", id="walk-title", classes="title")
        with ContentSwitcher(initial="walk-choose", id="walk-pages"):
            with Vertical(id="walk-choose"):
                yield Static("", id="walk-choose-note")
                yield OptionList(id="walk-people")
            with Vertical(id="walk-case"):
                yield Static("", id="walk-summary")
                with Horizontal(id="walk-split"):
                    with CasePage(id="walk-left"):
                        yield Static("", id="walk-clocks", classes="box")
                        yield Static("", id="walk-findings", classes="box")
                    with Vertical(id="walk-right"):
                        yield Static("", id="walk-last", classes="box")
                        with Vertical(id="walk-form", classes="box"):
                            yield KeyChoice(KIND_OPTIONS, KIND_OPTIONS[0][1], id="walk-kind")
                            yield TextArea(
                                id="walk-decision",
                                placeholder="What was decided: what happens next, by whom, "
                                "by when. ctrl+s records it and moves on.",
                            )
                            yield Static("", id="walk-status")
            with VerticalScroll(id="walk-end"):
                yield Static("", id="walk-summary-text")
                yield Static("", id="walk-end-keys", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#walk-form").border_title = "Decision in this sitting"
        self.query_one("#walk-last").border_title = "Last supervision decision"
        if self.practitioner is None:
            self.query_one("#walk-people").focus()
            self.load_people()
        else:
            self.load_walk(self.practitioner)

    # ------------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="walk-people")
    def load_people(self) -> None:
        from ehtui.caseload import caseload

        app: Any = self.app
        session = app.session
        me = session.me.ref if session.me else None
        found = caseload(session.engine, me, app.ctx.now(), scope="team", settings=session.settings)
        rows = list(found.rows)
        if not (session.me and session.me.is_manager):
            rows = [r for r in rows if r.person.ref == me]
        self.post_message(self.PeopleLoaded(rows, me))

    @work(thread=True, exclusive=True, exit_on_error=False, group="walk")
    def load_walk(self, practitioner: str) -> None:
        from ehtui.caseload import supervision_walk
        from ehtui.drafts import drafts_of
        from ehtui.store import people

        app: Any = self.app
        session = app.session
        cases = supervision_walk(session.engine, practitioner, app.ctx.now(), session.settings)
        person = people(session.engine).get(practitioner)
        name = person.name if person else practitioner
        drafts = drafts_of(
            session.engine,
            form=WALK_FORM,
            user=session.me.ref if session.me else None,
            targets=[c.episode for c in cases],
        )
        self.post_message(self.WalkLoaded(practitioner, name, cases, drafts))

    @work(thread=True, exclusive=True, exit_on_error=False, group="walk-record")
    def record(self, episode: str, kind: str, words: str) -> None:
        from ehtui.caseload import record_walk_decision, supervision_walk
        from ehtui.errors import InputError

        app: Any = self.app
        session = app.session
        now = app.ctx.now()
        me = session.me.ref if session.me else None
        try:
            made = record_walk_decision(
                session.engine,
                me,
                episode,
                words,
                now.replace(second=0, microsecond=0),
                kind=kind,
                now=now,
            )
        except InputError as refused:
            self.post_message(self.Refused(episode, list(refused.problems)))
            return
        from ehtui.drafts import discard_draft

        discard_draft(session.engine, form=WALK_FORM, target=episode, user=me)
        assert self.practitioner is not None
        cases = supervision_walk(session.engine, self.practitioner, now, session.settings)
        self.post_message(self.Recorded(made, cases))

    # ------------------------------------------------------------------ choosing
    @on(PeopleLoaded)
    def _people_loaded(self, message: PeopleLoaded) -> None:
        self.people = message.rows
        options = self.query_one("#walk-people", OptionList)
        options.clear_options()
        for row in self.people:
            options.add_option(Option(picker_label(row), id=row.person.ref))
        note = self.query_one("#walk-choose-note", Static)
        if not self.people:
            note.update(
                Text(
                    "Nobody to walk: nobody names you as their manager and you hold no "
                    "cases. The Caseload screen (t) shows your hub."
                )
            )
        else:
            app: Any = self.app
            me = app.session.me
            words = "Whose cases? ↑↓ to choose, Enter to start the walk."
            if not (me and me.is_manager):
                words = "You manage nobody: your own cases only. Enter to start the walk."
            note.update(Text(words))
            first = next((i for i, r in enumerate(self.people) if r.person.ref != message.me), 0)
            options.highlighted = first
        self._title()

    @on(OptionList.OptionSelected, "#walk-people")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.start(event.option.id)

    def start(self, practitioner: str) -> None:
        self.practitioner = practitioner
        self.page = "loading"
        self._title()
        self.load_walk(practitioner)

    # ------------------------------------------------------------------ walking
    @on(WalkLoaded)
    def _walk_loaded(self, message: WalkLoaded) -> None:
        if message.practitioner != self.practitioner:
            return
        self.practitioner_name = message.name
        kinds = {v for _, v, _ in KIND_OPTIONS}
        for episode, draft in message.drafts.items():
            words = str(draft.payload.get("words") or "")
            kind = str(draft.payload.get("kind") or "")
            if not words.strip() or episode in self.typed:
                continue  # typed in this sitting since: that stands (and is being kept)
            kind = kind if kind in kinds else KIND_OPTIONS[0][1]
            self.typed[episode] = self.stored[episode] = (kind, words)
            self.drafted_at[episode] = draft.updated_at
        if self.page == "loading":
            self.cases = message.cases
            self.index = 0
            if self.cases:
                self.show_case(0)
            else:
                self.show_end()
        else:  # coming back after a save elsewhere: fresh data, the sitting's order kept
            self._refresh_cases(message.cases)

    def _refresh_cases(self, fresh: list[WalkCase]) -> None:
        by_ref = {c.episode: c for c in fresh}
        kept = [by_ref.get(c.episode, c) for c in self.cases]
        known = {c.episode for c in kept}
        self.cases = kept + [c for c in fresh if c.episode not in known]
        if self.page == "case":
            self._paint_case()

    @property
    def current(self) -> WalkCase | None:
        if self.page == "case" and 0 <= self.index < len(self.cases):
            return self.cases[self.index]
        return None

    @property
    def current_episode(self) -> str | None:
        """The episode on show: the palette's recording entries act on it."""
        case = self.current
        return case.episode if case else None

    def _keep_typed(self) -> None:
        case = self.current
        if case is None:
            return
        kind = self.query_one("#walk-kind", KeyChoice).form_value or KIND_OPTIONS[0][1]
        words = self.query_one("#walk-decision", TextArea).text
        if words.strip():
            self.typed[case.episode] = (kind, words)
        else:
            self.typed.pop(case.episode, None)

    def show_case(self, index: int, *, write: bool | None = None) -> None:
        """Show case ``index``. The cursor goes to the decision when ``write``; by
        default it stays where it was: writing, or stepping through (n, p)."""
        if write is None:
            write = self.page != "case" or not isinstance(self.focused, CasePage)
        self._keep_typed()
        self._flush_draft()
        self.page = "case"
        self.index = index
        self.query_one(ContentSwitcher).current = "walk-case"
        case = self.cases[index]
        kind, words = self.typed.get(case.episode, (KIND_OPTIONS[0][1], ""))
        self.query_one("#walk-kind", KeyChoice).form_value = kind
        area = self.query_one("#walk-decision", TextArea)
        area.text = words
        area.move_cursor(area.document.end)
        self._status("")
        if words and case.episode in self.drafted_at:
            self._status(
                f"Your draft from {when(self.drafted_at[case.episode])} is back: carry on, "
                "ctrl+s to record it."
            )
        self._paint_case()
        page = self.query_one("#walk-left", CasePage)
        page.scroll_home(animate=False)
        (area if write else page).focus()

    def _paint_case(self) -> None:
        case = self.current
        if case is None:
            return
        self.query_one("#walk-summary", Static).update(summary_line(case))
        clocks = self.query_one("#walk-clocks", Static)
        clocks.border_title = f"Clocks running ({len(case.clocks)})"
        clocks.update(clocks_table(case))
        findings = self.query_one("#walk-findings", Static)
        findings.border_title = f"Findings ({len(case.findings)})"
        findings.update(walk_findings_table(case.findings))
        self.query_one("#walk-last", Static).update(last_decision_text(case))
        self._title()

    def show_end(self) -> None:
        self._keep_typed()
        self._flush_draft()
        self.page = "end"
        self.query_one(ContentSwitcher).current = "walk-end"
        self.query_one("#walk-summary-text", Static).update(Text(self.summary_text()))
        keys = "ctrl+e or x: export to a text file · p or PgUp: back to the last case · esc: leave"
        if not self.cases:
            keys = "esc: leave"
        elif not self.decisions:
            keys = "p or PgUp: back to the last case · esc: leave"
        self.query_one("#walk-end-keys", Static).update(Text(keys))
        self.query_one("#walk-end", VerticalScroll).focus()
        self._title()

    def summary_text(self) -> str:
        from ehtui.caseload import walk_summary_text

        app: Any = self.app
        me = app.session.me
        if not self.cases:
            return f"{self.practitioner_name} holds no open episodes: nothing to walk through.\n"
        return walk_summary_text(
            self.decisions,
            practitioner=self.practitioner_name,
            supervisor=me.name if me else None,
        )

    def _title(self) -> None:
        self.refresh_bindings()
        name = self.practitioner_name
        n = len(self.decisions)
        made = f"{n} decision{'s' if n != 1 else ''} recorded"
        if self.page == "choose":
            text = "Supervision walk · choose a practitioner"
        elif self.page == "loading":
            text = f"Supervision walk · {name} · loading…"
        elif self.page == "case":
            text = (
                f"Supervision walk · {name} · case {self.index + 1} of {len(self.cases)} · {made}"
            )
        else:
            text = f"Supervision walk · {name} · summary of this sitting · {made}"
        self.query_one("#walk-title", Static).update(Text(safe_text(text)))

    def _status(self, words: str, *, error: bool = False) -> None:
        status = self.query_one("#walk-status", Static)
        status.update(Text(words))
        status.set_class(error, "-error")

    # ------------------------------------------------------------------ recording
    @on(Recorded)
    def _recorded(self, message: Recorded) -> None:
        self.saving = False
        made = message.decision
        self.decisions.append(made)
        self.typed.pop(made.episode, None)
        self.stored.pop(made.episode, None)  # the record's worker threw the draft away
        self.drafted_at.pop(made.episode, None)
        self._refresh_cases(message.cases)
        app: Any = self.app
        app.changed(made.episode)
        self._stale = False  # (changed() told this screen too: the walk is fresh already)
        if self.current is not None and self.current.episode == made.episode:
            self.query_one("#walk-decision", TextArea).text = ""
            position = self.index
        else:
            position = next(
                (i for i, c in enumerate(self.cases) if c.episode == made.episode), self.index
            )
        self.notify(
            f"Recorded for the {safe_text(made.family_name)} family ({made.episode}).",
            markup=False,
        )
        if position + 1 < len(self.cases):
            self.show_case(position + 1, write=True)
        else:
            self.show_end()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.saving = False
        if self.current is not None and self.current.episode == message.episode:
            self._status("Not recorded: " + "; ".join(message.problems), error=True)
        else:
            self.notify("Not recorded: " + "; ".join(message.problems), severity="error")

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each page's keys only: the footer shows what works here."""
        if action in ("record", "write", "open_case", "end"):
            return self.page == "case"
        if action == "step":
            return self.page == "case" or (self.page == "end" and bool(self.cases))
        if action == "export":
            return self.page == "end" and bool(self.cases)
        return True

    def action_record(self) -> None:
        case = self.current
        if case is None or self.saving:
            return
        words = self.query_one("#walk-decision", TextArea).text
        if not words.strip():
            self._status("Write the decision first (or PgDn to move on without one).", error=True)
            self.query_one("#walk-decision", TextArea).focus()
            return
        kind = self.query_one("#walk-kind", KeyChoice).form_value or KIND_OPTIONS[0][1]
        self.saving = True
        if self._draft_timer is not None:  # the record's worker throws the draft away
            self._draft_timer.stop()
            self._draft_timer = None
        self._status("Recording…")
        self.record(case.episode, kind, words)

    def action_step(self, step: int) -> None:
        if self.page == "case":
            target = self.index + step
            if target >= len(self.cases):
                self.show_end()
            elif target >= 0:
                self.show_case(target)
        elif self.page == "end" and step < 0 and self.cases:
            self.show_case(len(self.cases) - 1)

    def action_write(self) -> None:
        if self.page == "case":
            self.query_one("#walk-decision", TextArea).focus()

    def action_end(self) -> None:
        if self.page in ("case", "end"):
            self.show_end()

    def action_open_case(self) -> None:
        case = self.current
        if case is None:
            return
        app: Any = self.app
        if app.is_screen_installed("case") and app.get_screen("case") in app.screen_stack:
            self.notify(
                "A case view is open under this walk: opening another would close the walk.",
                markup=False,
            )
            return
        self._keep_typed()
        self._flush_draft()
        app.open_case(case.episode)

    def action_export(self) -> None:
        if not self.decisions:
            self.notify("No decision recorded in this sitting yet: nothing to export.")
            return
        from ehtui.paths import data_dir

        app: Any = self.app
        text = self.summary_text()
        try:
            path = write_summary(
                data_dir() / "supervision", self.practitioner or "walk", app.ctx.now(), text
            )
        except OSError as failed:
            self.notify(f"Could not write the summary: {failed}", severity="error", markup=False)
            return
        self.exported = len(self.decisions)
        self.last_export = path
        self.notify(f"Summary written to {path}", markup=False, timeout=10)

    def action_back(self) -> None:
        if self.page == "case" and isinstance(self.focused, TextArea | KeyChoice):
            self.query_one("#walk-left", CasePage).focus()
            return
        if self.decisions and self.exported < len(self.decisions) and not self._leaving:
            self._leaving = True
            self.show_end()
            self.notify(
                "The summary of this sitting is not exported: ctrl+e or x to export it, "
                "esc again to leave without it.",
                markup=False,
            )
            return
        self._keep_typed()
        self._flush_draft()
        self.app.pop_screen()

    # ------------------------------------------------------------------ drafts
    @on(TextArea.Changed, "#walk-decision")
    @on(KeyChoice.Changed, "#walk-kind")
    def _decision_changed(self) -> None:
        """Typing: the draft is written a moment after the last change."""
        if self.current is None or self.saving:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft, name="walk-draft")

    def _flush_draft(self) -> None:
        """Keep what the decision box holds for the case on show as its draft (none
        when the box is empty), now, if it differs from the draft kept."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        case = self.current
        if case is None or self.saving:
            return
        try:
            kind = self.query_one("#walk-kind", KeyChoice).form_value or KIND_OPTIONS[0][1]
            words = self.query_one("#walk-decision", TextArea).text
        except NoMatches:  # already taken down: the last kept draft stands
            return
        value = draft_value(kind, words)
        if value == self.stored.get(case.episode):
            return
        from ehtui.drafts import discard_draft, save_draft

        app: Any = self.app
        engine = app.session.engine
        user = app.session.me.ref if app.session.me else None
        if value is None:
            self.stored.pop(case.episode, None)
            self.drafted_at.pop(case.episode, None)
            job = partial(discard_draft, engine, form=WALK_FORM, target=case.episode, user=user)
        else:
            self.stored[case.episode] = value
            payload = {"kind": value[0], "words": value[1]}
            job = partial(
                save_draft, engine, form=WALK_FORM, target=case.episode, user=user, payload=payload
            )
        # The app's worker, not the screen's: the screen may be closing.
        app.run_worker(job, thread=True, exit_on_error=False, group="walk-draft")

    def on_unmount(self) -> None:
        """Left the walk some other way than escape: what is typed is kept all the same."""
        self._flush_draft()

    # ------------------------------------------------------------------ elsewhere
    def reload_after_save(self, episode: str | None) -> None:
        """Something was recorded elsewhere (a case view opened from here): the walk's
        findings are worked out again on coming back."""
        if self.practitioner is not None and (
            episode is None or any(c.episode == episode for c in self.cases)
        ):
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale and self.practitioner is not None:
            self._stale = False
            self.load_walk(self.practitioner)
