"""Edit family: the family's details, and each member's from the list beside them.

``e`` in the case view (or "Edit family" in the palette) opens it for the episode's
family. Enter on a member opens that member's details; ctrl+n adds a member. Every
demographic field the checklist asks for (§6.2, §24.2) can be put right here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from ehtui.calendar import age_on
from ehtui.safe_text import safe_text
from ehtui.vocab import Post18Route, Relationship, label
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.form import FieldRow, write_value

YES_NO_UNKNOWN = [("y", "yes", "Yes"), ("n", "no", "No"), ("u", "unknown", "Not known")]


def open_family(app: Any, episode: str) -> None:
    app.push_screen(FamilyScreen(episode))


def _fill(form: RecordForm, values: dict[str, Any]) -> None:
    rows = form.rows
    for name, value in values.items():
        if name in rows:
            write_value(rows[name].control, value)


class FamilyScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "family.tcss"]
    FORM = "family"
    SAVED_WORDS = "Family details saved."
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("ctrl+n", "add_member", "Add member", id="family.add_member", priority=True),
    ]
    HELP = """\
The family's details: surname, address (with the postcode after the last comma),
phone, email, the agencies involved (separated by commas), and the last time
Children's Social Care closed the family (d DATs, i I&P, n none, and the date: it
routes a step-up, §12.5-12.6). Beside them, the members: Enter on one edits their
details (date of birth, ethnicity, religion, language, interpreter need, school,
phone, the father's details recorded); ctrl+n adds a member. ctrl+s saves."""

    def title_text(self) -> str:
        return f"Edit family · episode {self.target}"

    def fields(self) -> ComposeResult:
        teams = [("d", "dats", "DATs"), ("i", "i_and_p", "I&P"), ("n", "none", "None")]
        yield FieldRow("name", "Surname", Input(id="f-name"))
        yield FieldRow("address", "Address", Input(id="f-address"), hint="4 Elm Road, NW9 1AA")
        yield FieldRow("phone", "Phone", Input(id="f-phone"))
        yield FieldRow("email", "Email", Input(id="f-email"))
        yield FieldRow("agencies", "Agencies", Input(id="f-agencies"), hint="Separated by commas")
        yield FieldRow("csc_team", "Last closed by CSC", KeyChoice(teams, id="f-csc_team"))
        yield FieldRow("csc_closed", "CSC closed on", Input(id="f-csc_closed"), hint="19/11/2026")

    def side(self) -> ComposeResult:
        yield Static("Members: Enter edits, ctrl+n adds", classes="section")
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)

    def load_context(self) -> Any:
        from ehtui.family_admin import stored_family, stored_members
        from ehtui.recording.facts import episode_facts

        facts = episode_facts(self._engine, self.target, self.now)
        if facts is None:
            return None, None, []
        family = facts.snap.family.ref
        return family, stored_family(self._engine, family), stored_members(self._engine, family)

    def on_context(self, context: Any) -> None:
        _family, stored, members = context
        if stored is None:
            self.status(self.no_episode_words)
            return
        _fill(self, stored.values)
        self._show_members(members)

    def _show_members(self, members: list[Any]) -> None:
        table: DataTable[Any] = self.query_one("#members", DataTable)
        table.clear(columns=True)
        table.add_columns("Name", "Who", "Age", "School", "Language")
        today = self.now.date()
        for m in members:
            v = m.values
            born = _date(v["dob"], today)
            table.add_row(
                Text(safe_text(f"{v['first_name']} {v['last_name']}")),
                label(Relationship, v["relationship"]),
                str(age_on(born, today)) if born else "",
                Text(safe_text(v["school"])),
                Text(safe_text(v["language"])),
                key=m.ref,
            )

    def reload_after_save(self, episode: str | None) -> None:
        """A member was saved from this form: show the list as stored."""
        if self.context is not None and self.context[0] is not None:
            self._reload_members(self.context[0])

    @work(thread=True, exclusive=True, exit_on_error=False, group="family-members")
    def _reload_members(self, family: str) -> None:
        from ehtui.family_admin import stored_members

        members = stored_members(self._engine, family)
        self.app.call_from_thread(self._members_back, members)

    def _members_back(self, members: list[Any]) -> None:
        family, stored, _old = self.context
        self.context = (family, stored, members)
        self._show_members(members)

    @on(DataTable.RowSelected, "#members")
    def _member_chosen(self, event: DataTable.RowSelected) -> None:
        family, _stored, members = self.context
        chosen = next((m for m in members if m.ref == event.row_key.value), None)
        if chosen is not None:
            self.app.push_screen(MemberScreen(family, chosen))

    def action_add_member(self) -> None:
        if self.context is not None and self.context[0] is not None:
            self.app.push_screen(MemberScreen(self.context[0], None))

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.family_admin import check_family

        if self.context is None or self.context[1] is None:
            return self.no_episode()
        return check_family(values, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.family_admin import save_family

        family, stored, _members = self.context
        save_family(
            self._engine,
            user=self._user or "",
            family=family,
            values=values,
            now=self.now,
            version=stored.version,
        )


class MemberScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "family.tcss"]
    FORM = "member"
    SAVED_WORDS = "Member saved."
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]
    HELP = """\
One member of the family: names, who they are (c child, m mother, f father, r carer,
a adult sibling, o other), date of birth, gender, ethnicity, religion, language,
whether an interpreter is needed and, for a child, whether the father's details are
recorded (y, n, u not known), school, phone, and a post-18 route for a young person
of 18. ctrl+s saves; the demographics checklist updates at once."""

    def __init__(self, family: str, member: Any | None) -> None:
        super().__init__(member.ref if member is not None else f"new:{family}")
        self.family = family
        self.member = member

    @property
    def episode(self) -> str | None:
        return None

    def title_text(self) -> str:
        return "Add a member" if self.member is None else f"Edit member {self.member.ref}"

    def fields(self) -> ComposeResult:
        kinds = [
            ("c", "child", "Child"),
            ("m", "mother", "Mother"),
            ("f", "father", "Father"),
            ("r", "carer", "Carer"),
            ("a", "sibling_adult", "Adult sibling"),
            ("o", "other", "Other"),
        ]
        routes = [(str(n), str(r), r.label) for n, r in enumerate(Post18Route, start=1)]
        yield FieldRow("first_name", "First name", Input(id="f-first_name"))
        yield FieldRow("last_name", "Surname", Input(id="f-last_name"))
        yield FieldRow("relationship", "Who", KeyChoice(kinds, id="f-relationship"))
        yield FieldRow("dob", "Date of birth", Input(id="f-dob"), hint="3/4/2016")
        yield FieldRow("gender", "Gender", Input(id="f-gender"))
        yield FieldRow("ethnicity", "Ethnicity", Input(id="f-ethnicity"))
        yield FieldRow("religion", "Religion", Input(id="f-religion"))
        yield FieldRow("language", "Language", Input(id="f-language"))
        yield FieldRow(
            "interpreter", "Interpreter needed", KeyChoice(YES_NO_UNKNOWN, id="f-interpreter")
        )
        yield FieldRow("school", "School", Input(id="f-school"))
        yield FieldRow(
            "father_recorded",
            "Father's details",
            KeyChoice(YES_NO_UNKNOWN, id="f-father_recorded"),
            hint="For a child: are the father's details recorded?",
        )
        yield FieldRow("phone", "Phone", Input(id="f-phone"))
        yield FieldRow("post18_route", "Post-18 route", KeyChoice(routes, id="f-post18_route"))

    def load_context(self) -> Any:
        return self.member.values if self.member is not None else {}

    def on_context(self, context: Any) -> None:
        _fill(self, context or {"interpreter": "unknown", "father_recorded": "unknown"})

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.family_admin import check_member

        return check_member(values, self.now)

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.family_admin import save_member

        return save_member(
            self._engine,
            user=self._user or "",
            family=self.family,
            member=self.member.ref if self.member is not None else None,
            values=values,
            now=self.now,
            version=self.member.version if self.member is not None else None,
        )


def _date(text: str, today: date) -> date | None:
    from ehtui.forms import parse_day

    try:
        return parse_day(text, today) if text else None
    except ValueError:
        return None
