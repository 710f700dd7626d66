"""The case view: the family, every clock, the voice of the child, findings, contacts.

Everything shown is what :func:`ehtui.store.case_view` gathered and the engine
computed (one scoped load and a few queries, in a worker); the widgets only lay
it out. User text is plain text, never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from ehtui.vocab import EpisodeType, label
from screens.catalogue import CASE_ACTIONS, bindings, case_action
from screens.styled_once import StyledOnceScreen
from widgets.badge import badge
from widgets.contacts import ContactsPanel
from widgets.dates import when
from widgets.demographics import DemographicsChecklist
from widgets.episode import EpisodePanel
from widgets.family import FamilyPanel
from widgets.findings import FindingsList
from widgets.footer import Footer
from widgets.meetings import MeetingsPanel
from widgets.panel import Panel
from widgets.timeline import MilestoneTimeline
from widgets.voice import VoicePanel

NARROW_BELOW = 110  # columns


class CaseScreen(StyledOnceScreen):
    CSS_PATH = "case.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="case.back"),
        Binding("r", "refresh", "Refresh", id="case.refresh", show=False),
        Binding("a", "history", "History", id="case.history"),
        Binding("f", "jump('findings')", "Findings", id="case.findings", show=False),
        Binding("t", "jump('timeline')", "Milestones", id="case.timeline", show=False),
        Binding("c", "jump('contacts')", "Contacts", id="case.contacts", show=False),
        Binding("home", "jump('family')", "Top", id="case.top", show=False),
        *bindings("case", CASE_ACTIONS),
    ]
    HELP = """\
One episode. The title shows its status on the work tray. The panels: the
family (children in bold, with ages, school, language and interpreter need);
the episode (dates, Lead Professional, hub); the milestone timeline (what
happened, then every clock still running with its due date); the voice of the
child per child; the findings of the protocol engine with rule ID and section;
the demographics checklist (what is missing); the next Hub Panel and Transfer
meeting (with its Tuesday-noon agenda cut-off); the last contacts.
Symbols: ✓ done, · met late, → running, ◷ due soon, ! overdue, ? missing,
▲ over a limit, i advice."""

    class Loaded(Message):
        def __init__(self, view: CaseView | None, drafts: list[Any] | None = None) -> None:
            super().__init__()
            self.view = view
            self.drafts = drafts or []

    def __init__(self, episode: str = "") -> None:
        """``episode`` is shown once mounted; "" builds the view empty, ahead of the first
        case opened (the app does so while idle), and :meth:`show_episode` fills it."""
        super().__init__()
        self.episode = episode
        self.view: CaseView | None = None
        self._drafts: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Case {self.episode} · loading…", id="case-title", classes="title")
        yield Static("", id="case-drafts")
        with VerticalScroll(id="case-body"):
            with Horizontal(classes="row"):
                yield FamilyPanel(id="family")
                yield EpisodePanel(id="episode", classes="side")
            with Horizontal(classes="row"):
                yield MilestoneTimeline(id="timeline")
                with Vertical(classes="side"):
                    yield VoicePanel(id="voice")
                    yield DemographicsChecklist(id="demographics")
            yield FindingsList(id="findings")
            yield MeetingsPanel(id="meetings")
            yield ContactsPanel(id="contacts")
        yield Footer()

    def show_episode(self, episode: str) -> None:
        """Show another episode in this (kept) case view: nothing of the last one stays."""
        self.episode = episode
        self.view = None
        self._fit(self.app.size.width)  # built ahead, or last shown, at another width
        self.query_one("#case-body").scroll_home(animate=False)
        self.query_one("#case-body").focus()
        if not self._show_ahead():
            self.query_one("#case-title", Static).update(f"Case {episode} · loading…")
            self._show_drafts([])
            for panel in self.query(Panel):
                panel.clear()
        self.load()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        if not self.episode:  # built ahead: nothing to show until a case is opened
            ahead = getattr(self.app, "drawn_ahead", None)
            if ahead:  # but the tray's highlighted case can be drawn ahead already
                self.call_after_refresh(self.prepare, ahead)
            return
        self.query_one("#case-body").focus()
        self._show_ahead()
        self.load()

    def prepare(self, episode: str) -> None:
        """Draw the panels of ``episode``, read ahead, while this view is off the screen
        (the highlight rests on its tray row): opening it then only places them. The view
        is laid out first if it never was (built ahead, no case opened yet)."""
        app: Any = self.app
        ahead = app.case_ahead.get(episode)
        if ahead is None or ahead.view is None or self in app.screen_stack:
            return
        panels = list(self.query(Panel))
        if panels and panels[0].content_region.width <= 0:
            self._fit(app.size.width)
            lay_out = getattr(self, "_refresh_layout", None)  # Textual's own, private
            if lay_out is None:
                return
            lay_out(app.size)
        for panel in panels:
            panel.prepare(ahead.view)

    def _show_ahead(self) -> bool:
        """Draw the case at once when it was read ahead (the load that follows checks it)."""
        app: Any = self.app
        ahead = app.case_ahead.get(self.episode)
        if ahead is None or ahead.view is None:
            return False
        if self.view is None:  # the fresh read did not come first
            self._show(ahead.view, ahead.drafts)
        return True

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Below 110 columns the panels stack in one column (case.tcss's ``.narrow``)."""
        self.set_class(width < NARROW_BELOW, "narrow")

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def load(self) -> None:
        app: Any = self.app
        session = app.session
        me = session.me.ref if session.me else None
        ahead = app.case_ahead.read(
            session.engine, self.episode, app.ctx.now(), session.settings.table, me
        )
        self.post_message(self.Loaded(ahead.view, ahead.drafts))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        view = message.view
        if view is None:
            self.query_one("#case-title", Static).update(
                Text(f"No episode {safe_text(self.episode)} in this store")
            )
            return
        if view.episode.ref != self.episode:
            return  # read for a case no longer on show
        if view == self.view and message.drafts == self._drafts:
            return  # as drawn from what was read ahead: nothing to repaint
        self._show(view, message.drafts)

    def _show(self, view: CaseView, drafts: list[Any]) -> None:
        self.view = view
        self._drafts = drafts
        ep = view.episode
        title = Text.assemble(
            badge(view.status),
            "  ",
            safe_text(view.family_name),
            " family · ",
            label(EpisodeType, ep.type),
            f" {ep.ref} · {ep.hub} hub · Lead Professional: ",
            safe_text(view.lead.name) if view.lead else "unallocated",
        )
        self.query_one("#case-title", Static).update(title)
        self._show_drafts(drafts)
        for panel in self.query(Panel):
            panel.show(view)

    def _show_drafts(self, drafts: list[Any]) -> None:
        """Forms left half-typed on this episode (closed, or the program killed): each
        with the key that takes you back to it."""
        line = self.query_one("#case-drafts", Static)
        waiting = []
        for draft in drafts:
            action = next((a for a in CASE_ACTIONS if a.form == draft.form), None)
            if action is not None:
                waiting.append(f"{action.name} ({when(draft.updated_at)}): {action.key}")
        line.update(Text("✎ Draft kept: " + "; ".join(waiting) + " to carry on") if waiting else "")
        line.display = bool(waiting)

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @property
    def current_episode(self) -> str:
        """The episode the palette's recording entries act on."""
        return self.episode

    def reload_after_save(self, episode: str | None) -> None:
        if episode is None or episode == self.episode:
            self.load()

    def action_run(self, action_id: str) -> None:
        """Open one of the catalogue's forms for this episode (Record contact, ...)."""
        case_action(action_id).run(self.app, self.episode)

    def action_jump(self, panel: str) -> None:
        self.query_one(f"#{panel}", Panel).scroll_visible(top=True, animate=False)

    def action_history(self) -> None:
        from screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.episode))
