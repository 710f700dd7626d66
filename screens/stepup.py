"""Step up: where it goes and when, then the step-up itself (§12.5-12.8, §21.4).

``u`` in the case view opens it. For an EHA (or other work): the routing helper
(DATs, I&P or the MASH, with the reason), the next Hub Panel and the next
Transfer meeting with its agenda cut-off; saving closes the episode as stepped
up to Children's Social Care. For Universal Plus: saving closes it as stepped
up to an EHA and opens the EHA for the same family, children and Lead
Professional, whose clocks start at once; the case view then shows the EHA.
Joint work is refused (§16.2). The reasons, required, are kept as a desk-discussion
oversight record (:mod:`ehtui.recording.stepup`). The closure form hands a
step-up over to this form, with the date typed there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static, TextArea

from ehtui.calendar import format_day
from screens.form import FORM_CSS, RecordForm
from widgets.form import FieldRow, write_value


def open_step_up(app: Any, episode: str, on: str | None = None) -> None:
    """Step up ``episode``; ``on``: the date typed in the closure form handing over."""
    app.push_screen(StepUpScreen(episode, on))


class StepUpScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "stepup.tcss"]
    FORM = "stepup"
    CHECKS = "ehtui.recording.stepup:check_step_up"
    SAVES = "ehtui.recording.stepup:step_up"
    SAVED_WORDS = "Stepped up."
    BINDINGS = [Binding("ctrl+s", "save", "Step up", id="form.save", priority=True)]
    HELP = """\
Step this episode up. An EHA goes to Children's Social Care: back to the DATs team
if DATs closed the family within the last 6 weeks, to I&P if I&P closed it within 3
months (the protocol never defines I&P; the store's last CSC closure says which),
otherwise the MASH decides (§12.5-12.6). The next Hub Panel (Tuesday morning) and
Transfer meeting (Wednesday morning; agenda closes midday Tuesday, §12.8) are shown.
Universal Plus steps up to an EHA (§21.4): the Universal Plus episode closes and an
EHA opens for the same family, children and Lead Professional, its clocks starting
now. Joint work is not stepped up: the case is open to Children's Social Care, who
keep the support and the Lead Professional role (§16.2); every other kind of work
steps up to Children's Social Care. Like a closure, the date (today unless typed) is
not before the latest contact, voice, TAF or oversight record, and no contact note
may be left in draft. Then the reasons, in plain words (§12.7): they are kept as a
desk-discussion oversight record with where the work went. ctrl+s steps up."""

    def __init__(self, episode: str, on: str | None = None) -> None:
        super().__init__(episode)
        self.handed_on = on  # the date typed in the closure form, when handed over
        self.stepped_on = on or "today"

    def title_text(self) -> str:
        return f"Step up · episode {self.target}"

    def fields(self) -> ComposeResult:
        yield FieldRow(
            "on", "Stepped up on", Input(self.stepped_on, id="f-on"), hint="today, 19/11/2026"
        )
        yield FieldRow(
            "reasons",
            "Reasons",
            TextArea(id="f-reasons"),
            hint="Why the work steps up: what has changed, what the worry is",
        )

    def on_restored(self) -> None:
        """A draft is back; the date typed in the closure form just now still stands."""
        if self.handed_on is not None:
            write_value(self.query_one("#f-on", Input), self.handed_on)

    def focus_first(self) -> None:
        """The date is today unless typed: the reasons are what is left to write."""
        self.query_one("#f-reasons", TextArea).focus()

    def side(self) -> ComposeResult:
        yield Static("Where it goes", classes="section")
        yield Static("", id="stepup-plan")

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts
        from ehtui.recording.stepup import step_up_plan

        facts = episode_facts(self._engine, self.target, self.now)
        return facts, step_up_plan(self._engine, facts, self.now) if facts else None

    def on_context(self, context: Any) -> None:
        facts, _plan = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        self._show_plan()

    @on(Input.Changed, "#f-on")
    def _day_changed(self) -> None:
        """The route counts back from the step-up's own day: shown for the day typed."""
        if self.context is not None and self.context[0] is not None:
            self._show_plan()

    def _day(self) -> date:
        from ehtui.forms import parse_day

        today = self.now.date()
        try:
            day = parse_day(self.query_one("#f-on", Input).value, today)
        except ValueError:
            return today
        return min(day, today)

    def _show_plan(self) -> None:
        from ehtui.recording.closure import JOINT_WORK_STAYS, drafts_words, step_up_reason

        facts, plan = self.context
        plan_text = self.query_one("#stepup-plan", Static)
        if step_up_reason(facts.snap.type) is None:
            self.status(JOINT_WORK_STAYS)
            plan_text.update(Text(JOINT_WORK_STAYS))
            return
        if plan.to_eha:
            lines = [
                "Universal Plus → EHA (§21.4).",
                "This Universal Plus episode closes (stepped up to an EHA) and an EHA opens",
                "for the same family and children, with the same Lead Professional:",
                "its clocks start now (first contact within 2 working days, home visit",
                "within 7, EHA completed within 6 weeks).",
            ]
        else:
            day = self._day()
            route = plan.route_on(day)
            lines = [
                f"To Children's Social Care: {route.destination}.",
                f"Why: {route.reason}.",
                "The episode closes as stepped up to Children's Social Care.",
            ]
        drafts = drafts_words(facts.snap)
        if drafts:
            lines += ["", f"✗ {drafts}"]
        lines += [
            "",
            f"Next Hub Panel: {format_day(plan.panel)} (morning).",
            f"{plan.transfer.describe()}.",
        ]
        plan_text.update(Text("\n".join(lines)))

    def on_saved(self, result: Any) -> None:
        """Universal Plus stepped up: show the new EHA."""
        if result:
            app: Any = self.app
            app.call_after_refresh(app.open_case, result)
