"""Diary (F7): my appointments for the next two weeks, with the week's fixed meetings.

Up and down through the days; ``n`` plans an appointment on one of my episodes;
on a planned one that has happened, ``k`` records it as the contact it was (the
contact log opens with its method and time: write the note, ctrl+f), ``d`` records
that the family did not attend, ``c`` cancels it; Enter opens its case.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from ehtui.diary import KIND_KEYS
from ehtui.safe_text import safe_text
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.footer import Footer
from widgets.form import FieldRow

DAYS = 14
OUTCOME_WORDS = {"kept": "✓ kept", "did_not_attend": "✗ did not attend", "cancelled": "– cancelled"}


def open_diary(app: Any) -> None:
    app.push_screen(DiaryScreen())


class DiaryScreen(Screen[None]):
    CSS_PATH = "diary.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="diary.back"),
        Binding("n", "plan", "Plan", id="diary.plan"),
        Binding("k", "kept", "Kept: record it", id="diary.kept"),
        Binding("d", "missed", "Did not attend", id="diary.missed"),
        Binding("c", "cancel", "Cancel it", id="diary.cancel"),
        Binding("enter", "open", "Open case", id="diary.open", show=False),
    ]
    HELP = """\
Your appointments for the next two weeks, day by day, with the Hub Panel (Tuesday
mornings), the Transfer meeting (Wednesday mornings) and its agenda cut-off (Tuesday
noon). n plans an appointment on one of your episodes. On a planned appointment that
has happened: k records it as the contact it was (the contact log opens with its
method and time; write the note and ctrl+f), d records that the family did not attend
(a contact that did not happen), c cancels it. Enter opens the case."""

    class Loaded(Message):
        def __init__(self, lines: list[Any]) -> None:
            super().__init__()
            self.lines = lines

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Diary · loading…", id="diary-title", classes="title")
        yield DataTable(id="diary", cursor_type="row", zebra_stripes=True)
        yield Static("", id="diary-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Day", "Time", "What", "Family", "Episode", "")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="diary")
    def load(self) -> None:
        from ehtui.diary import diary

        app: Any = self.app
        now = app.ctx.now()
        lines = diary(app.session.engine, app.session.me.ref, now.date(), DAYS, now)
        self.post_message(self.Loaded(lines))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.lines = message.lines
        table = self.query_one(DataTable)
        table.clear()
        for n, line in enumerate(self.lines):
            table.add_row(
                f"{line.at:%a %d %b}",
                f"{line.at:%H:%M}",
                Text(line.what, style="" if line.ref else "italic"),
                Text(safe_text(line.family)),
                line.episode or "",
                OUTCOME_WORDS.get(line.outcome or "", "planned" if line.ref else ""),
                key=str(n),
            )
        planned = sum(1 for line in self.lines if line.planned)
        self.query_one("#diary-title", Static).update(
            f"Diary · the next {DAYS} days · {planned} appointments planned"
        )

    def reload_after_save(self, episode: str | None) -> None:
        self.load()

    def _line(self) -> Any:
        table = self.query_one(DataTable)
        if not self.lines or table.row_count == 0:
            return None
        return self.lines[table.cursor_row]

    def _say(self, words: str) -> None:
        self.query_one("#diary-status", Static).update(Text(words))

    def action_plan(self) -> None:
        self.app.push_screen(PlanScreen())

    def action_open(self) -> None:
        line = self._line()
        if line is not None and line.episode:
            app: Any = self.app
            app.open_case(line.episode)

    def action_kept(self) -> None:
        from ehtui.diary import CONTACT_METHOD
        from screens.contact_log import ContactLogScreen

        line = self._usable()
        if line is None:
            return
        if line.kind not in CONTACT_METHOD:
            self._say(f"A {line.what} is recorded with its own form (m, s in the case view).")
            return
        self.app.push_screen(ContactLogScreen(line.episode, appointment=line))

    def action_missed(self) -> None:
        line = self._usable()
        if line is not None:
            self._mark(line, "missed")

    def action_cancel(self) -> None:
        line = self._line()
        if line is None or not line.planned:
            self._say("Choose a planned appointment.")
            return
        self._mark(line, "cancel")

    def _usable(self) -> Any:
        app: Any = self.app
        line = self._line()
        if line is None or not line.planned:
            self._say("Choose a planned appointment.")
            return None
        if line.at > app.ctx.now():
            self._say("It has not happened yet.")
            return None
        return line

    @work(thread=True, exclusive=True, exit_on_error=False, group="diary-mark")
    def _mark(self, line: Any, how: str) -> None:
        from ehtui.diary import cancel_appointment, missed_appointment
        from ehtui.errors import InputError
        from ehtui.unit_of_work import StaleRecord

        app: Any = self.app
        user = app.session.me.ref
        try:
            if how == "cancel":
                cancel_appointment(
                    app.session.engine, user=user, appointment=line.ref, version=line.version
                )
                words = "Cancelled."
            else:
                missed_appointment(
                    app.session.engine,
                    user=user,
                    appointment=line.ref,
                    version=line.version,
                    now=app.ctx.now(),
                )
                words = "Recorded: the family did not attend."
        except (InputError, StaleRecord) as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        self.app.call_from_thread(self._marked, words, line.episode)

    def _marked(self, words: str, episode: str | None) -> None:
        self._say(words)
        app: Any = self.app
        app.changed(episode)


class PlanScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "diary.tcss"]
    FORM = "appointment"
    SAVED_WORDS = "Appointment planned."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
Plan an appointment: the episode (one of yours), the kind (h home visit, o office,
s school, t telephone, v virtual, m TAF meeting, u supervision), when ("tomorrow
9:30", "24/11/2026 10:00", "today 15:00") and a note. ctrl+s saves; it shows in the
diary."""

    def __init__(self) -> None:
        super().__init__("diary")

    @property
    def episode(self) -> str | None:
        return None

    def title_text(self) -> str:
        return "Plan an appointment"

    def fields(self) -> ComposeResult:
        kinds = [(k, str(v), v.label) for k, v in KIND_KEYS.items()]
        yield FieldRow("episode", "Episode", Select[str]([], id="f-episode"))
        yield FieldRow("kind", "Kind", KeyChoice(kinds, id="f-kind"))
        yield FieldRow("at", "When", Input(id="f-at"), hint="tomorrow 9:30, 24/11/2026 10:00")
        yield FieldRow("note", "Note", Input(id="f-note"))

    def load_context(self) -> Any:
        from ehtui.store import tray_for

        app: Any = self.app
        session = app.session
        return tray_for(session.engine, self.now, session.me, "mine", session.team).rows

    def on_context(self, context: Any) -> None:
        options = [(f"{r.family_name} · {r.type_label} {r.episode}", r.episode) for r in context]
        self.query_one("#f-episode", Select).set_options(options)

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.diary import check_appointment

        return check_appointment(values, None, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.diary import plan_appointment

        return plan_appointment(self._engine, user=self._user or "", values=values, now=self.now)
