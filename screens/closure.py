"""Close episode: the reason by one key and the date (today unless typed), §12.7 and §7.

``x`` in the case view opens it. Beside the form: the clocks still running (they
stop at closure) and whether a TAF has ratified the plan, which closing an EHA
as "plan completed" needs.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from ehtui.recording.closure import REASON_KEYS
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
up to an EHA: Universal Plus only), and the date (today, or e.g. "19/11/2026"; not in
the future nor before the referral). Closing an EHA as "plan completed" needs a TAF
meeting that ratified the plan as achieved (§7.4). Running clocks stop; the episode
leaves the work tray; nothing is deleted. ctrl+s closes."""

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
        from ehtui.rules import upcoming

        if context is None:
            self.status(self.no_episode_words)
            return
        app: Any = self.app
        ep = context.snap
        lines = []
        ratified = [t for t in ep.tafs if t.plan_ratified_complete]
        if ratified:
            lines.append(
                f"✓ Plan ratified as achieved at the TAF of {ratified[-1].at:%a %d %b %Y}."
            )
        else:
            lines.append("✗ No TAF has ratified the plan as achieved.")
        running = upcoming(ep, self.now, app.session.settings.table)
        if running:
            lines.append("Clocks that stop at closure:")
            lines += [f"  {f.rule}: {f.message}" for f in running]
        if ep.closed is not None:
            lines.insert(0, f"Closed on {ep.closed:%a %d %b %Y}.")
        self.query_one("#closure-facts", Static).update(Text("\n".join(lines)))

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.closure import check_closure

        if self.context is None:
            return self.no_episode()
        return check_closure(values, self.context, self.now)

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
