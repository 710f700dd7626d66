"""Voice of the child: one child's record, with prompts fitted to their age and ability.

``v`` in the case view opens it on the child whose voice is most due; ``1``,
``2``, ... choose another child. The prompts follow the child's age (under 5,
5 to 11, 12 and over: :mod:`ehtui.recording.voice`) and ``u`` / ``f`` / ``t``
choose another band for a child whose ability fits it better. The child's own
words and the practitioner's analysis are separate fields. Beside the form,
every child of the episode with the last time they were heard and when the
next is due (VOC-4W), so the children not heard within 4 weeks stand out.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TextArea

from ehtui.calendar import age_on
from ehtui.recording.voice import (
    BANDS,
    EVERY_CHILD,
    METHOD_KEYS,
    band,
    band_for_age,
    prompt_field,
)
from ehtui.safe_text import safe_text
from screens.form import FORM_CSS, RecordForm
from widgets.badge import state_badge
from widgets.choice import KeyChoice
from widgets.form import FieldRow


def open_voice(app: Any, episode: str) -> None:
    app.push_screen(VoiceScreen(episode))


class VoiceScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "voice.tcss"]
    FORM = "voice"
    SAVED_WORDS = "Voice of the child saved."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
Record the voice of one child (§6.3, §7.2: every child on an EHA is heard at least
every 4 weeks). Choose the child by number; the prompts follow the child's age
(u under 5: observation of play, attachment and presentation; f 5 to 11: the three
houses and the wizard and fairy; t 12 and over: a conversation) and can be changed
for a child whose ability fits another band. Then how the child was heard, when
(now, or e.g. "today 9:15"), the child's own words, the prompts' answers, §6.3's
lived experience, culture and discrimination, and your analysis, kept apart from
the child's words. ctrl+s saves. Beside the form: each child, last heard, next due."""

    def title_text(self) -> str:
        return f"Voice of the child · episode {self.target}"

    def fields(self) -> ComposeResult:
        bands = [(b.key, b.value, b.label) for b in BANDS]
        methods = [(k, str(m), m.label) for k, m in METHOD_KEYS.items()]
        yield FieldRow("child", "Child", KeyChoice([], id="f-child"))
        yield FieldRow("band", "Prompts for", KeyChoice(bands, id="f-band"))
        yield FieldRow("method", "How heard", KeyChoice(methods, id="f-method"))
        yield FieldRow("at", "When", Input("now", id="f-at"), hint="now, 14:30, 19/11/2026 14:30")
        yield FieldRow(
            "words",
            "Child's own words",
            TextArea(id="f-words"),
            hint="What the child said, showed or did, as they put it",
        )
        for b in BANDS:
            for prompt in b.prompts:
                row = FieldRow(
                    prompt_field(prompt),
                    prompt.key.replace("_", " ").capitalize(),
                    TextArea(id=f"f-{prompt_field(prompt)}", classes="prompt"),
                    hint=prompt.words,
                )
                row.add_class(f"band-{b.value}")
                yield row
        for prompt in EVERY_CHILD:
            yield FieldRow(
                prompt_field(prompt),
                prompt.key.replace("_", " ").capitalize(),
                TextArea(id=f"f-{prompt_field(prompt)}", classes="prompt"),
                hint=prompt.words,
            )
        yield FieldRow(
            "analysis",
            "Your analysis",
            TextArea(id="f-analysis"),
            hint="What it tells you about the child's lived experience (yours, not theirs)",
        )

    def side(self) -> ComposeResult:
        yield Static("Each child's voice (every 4 weeks)", classes="section")
        yield DataTable(id="voices", cursor_type="none", zebra_stripes=True)

    def load_context(self) -> Any:
        from ehtui.recording.facts import episode_facts
        from ehtui.recording.voice import voices_due

        app: Any = self.app
        facts = episode_facts(self._engine, self.target, self.now)
        due = voices_due(facts, self.now, app.session.settings.table) if facts else ()
        return facts, due

    def on_context(self, context: Any) -> None:
        facts, due = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        today = self.now.date()
        options = []
        for number, child in enumerate(facts.children[:9], start=1):
            age = age_on(child.dob, today) if child.dob else None
            shown = f"{child.first_name} ({age})" if age is not None else child.first_name
            options.append((str(number), child.ref, safe_text(shown)))
        choice = self.query_one("#f-child", KeyChoice)
        choice.options = options
        first = due[0].child if due else (options[0][1] if options else None)
        if first is not None:
            choice.form_value = first
            self._fit_band(first)
        self._show_due(due)

    def _show_due(self, due: Any) -> None:
        table: DataTable[Any] = self.query_one("#voices", DataTable)
        table.clear(columns=True)
        for heading in ("Child", "Last heard", "Next due", "State"):
            table.add_column(heading)
        for line in due:
            table.add_row(
                Text(safe_text(line.name)),
                f"{line.last:%a %d %b}" if line.last else "never",
                f"{line.due:%a %d %b}" if line.due else "",
                state_badge(line.state) if line.state else Text("not running"),
            )

    # ---------------------------------------------------------------- the bands
    def _fit_band(self, child_ref: str) -> None:
        """The band and method for the child's age (the person can change both)."""
        facts = self.context[0] if self.context else None
        child = facts.child(child_ref) if facts else None
        if child is None:
            return
        at = self.now.date()
        chosen = band_for_age(age_on(child.dob, at) if child.dob else None)
        self.query_one("#f-band", KeyChoice).form_value = chosen.value
        self.query_one("#f-method", KeyChoice).form_value = str(chosen.method)
        self._show_band()

    def _show_band(self) -> None:
        """The chosen band's prompts, and any other prompt already answered (it is saved)."""
        chosen = self.query_one("#f-band", KeyChoice).form_value
        for b in BANDS:
            for row in self.query(f".band-{b.value}").results(FieldRow):
                written = bool(row.query_one(TextArea).text.strip())
                row.display = b.value == chosen or written

    @on(KeyChoice.Changed, "#f-child")
    def _child_chosen(self, event: KeyChoice.Changed) -> None:
        if event.value and not self._restoring:
            self._fit_band(event.value)

    @on(KeyChoice.Changed, "#f-band")
    def _band_chosen(self, event: KeyChoice.Changed) -> None:
        chosen = band(event.value)
        if chosen is not None:
            self.query_one("#f-method", KeyChoice).form_value = str(chosen.method)
        self._show_band()

    def on_restored(self) -> None:
        self._show_band()

    # ---------------------------------------------------------------- checks and save
    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.voice import check_voice

        facts = self.context[0] if self.context else None
        if facts is None:
            return self.no_episode()
        return check_voice(values, facts, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.recording.voice import save_voice

        return save_voice(
            self._engine, user=self._user or "", episode=self.target, values=values, now=self.now
        )
