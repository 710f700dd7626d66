"""Record supervision (§26): the kind of oversight, when, and the decision, in a few keys.

``s`` in the case view opens it with supervision chosen and "now" as the moment;
the focus goes to the decision; ctrl+s saves. The episode's earlier oversight is
listed beside the form, newest first.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TextArea

from ehtui.recording.oversight import KIND_KEYS
from ehtui.vocab import OversightKind, label
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.form import FieldRow


def open_oversight(app: Any, episode: str) -> None:
    app.push_screen(OversightScreen(episode))


class OversightScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "oversight.tcss"]
    FORM = "oversight"
    SAVED_WORDS = "Oversight recorded."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
Record management oversight of this episode (§26.1): supervision is chosen; press
another kind's key for systemic group supervision (g), a team meeting (t), a virtual
consultation (v), a Hub Panel decision (p), a desk discussion (k), a duty manager
consultation (d), a TAF decision (f), the Transfer/Allocation meeting's outcome (a,
§12.10) or QA sign-off (q). Only supervision and group supervision meet the monthly
supervision clock (SUPERVISION-MONTHLY). A Return Home Interview's manager QA, which
RHI-72H counts, is recorded with its time in Case milestones (k). Then when (now, or
e.g. "yesterday 14:00") and the decision. ctrl+s saves."""

    def title_text(self) -> str:
        return f"Record supervision · episode {self.target}"

    def fields(self) -> ComposeResult:
        kinds = [(k, str(v), v.label) for k, v in KIND_KEYS.items()]
        yield FieldRow(
            "kind", "Kind", KeyChoice(kinds, str(OversightKind.SUPERVISION), id="f-kind")
        )
        yield FieldRow("at", "When", Input("now", id="f-at"), hint="now, 14:30, 19/11/2026 14:30")
        yield FieldRow(
            "decision",
            "Decision",
            TextArea(id="f-decision"),
            hint="What was decided: what happens next, by whom, by when",
        )

    def side(self) -> ComposeResult:
        yield Static("Oversight so far, newest first", classes="section")
        yield DataTable(id="oversights", cursor_type="none", zebra_stripes=True)

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts

        return episode_facts(self._engine, self.target, self.now)

    def on_context(self, context: Any) -> None:
        if context is None:
            self.status(self.no_episode_words)
            return
        table: DataTable[Any] = self.query_one("#oversights", DataTable)
        table.clear(columns=True)
        table.add_columns("When", "Kind")
        for record in sorted(context.snap.oversights, key=lambda o: o.at, reverse=True):
            table.add_row(f"{record.at:%a %d %b %Y}", label(OversightKind, record.kind))

    def focus_first(self) -> None:
        """Supervision, now: the decision is what is left to write."""
        self.query_one("#f-decision", TextArea).focus()

    @on(KeyChoice.Changed, "#f-kind")
    def _kind_chosen(self) -> None:
        self.call_after_refresh(self.query_one("#f-decision", TextArea).focus)

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.oversight import check_oversight

        if self.context is None:
            return self.no_episode()
        return check_oversight(values, self.context, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.recording.oversight import save_oversight

        return save_oversight(
            self._engine, user=self._user or "", episode=self.target, values=values, now=self.now
        )
