"""The case view: the family, every clock, the voice of the child, findings, contacts.

Everything shown is what :func:`ehtui.store.case_view` gathered and the engine
computed; this screen only lays it out. User text is plain text, never markup.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ehtui.calendar import format_day
from ehtui.rules.completeness import missing_child_fields, missing_family_fields
from ehtui.rules.routing import next_panel, next_transfer_meeting, step_up_route
from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from ehtui.vocab import ContactMethod, EpisodeType, Outcome, Relationship
from widgets.badge import badge, state_badge


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_day(value.date())} {value:%H:%M}"
    return format_day(value)


def label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def plain(value: Any) -> Text:
    return Text(safe_text("" if value is None else str(value)))


class CaseScreen(Screen[None]):
    CSS_PATH = "case.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back to the tray", id="case.back"),
        Binding("r", "refresh", "Refresh", id="case.refresh"),
        Binding("a", "history", "Audit history", id="case.history"),
    ]

    def __init__(self, episode: str) -> None:
        super().__init__()
        self.episode = episode
        self.view: CaseView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Case {self.episode} · loading…", id="case-title", classes="title")
        with VerticalScroll(id="case-body"):
            with Horizontal(classes="row"):
                yield Static(id="family", classes="panel")
                yield Static(id="episode", classes="panel")
            with Horizontal(classes="row"):
                yield Static(id="timeline", classes="panel")
                yield Static(id="voice", classes="panel")
            yield Static(id="findings", classes="panel wide")
            with Horizontal(classes="row"):
                yield Static(id="demographics", classes="panel")
                yield Static(id="meetings", classes="panel")
            yield Static(id="contacts", classes="panel wide")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def load(self) -> None:
        from ehtui.store import case_view

        app: Any = self.app
        view = case_view(
            app.session.engine, self.episode, app.ctx.now(), app.session.settings.table
        )
        self.app.call_from_thread(self.show, view)

    def show(self, view: CaseView | None) -> None:
        if view is None:
            self.query_one("#case-title", Static).update(f"No open episode {self.episode}")
            return
        self.view = view
        app: Any = self.app
        now = app.ctx.now()
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
        self.query_one("#family", Static).update(self._family(view))
        self.query_one("#episode", Static).update(self._episode(view))
        self.query_one("#timeline", Static).update(self._timeline(view))
        self.query_one("#voice", Static).update(self._voice(view))
        self.query_one("#findings", Static).update(self._findings(view))
        self.query_one("#demographics", Static).update(self._demographics(view, now))
        self.query_one("#meetings", Static).update(self._meetings(view, now))
        self.query_one("#contacts", Static).update(self._contacts(view))

    # ------------------------------------------------------------------ panels
    @staticmethod
    def _panel(title: str, *body: Any) -> Group:
        return Group(Text(title, style="bold"), *body)

    def _family(self, v: CaseView) -> Group:
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        for col in ("Name", "Who", "Age", "School", "Language", "Interpreter"):
            t.add_column(col)
        for m in v.members:
            interp = (
                "" if m.interpreter_needed is None else ("yes" if m.interpreter_needed else "no")
            )
            name = plain(m.name)
            if m.in_episode:
                name.stylize("bold")
            t.add_row(
                name,
                label(Relationship, m.relationship),
                "" if m.age is None else str(m.age),
                plain(m.school),
                plain(m.language),
                interp,
            )
        contact = " · ".join(safe_text(x) for x in (v.address, v.phone, v.email) if x)
        return self._panel(
            f"Family: {safe_text(v.family_name)}",
            Text(contact or "No address or phone"),
            t,
            Text(f"Agencies: {', '.join(v.agencies) or 'none recorded'}"),
        )

    def _episode(self, v: CaseView) -> Group:
        ep = v.episode
        lines = [
            ("Referral received", when(ep.referral_received)),
            ("Allocated", when(ep.allocated) or "not yet (group tray)"),
            ("Source", ep.source.replace("_", " ")),
            ("Engagement confirmed", when(ep.engagement_confirmed) or "not recorded"),
            ("EHA completed", when(ep.eha_completed) or "not yet"),
        ]
        if ep.disposal:
            lines.append(("Disposal", ep.disposal.replace("_", " ")))
        if ep.sessions_delivered is not None:
            lines.append(("Sessions delivered", str(ep.sessions_delivered)))
        if ep.extension_approved_until:
            lines.append(("Extension approved until", when(ep.extension_approved_until)))
        if ep.closed:
            lines.append(("Closed", f"{when(ep.closed)} ({ep.closure_reason or 'no reason'})"))
        lead = v.lead
        if lead:
            lines.append(("Lead Professional", f"{safe_text(lead.name)} ({lead.role_label})"))
        t = Table(box=None, show_header=False, pad_edge=False)
        t.add_column(style="dim")
        t.add_column()
        for k, val in lines:
            t.add_row(k, val)
        return self._panel("Episode", t)

    def _timeline(self, v: CaseView) -> Group:
        t = Table(box=None, show_header=False, pad_edge=False, expand=True)
        t.add_column(width=14)
        t.add_column()
        t.add_column(style="dim")
        for ev in v.timeline:
            t.add_row(state_badge(ev.state), Text(ev.label), when(ev.when))
        return self._panel("Milestones and clocks", t)

    def _voice(self, v: CaseView) -> Group:
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        for col in ("Child", "Last heard", "Next due", "State"):
            t.add_column(col)
        voices = v.episode.voices
        running = {f.child: f for f in v.running if f.rule == "VOC-4W"}
        for child in v.episode.children:
            heard = [x.at for x in voices if x.child == child.ref]
            nxt = running.get(child.ref)
            t.add_row(
                plain(child.first_name),
                when(heard[-1]) if heard else "never",
                when(nxt.due) if nxt else "",
                state_badge(str(nxt.state)) if nxt else "",
            )
        return self._panel("Voice of the child (every 4 weeks)", t)

    def _findings(self, v: CaseView) -> Group:
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        for col in ("State", "Rule", "Section", "Due", "What"):
            t.add_column(col)
        shown = [f for f in v.findings if f.episode == v.episode.ref]
        for f in shown:
            t.add_row(state_badge(str(f.state)), f.rule, f.section, when(f.due), plain(f.message))
        if not shown:
            t.add_row("", "", "", "", Text("Nothing outstanding: every clock is on track."))
        return self._panel(f"Findings ({len(shown)})", t)

    def _demographics(self, v: CaseView, now: datetime) -> Group:
        lines: list[Text] = []
        for child in v.episode.children:
            gaps = missing_child_fields(child, now.date())
            mark = Text("✓ ", style="green") if not gaps else Text("✗ ", style="red")
            lines.append(
                Text.assemble(
                    mark,
                    safe_text(child.first_name),
                    ": ",
                    "complete" if not gaps else "missing " + ", ".join(gaps),
                )
            )
        gaps = missing_family_fields(v.episode)
        mark = Text("✓ ", style="green") if not gaps else Text("✗ ", style="red")
        lines.append(
            Text.assemble(
                mark, "Family: ", "complete" if not gaps else "missing " + ", ".join(gaps)
            )
        )
        docs = [
            ("case summary", v.episode.doc_case_summary),
            ("chronology", v.episode.doc_chronology),
            ("genogram", v.episode.doc_genogram),
        ]
        lines.append(
            Text("Documents: " + ", ".join(f"{'✓' if ok else '✗'} {name}" for name, ok in docs))
        )
        return self._panel("Demographics checklist (§6.2, §24.2)", *lines)

    def _meetings(self, v: CaseView, now: datetime) -> Group:
        team, closed = v.last_csc_closure
        route = step_up_route(team, closed, now.date())
        transfer = next_transfer_meeting(now)
        return self._panel(
            "Panel, transfer and step-up",
            Text(f"Next Hub Panel: {format_day(next_panel(now))} (Tuesday morning)"),
            Text(transfer.describe()),
            Text(f"A step-up would go to {route.destination}: {route.reason}"),
        )

    def _contacts(self, v: CaseView) -> Group:
        t = Table(box=None, show_header=True, pad_edge=False, expand=True)
        for col in ("When", "Method", "Outcome", "Note"):
            t.add_column(col)
        for c in v.contacts:
            note = safe_text(c.note)[:120]
            t.add_row(
                when(c.at),
                label(ContactMethod, c.method),
                label(Outcome, c.outcome),
                Text(("[draft] " if c.draft else "") + note),
            )
        if not v.contacts:
            t.add_row("", "", "", Text("No contacts yet"))
        return self._panel("Last contacts", t)

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_history(self) -> None:
        from screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.episode))
