"""TAF meeting: the initial TAF or a review, with the plan's actions carried forward.

``m`` in the case view opens it: initial when no TAF has been held, else review;
"now"; the agencies of the last meeting (or the family's); the last meeting's
open actions, one per line (``what | who | by when | status | progress``) with
their last progress to update; RADAR and the family's feedback, the agreed
contact frequency, the decision and a note. Beside the form: the plan as the last
meeting left it, the meetings held, when the next is due, and at the 2nd review
the prompt to consider transferring the Lead Professional role (§6.4).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TextArea

from ehtui.recording.taf import DECISION_KEYS
from ehtui.vocab import TafDecision, TafKind, label
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.form import FieldRow, write_value

ACTIONS_HINT = "One per line: what | who | by when | status (open, done, dropped) | progress"


def open_taf(app: Any, episode: str) -> None:
    app.push_screen(TafScreen(episode))


class TafScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "taf.tcss"]
    FORM = "taf"
    SAVED_WORDS = "TAF meeting saved."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
Record a Team Around the Family meeting, on an EHA or a step-down EHA (a Universal
Plus episode needs no TAF, §21.2). The first is the initial TAF, due within 10
working days of the EHA's completion (§5.8; §6.4 says "10 days": working days are
used); then a review at least every 12 weeks (§7.3). Meetings are recorded in date
order: none before the last one held. The plan's actions are typed one per line as
"what | who | by when | status | progress" (the progress note is optional) and
carried to the next meeting while open, with their last progress for you to update;
done or dropped actions are not carried. Beside the form: the plan as the last
meeting left it. A by-when may not be before the referral; a new open action may not
be due before the meeting (a carried action may be overdue). RADAR feedback (§27.2):
y gathered (then say what the family's feedback was, in your words: the RADAR review
points are not defined) or n not gathered. The contact frequency agreed in the plan
(§9.4) replaces the phased guide for this episode; left blank, the episode's agreed
frequency is not changed. The decision: c continue, a plan achieved (ratifies the
plan: needed to close as "plan completed"), f further need, u step up, l transfer
the LP role to a community professional (considered at the 2nd review, §6.4).
ctrl+s saves."""

    def title_text(self) -> str:
        return f"TAF meeting · episode {self.target}"

    def fields(self) -> ComposeResult:
        kinds = [("i", str(TafKind.INITIAL), TafKind.INITIAL.label)]
        kinds.append(("r", str(TafKind.REVIEW), TafKind.REVIEW.label))
        decisions = [(k, str(d), d.label) for k, d in DECISION_KEYS.items()]
        yield FieldRow("kind", "Meeting", KeyChoice(kinds, id="f-kind"))
        yield FieldRow("at", "When", Input("now", id="f-at"), hint="now, 10:00, 19/11/2026 10:00")
        yield FieldRow(
            "agencies",
            "Agencies attending",
            Input(id="f-agencies"),
            hint="Separated by commas: School, Health Visitor, ...",
        )
        yield FieldRow("actions", "Plan actions", TextArea(id="f-actions"), hint=ACTIONS_HINT)
        yield FieldRow(
            "radar",
            "RADAR feedback",
            KeyChoice([("y", "yes", "Gathered"), ("n", "no", "Not gathered")], "no", id="f-radar"),
        )
        yield FieldRow(
            "radar_feedback",
            "What the family said",
            TextArea(id="f-radar-feedback"),
            hint="The family's RADAR feedback, when gathered (§27.2)",
        )
        yield FieldRow(
            "agreed",
            "Contacts agreed",
            Input(id="f-agreed"),
            hint="Per 4 weeks, as the plan agrees (§9.4); blank: no change",
        )
        yield FieldRow("decision", "Decision", KeyChoice(decisions, id="f-decision"))
        yield FieldRow("note", "Note", TextArea(id="f-note"))

    def side(self) -> ComposeResult:
        yield Static("The plan so far", classes="section")
        yield Static("", id="taf-plan")
        yield Static("TAF meetings held", classes="section")
        yield DataTable(id="meetings", cursor_type="none", zebra_stripes=True)
        yield Static("", id="taf-next")

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts
        from ehtui.recording.taf import agencies_to_ask, meetings
        from ehtui.rules import upcoming

        app: Any = self.app
        facts = episode_facts(self._engine, self.target, self.now)
        held = meetings(self._engine, self.target)
        running = upcoming(facts.snap, self.now, app.session.settings.table) if facts else []
        due = next((f for f in running if f.rule in ("TAF-INITIAL-10WD", "TAF-REVIEW-12W")), None)
        agencies = agencies_to_ask(self._engine, facts, held) if facts else []
        return facts, held, due, agencies

    def on_context(self, context: Any) -> None:
        from ehtui.recording.taf import carried_actions, plan_so_far, review_number

        facts, held, due, agencies = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        kind = TafKind.REVIEW if held else TafKind.INITIAL
        self.query_one("#f-kind", KeyChoice).form_value = str(kind)
        write_value(self.query_one("#f-agencies", Input), ", ".join(agencies))
        write_value(self.query_one("#f-actions", TextArea), carried_actions(held))
        if facts.snap.agreed_contacts_per_4_weeks is not None:
            write_value(
                self.query_one("#f-agreed", Input), str(facts.snap.agreed_contacts_per_4_weeks)
            )
        self.query_one("#taf-plan", Static).update(Text(plan_so_far(held)))
        table: DataTable[Any] = self.query_one("#meetings", DataTable)
        table.clear(columns=True)
        table.add_columns("When", "Meeting", "RADAR", "Decision")
        for meeting in reversed(held):
            table.add_row(
                f"{meeting.at:%a %d %b %Y}",
                label(TafKind, meeting.kind),
                "yes" if meeting.radar_completed else "no",
                Text(label(TafDecision, meeting.decision)),
            )
        lines = []
        if due is not None:
            late = ": overdue" if str(due.state) == "overdue" else ""
            lines.append(f"Next meeting due {due.due:%a %d %b %Y} ({due.rule}){late}.")
        if held and review_number(held) == 2:
            lines.append(
                "This is the 2nd review: consider transferring the Lead Professional role to "
                "a community professional (§6.4): decision l."
            )
        self.query_one("#taf-next", Static).update(Text("\n".join(lines)))

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.taf import check_taf

        if self.context is None or self.context[0] is None:
            return self.no_episode()
        facts, held, _due, _agencies = self.context
        return check_taf(values, facts, held, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.recording.taf import save_taf

        return save_taf(
            self._engine, user=self._user or "", episode=self.target, values=values, now=self.now
        )
