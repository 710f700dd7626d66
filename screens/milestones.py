"""Case milestones: the dates and counts kept on the episode, those that apply to its type.

``k`` in the case view opens it with what the episode holds now: for an EHA,
engagement confirmed, EHA completed and the case summary, chronology and genogram;
for a step-down EHA also the consultation and meeting and the extension the line
manager approved; for Universal Plus the extension approved until and the sessions;
for joint work the extension agreed and the sessions (beside them, the count against
its cap as the engine finds it); for out-of-court work the assessment completed;
for a Return Home Interview the interview held and the manager's QA (each with its
time); for an OSR case the 0-19 Request Form sent; for an EHA the contacts the plan
agrees per 4 weeks. Dates are typed as people type them ("today", "19/11", "today
14:30"); a blank is not recorded. The extension's bounds come from the rules table in
force (``app.session.settings.table``), for the hint and the check alike.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, Input, Static

from ehtui.recording.milestones import (
    MILESTONES,
    Milestone,
    applying,
    extension_words,
    session_caps,
)
from screens.form import FORM_CSS, RecordForm
from widgets.form import FieldRow, write_value

HINTS = {
    "done": "today, 19/11/2026; blank: not yet",
    "ahead": "The extension's last day; blank: not extended",
    "count": "A whole number; blank: not known",
    "flag": "",
    "when": "today, 19/11/2026, with the time if known (19/11 14:30); blank: not yet",
    "timed": "The date and time: today 14:30, 19/11 09:00 (RHI-72H counts hours)",
}
EXTENSION_HINTS = {
    "stepdown_extension_until": "The last day, approved by the line manager (§14.2)",
    "extension_approved_until": "The last day, approved in supervision (§21.2-21.4)",
    "joint_extension_until": "The last day, agreed at review (§16.3: sessions up to 12)",
}
NOT_EXTENDED = "blank: not extended"
FIELD_HINTS = {
    **{name: f"{words}; {NOT_EXTENDED}" for name, words in EXTENSION_HINTS.items()},
    "stepdown_consultation": "Before the transfer (§13.1): may predate the referral",
    "osr_request_form": "The day the 0-19 Request Form was sent (OSR §2.4); blank: not yet",
    "agreed_contacts_per_4_weeks": "Every 4 weeks, as the plan agrees (§9.4): 1 to 20",
}


def hint(m: Milestone) -> str:
    return FIELD_HINTS.get(m.field) or HINTS["timed" if m.timed else m.kind]


def open_milestones(app: Any, episode: str) -> None:
    app.push_screen(MilestonesScreen(episode))


class MilestonesScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "milestones.tcss"]
    FORM = "milestones"
    CHECKS = "ehtui.recording.milestones:check_milestones"
    SAVES = "ehtui.recording.milestones:save_milestones"
    SAVED_WORDS = "Milestones saved."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
The episode's milestones and counts. EHA: engagement confirmed (§6.1: the family's
consent to Early Help and information sharing), EHA completed (within 6 weeks of
allocation, on or after engagement confirmed), and the case summary, chronology and
genogram on file (§24.1, by the initial TAF). Step-down EHA: the consultation and the
step-down meeting (within 10 working days of it, §13.1; the meeting on or after the
consultation). Both come before the support transfers (§13.1, §13.4), so they may
predate the referral, never lie ahead. A step-down extension approved by the line
manager (§14.2) ends after the 6 months from allocation (an earlier date would
shorten the work) and moves STEPDOWN-6M's date to it. Universal Plus: the extension
approved until (after the 6 weeks, at most 12 weeks after allocation, §21.2-21.4).
Joint work: the extension agreed (§16.3), any day after allocation. These limits are
the rules table's (a settings file that changes them changes the check). Sessions
planned and delivered (Universal Plus and joint work: 6, or 12 extended, §15.1,
§16.3) are facts: more than the cap, or than planned, is recorded, and the side shows
the count against its cap (UP-SESSIONS-6, JOINT-6-SESSIONS) as you type. Out-of-court
work: the assessment completed (within 2 weeks of allocation, §18.4). Return Home
Interview: the interview held and the manager's QA, both within 72 hours of
allocation (§19.3), each with its time. An OSR case: the day the 0-19 Request Form
was sent (OSR §2.4). EHA and step-down EHA: the contacts the plan agrees per 4 weeks
(§9.4; blank, the phased guide's minimum applies). Space ticks a box. ctrl+s saves
what changed; the clocks move at once."""

    def title_text(self) -> str:
        return f"Case milestones · episode {self.target}"

    def fields(self) -> ComposeResult:
        for m in MILESTONES:
            control: Any = (
                Checkbox(m.label, id=f"f-{m.field}")
                if m.kind == "flag"
                else Input(id=f"f-{m.field}")
            )
            yield FieldRow(m.field, "" if m.kind == "flag" else m.label, control, hint=hint(m))

    def side(self) -> ComposeResult:
        yield Static("The clocks these meet", classes="section")
        yield Static("", id="milestone-clocks")
        yield Static("Sessions against their cap", classes="section sessions")
        yield Static("", id="session-caps", classes="sessions")

    @property
    def table(self) -> Any:
        """The rules in force (the settings file's numbers)."""
        app: Any = self.app
        return app.session.settings.table

    def core_options(self) -> dict[str, Any]:
        return {"table": self.table}

    @on(Input.Changed)
    def _show_caps(self) -> None:
        """The sessions typed against their cap, as the engine will find them."""
        facts = self.context[0] if self.context else None
        lines = session_caps(self.values(), facts, self.now, self.table) if facts else []
        for part in self.query(".sessions"):
            part.display = bool(lines)
        self.query_one("#session-caps", Static).update(Text("\n".join(lines)))

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts
        from ehtui.recording.milestones import current
        from ehtui.rules import upcoming

        facts = episode_facts(self._engine, self.target, self.now)
        if facts is None:
            return None, {}, []
        values = current(self._engine, self.target, facts.snap.type, facts.snap.source)
        running = upcoming(facts.snap, self.now, self.table)
        return facts, values, running

    def on_context(self, context: Any) -> None:
        facts, values, running = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        shown = {m.field for m in applying(facts.snap.type, facts.snap.source)}
        for name, row in self.rows.items():
            row.display = name in shown
            if name in values:
                write_value(row.control, values[name])
        if not shown:
            self.status("No milestones are kept for this type of episode.")
        lines = [f"{f.rule}: {f.message}" for f in running] or ["No clock is running."]
        self.query_one("#milestone-clocks", Static).update(Text("\n".join(lines)))
        bounds = extension_words(facts.snap, self.table)
        for name in EXTENSION_HINTS.keys() & shown:
            if bounds:
                words = f"{EXTENSION_HINTS[name]}: {bounds}; {NOT_EXTENDED}"
                self.rows[name].query_one(".field-hint", Static).update(Text(words))
        self._show_caps()

    def values(self) -> dict[str, Any]:
        """Only the milestones that apply (the others are hidden and not saved)."""
        every = super().values()
        facts = self.context[0] if self.context else None
        if facts is None:
            return every
        kept = applying(facts.snap.type, facts.snap.source)
        return {m.field: every[m.field] for m in kept if m.field in every}
