"""Close episode: the reason by one key and the date (today unless typed), §12.7 and §7.

``x`` in the case view opens it. Beside the form: whether the latest TAF ratified
the plan (closing an EHA as "plan completed" needs it), the contact notes still in
draft (which must be finalised first) and the clocks still running (they stop at
closure). A step-up chosen here (c, e) is handed over to the Step up form, which
routes it and, for Universal Plus, opens the EHA.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from ehtui.recording.closure import REASON_KEYS, STEP_UP_REASONS, step_up_reason
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.form import FieldRow


def open_closure(app: Any, episode: str) -> None:
    app.push_screen(ClosureScreen(episode))


class ClosureScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "closure.tcss"]
    FORM = "closure"
    SAVED_WORDS = "Episode closed."
    BINDINGS = [Binding("ctrl+s", "save", "Close the episode", id="form.save", priority=True)]
    HELP = """\
Close this episode (§12.7): why, by one key (p plan completed, l LP transferred to a
community professional, u stepped down to universal services, d family disengaged,
m moved away, n no further action, c stepped up to Children's Social Care, e stepped
up to an EHA: Universal Plus only; both are recorded with Step up, u, and ctrl+s here
hands over to it), and the date (today, or e.g. "19/11/2026"; not in the future, nor
before the referral, the allocation or the latest contact, voice, TAF or oversight
record; the same day is fine). Every contact note must be finalised first (§24.1).
Closing an EHA as "plan completed" needs the latest TAF meeting held by then to have
ratified the plan as achieved (§7.3-7.4): a later "further need" undoes an earlier
ratification. Running clocks stop; the episode leaves the work tray; nothing is
deleted. ctrl+s closes."""

    def title_text(self) -> str:
        return f"Close episode {self.target}"

    def fields(self) -> ComposeResult:
        reasons = [(k, str(r), r.label) for k, r in REASON_KEYS.items()]
        yield FieldRow("reason", "Reason", KeyChoice(reasons, id="f-reason"))
        yield FieldRow(
            "closed", "Closed on", Input("today", id="f-closed"), hint="today, 19/11/2026"
        )

    def side(self) -> ComposeResult:
        yield Static("Before closing", classes="section")
        yield Static("", id="closure-facts")

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts

        return episode_facts(self._engine, self.target, self.now)

    def on_context(self, context: Any) -> None:
        from ehtui.recording.closure import draft_notes
        from ehtui.rules import upcoming
        from ehtui.validation import describe

        if context is None:
            self.status(self.no_episode_words)
            return
        app: Any = self.app
        ep = context.snap
        lines = self._ratification(ep)
        drafts = draft_notes(ep)
        if drafts:
            lines.append(f"✗ Notes still in draft, to finalise first ({len(drafts)}):")
            lines += [f"  contact of {describe(at)}" for at in drafts]
        running = upcoming(ep, self.now, app.session.settings.table)
        if running:
            lines.append("Clocks that stop at closure:")
            lines += [f"  {f.rule}: {f.message}" for f in running]
        if ep.closed is not None:
            lines.insert(0, f"Closed on {ep.closed:%a %d %b %Y}.")
        self.query_one("#closure-facts", Static).update(Text("\n".join(lines)))

    @staticmethod
    def _ratification(ep: Any) -> list[str]:
        from ehtui.validation import plan_completed_needs_ratification
        from ehtui.vocab import EHA_TYPES, ClosureReason

        if ep.type not in EHA_TYPES:
            return []
        if not ep.tafs:
            return ["✗ No TAF has ratified the plan as achieved."]
        latest = ep.tafs[-1]
        if plan_completed_needs_ratification(ep.type, ClosureReason.PLAN_COMPLETED, ep.tafs):
            return [f"✗ The latest TAF ({latest.at:%a %d %b %Y}) did not ratify the plan."]
        return [f"✓ Plan ratified as achieved at the TAF of {latest.at:%a %d %b %Y}."]

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.closure import check_closure

        if self.context is None:
            return self.no_episode()
        problems = check_closure(values, self.context, self.now)
        if self._hands_over(values) and "reason" in problems:
            problems["reason"] = f"{problems['reason']} ctrl+s opens Step up."
        return problems

    def _hands_over(self, values: dict[str, Any]) -> bool:
        """A step-up chosen, of the kind this episode's step-up is."""
        reason = values.get("reason")
        return (
            self.context is not None
            and self.context.snap.closed is None
            and reason in STEP_UP_REASONS
            and reason == step_up_reason(self.context.snap.type)
        )

    def action_save(self) -> None:
        """A step-up goes to the Step up form, with the date typed here."""
        values = self.values()
        if not self._hands_over(values) or self.saving:
            super().action_save()
            return
        from screens.stepup import open_step_up

        self.throw_draft_away()
        app = self.app
        self.dismiss(False)
        open_step_up(app, self.target, str(values.get("closed") or "today"))

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.recording.closure import close_episode

        close_episode(
            self._engine,
            user=self._user or "",
            episode=self.target,
            values=values,
            now=self.now,
            version=self.context.version,
        )
