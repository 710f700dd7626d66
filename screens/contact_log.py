"""The contact log: the quick-record form on top, the episode's contacts below.

``n`` in the case view opens it with the method chosen by one key (``h`` home
visit, ``t`` telephone, ...); the date-time is "now", the outcome completed and
every child of the episode seen unless changed; the focus then goes to the
note. ctrl+f saves and finalises the note, ctrl+s saves it as a draft (its
48-hour recording clock runs until it is finalised). What is typed is kept as a
draft as you type and offered back if the form closes or the program dies.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, SelectionList, Static, TextArea

from ehtui.recording.contact import METHOD_KEYS, OUTCOME_KEYS
from ehtui.safe_text import safe_text
from ehtui.vocab import ContactMethod, Outcome, label
from screens.form import FORM_CSS, RecordForm
from widgets.badge import state_badge
from widgets.choice import KeyChoice
from widgets.form import FieldRow


def open_contact_log(app: Any, episode: str) -> None:
    app.push_screen(ContactLogScreen(episode))


class ContactLogScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "contact_log.tcss"]
    FORM = "contact"
    SAVED_WORDS = "Contact saved."
    BINDINGS = [
        Binding("ctrl+f", "finalise", "Save and finalise", id="contact.finalise", priority=True),
        Binding("ctrl+s", "save", "Save as draft", id="form.save", priority=True),
        Binding("f", "finalise_draft", "Finalise this note", id="contact.finalise_draft"),
    ]
    HELP = """\
Record a contact with the family. Press the method's key (h home visit, o office
visit, s school visit, d Duty Officer, t telephone/MS Teams, v virtual, p partner
agencies: only contact with the family meets the 2-working-day first contact); the
date-time is "now" (type e.g. "today 9:15" or "19/11/2026 14:30"); outcome c
completed, n no answer, d did not attend, x cancelled; the children seen (space
ticks) and those seen alone; then the note. ctrl+f saves and finalises the note;
ctrl+s saves it with the note still to finalise: RECORD-48H gives 48 hours from the
contact. Beside the form: every contact, newest first, with its recording state; on
a draft there (tab to the list), f finalises its note now."""

    def __init__(self, episode: str, appointment: Any | None = None) -> None:
        super().__init__(episode)
        self.finalise = False
        self.appointment = appointment  # a diary appointment kept: this contact records it

    def title_text(self) -> str:
        return f"Record contact · episode {self.target}"

    def fields(self) -> ComposeResult:
        methods = [(k, str(m), m.label) for k, m in METHOD_KEYS.items()]
        outcomes = [(k, str(o), o.label) for k, o in OUTCOME_KEYS.items()]
        yield FieldRow("method", "Method", KeyChoice(methods, id="f-method"))
        yield FieldRow(
            "at", "When", Input("now", id="f-at"), hint="now, 14:30, today 9:15, 19/11/2026 14:30"
        )
        yield FieldRow(
            "outcome", "Outcome", KeyChoice(outcomes, str(Outcome.COMPLETED), id="f-outcome")
        )
        yield FieldRow("children_seen", "Children seen", SelectionList[str](id="f-children_seen"))
        yield FieldRow(
            "children_seen_alone", "Seen alone", SelectionList[str](id="f-children_seen_alone")
        )
        yield FieldRow("note", "Note", TextArea(id="f-note"))

    def side(self) -> ComposeResult:
        yield Static("Contacts, newest first", classes="section")
        yield DataTable(id="log", cursor_type="row", zebra_stripes=True)
        yield Static("", id="log-detail")

    def load_context(self) -> Any:
        from ehtui.recording.contact import contact_log
        from ehtui.recording.facts import episode_facts

        app: Any = self.app
        facts = episode_facts(self._engine, self.target, self.now)
        log = contact_log(self._engine, self.target, self.now, app.session.settings.table)
        return facts, log

    def on_context(self, context: Any) -> None:
        facts, log = context
        if facts is None:
            self.status(self.no_episode_words)
            return
        for name in ("children_seen", "children_seen_alone"):
            pick: SelectionList[str] = self.query_one(f"#f-{name}", SelectionList)
            pick.clear_options()
            for child in facts.children:
                pick.add_option((safe_text(child.first_name), child.ref))
        self.query_one("#f-children_seen", SelectionList).select_all()
        self._show_log(log)
        if self.appointment is not None:
            from ehtui.diary import CONTACT_METHOD

            method = CONTACT_METHOD.get(self.appointment.kind)
            if method is not None:
                self.query_one("#f-method", KeyChoice).form_value = str(method)
            self.query_one("#f-at", Input).value = f"{self.appointment.at:%d/%m/%Y %H:%M}"
            self.status(f"Recording the {self.appointment.what.lower()} kept as planned.")

    def _show_log(self, log: list[Any]) -> None:
        table: DataTable[Any] = self.query_one("#log", DataTable)
        table.clear(columns=True)
        for heading in ("When", "Recording", "Method", "Outcome", "Note", "Seen"):
            table.add_column(heading)
        for entry in log:
            table.add_row(
                f"{entry.at:%d %b %H:%M}",
                _recording(entry),
                label(ContactMethod, entry.method),
                label(Outcome, entry.outcome),
                Text(safe_text(entry.note.splitlines()[0] if entry.note else "")[:30]),
                Text(safe_text(", ".join(entry.seen))),
                key=entry.ref,
            )
        self._show_entry(log[0] if log else None)

    def _show_entry(self, entry: Any) -> None:
        """The highlighted contact in full, below the log: the note is read here."""
        self.query_one("#log-detail", Static).update(contact_detail(entry))

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.recording.contact import check_contact

        facts = self.context[0] if self.context else None
        if facts is None:
            return self.no_episode()
        return check_contact({**values, "finalise": self.finalise}, facts, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.recording.contact import save_contact

        return save_contact(
            self._engine,
            user=self._user or "",
            episode=self.target,
            values={**values, "finalise": self.finalise},
            now=self.now,
            appointment=self.appointment.ref if self.appointment is not None else None,
        )

    def focus_first(self) -> None:
        """A kept appointment has its method and time: what is left is the note."""
        if self.appointment is not None:
            self.query_one("#f-note", TextArea).focus()
        else:
            super().focus_first()

    @on(KeyChoice.Changed, "#f-method")
    def _method_chosen(self) -> None:
        """The method is the one thing a routine contact needs: go straight to the note."""
        self.call_after_refresh(self.query_one("#f-note", TextArea).focus)

    @on(KeyChoice.Changed, "#f-outcome")
    def _outcome_chosen(self, event: KeyChoice.Changed) -> None:
        """Nobody is seen at a visit that did not happen: untick them; back to completed,
        every child is seen again unless some were already ticked."""
        if self._restoring or self.context is None:
            return
        seen = self.query_one("#f-children_seen", SelectionList)
        if event.value == str(Outcome.COMPLETED):
            if not seen.selected:
                seen.select_all()
        else:
            seen.deselect_all()
            self.query_one("#f-children_seen_alone", SelectionList).deselect_all()

    def action_save(self) -> None:
        self.finalise = False
        self.saved_words = "Contact saved; its note is still to finalise (48 hours)."
        super().action_save()

    def action_finalise(self) -> None:
        self.finalise = True
        self.saved_words = "Contact saved and its note finalised."
        super().action_save()

    # ------------------------------------------------------------ drafts in the log
    def _highlighted_draft(self) -> Any:
        table: DataTable[Any] = self.query_one("#log", DataTable)
        if self.focused is not table or self.context is None or table.row_count == 0:
            return None
        _facts, log = self.context
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        entry = next((e for e in log if e.ref == key), None)
        return entry if entry is not None and not entry.finalised else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finalise_draft":
            return self._highlighted_draft() is not None
        return super().check_action(action, parameters)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()
        if self.context is not None:
            _facts, log = self.context
            self._show_entry(next((e for e in log if e.ref == event.row_key.value), None))

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_finalise_draft(self) -> None:
        entry = self._highlighted_draft()
        if entry is not None:
            self._finalise_draft(entry.ref, entry.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="contact-finalise")
    def _finalise_draft(self, ref: str, version: int) -> None:
        from ehtui.errors import InputError
        from ehtui.recording.contact import contact_log, finalise_contact
        from ehtui.unit_of_work import StaleRecord

        app: Any = self.app
        try:
            finalise_contact(
                self._engine, user=self._user or "", contact=ref, version=version, now=self.now
            )
        except (InputError, StaleRecord) as exc:
            words = "; ".join(exc.problems) if isinstance(exc, InputError) else str(exc)
            self.app.call_from_thread(self.status, words)
            return
        log = contact_log(self._engine, self.target, self.now, app.session.settings.table)
        self.app.call_from_thread(self._finalised, log)

    def _finalised(self, log: list[Any]) -> None:
        facts, _old = self.context
        self.context = (facts, log)
        self._show_log(log)
        self.status("Note finalised: its 48-hour recording clock has stopped.")
        app: Any = self.app
        app.changed(self.target)


def contact_detail(entry: Any) -> Text:
    """One contact as the log's detail shows it: what, who was seen, its recording, the note."""
    if entry is None:
        return Text("No contacts yet.", style="dim")
    seen = ", ".join(entry.seen) or "nobody"
    if entry.seen_alone:
        seen += f" (alone: {', '.join(entry.seen_alone)})"
    if entry.finalised:
        recording = Text(f"Note finalised {entry.recorded_at:%a %d %b %Y %H:%M}")
    elif entry.record_state:
        recording = Text.assemble("Note in draft: ", _recording(entry), " (f finalises it)")
    else:
        recording = Text("Note in draft (f finalises it)")
    return Text.assemble(
        (f"{entry.at:%a %d %b %Y %H:%M}  ", "bold"),
        f"{label(ContactMethod, entry.method)} · {label(Outcome, entry.outcome)}\n",
        safe_text(f"Seen: {seen}"),
        "\n",
        recording,
        "\n\n",
        safe_text(entry.note, multiline=True) if entry.note else Text("(no note)", style="dim"),
    )


def _recording(entry: Any) -> Text:
    if entry.record_state:
        due = entry.record_due
        return Text.assemble(state_badge(entry.record_state), f" {due:%d %b %H:%M}" if due else "")
    return Text("finalised" if entry.finalised else "draft")
