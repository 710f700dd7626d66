"""Allocate: choose the Lead Professional for an episode, seeing each one's load.

From the hub's group tray (or any case: re-allocation), ``A`` in the case view or
"Allocate" in the palette. The hub's practitioners are listed lightest first with
their families against their cap, what is overdue and due soon on their trays;
up and down to choose, Enter (or ctrl+s) to allocate. The first allocation starts
the episode's clocks; a re-allocation keeps them running as they were.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ehtui.vocab import EpisodeType, label
from screens.form import FORM_CSS, RecordForm
from widgets.form import FieldRow


def open_allocate(app: Any, episode: str) -> None:
    app.push_screen(AllocateScreen(episode))


class LeadPicker(DataTable[Any]):
    """The practitioners, one per row; the highlighted one is the form's value."""

    @property
    def form_value(self) -> str | None:
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @form_value.setter
    def form_value(self, value: Any) -> None:
        try:
            self.move_cursor(row=self.get_row_index(str(value)))
        except Exception:  # not among the hub's practitioners: leave the cursor
            return


def load_text(row: Any) -> Text:
    """ "9 / 15" with a symbol, so it reads without colour: ▲ over the cap."""
    if row.cap is None:
        return Text(f"{row.families} (no cap)")
    over = row.families > row.cap
    shown = f"{row.families} / {row.cap:g}"
    return Text(f"▲ {shown}" if over else shown, style="bold red" if over else "")


class AllocateScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "allocate.tcss"]
    FORM = ""
    CHECKS = "ehtui.recording.allocation:check_allocation"
    SAVES = "ehtui.recording.allocation:allocate"
    SAVED_WORDS = "Allocated."
    BINDINGS = [Binding("ctrl+s", "save", "Allocate", id="form.save", priority=True)]
    HELP = """\
Allocate this episode to a Lead Professional (§15.3, §16.7, §21.3). The hub's
practitioners are listed lightest first: families held against their cap (15, an
Advanced Practitioner 10, a Supporting Families lead 4 LP families, pro rata FTE;
▲ over the cap), the cases overdue and due soon on their trays. Up and down choose;
Enter or ctrl+s allocates. The first allocation starts the clocks; re-allocating
keeps them as they were, and the audit trail keeps who held it before. For an OSR
case, the hub's OSR cases this week are shown against 3."""

    def title_text(self) -> str:
        return f"Allocate · episode {self.target}"

    def fields(self) -> ComposeResult:
        yield Static("", id="allocate-episode")
        yield FieldRow("lead", "Lead Professional", LeadPicker(id="f-lead", cursor_type="row"))

    def load_context(self) -> Any:
        from ehtui.recording.allocation import allocation_choice
        from ehtui.recording.facts import episode_facts

        app: Any = self.app
        facts = episode_facts(self._engine, self.target, self.now)
        if facts is None:
            return None, None
        return facts, allocation_choice(self._engine, facts, self.now, app.session.settings)

    def on_context(self, context: Any) -> None:
        facts, choice = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        table = self.query_one("#f-lead", LeadPicker)
        table.clear(columns=True)
        table.add_columns("Practitioner", "Role", "Families / cap", "Overdue", "Due soon")
        for row in choice.rows:
            table.add_row(
                Text(row.person.name),
                row.person.role_label,
                load_text(row),
                str(row.overdue_cases + row.critical_cases),
                str(row.due_soon_cases),
                key=row.person.ref,
            )
        ep = facts.snap
        lead = next((r.person.name for r in choice.rows if r.person.ref == ep.lead), ep.lead)
        lines = [
            f"{ep.family.name} family · {label(EpisodeType, ep.type)} · {ep.hub} hub",
            f"Referral received {ep.referral_received:%a %d %b %Y}",
            f"Lead Professional: {lead}"
            if ep.lead
            else "Not yet allocated: the clocks start when it is.",
        ]
        if choice.osr_week is not None:
            lines.append(f"OSR cases this week in {ep.hub}: {choice.osr_week.accepted_text}")
        self.query_one("#allocate-episode", Static).update(Text("\n".join(lines)))
        table.focus()

    @on(DataTable.RowSelected, "#f-lead")
    def _chosen(self) -> None:
        self.action_save()
