"""First run: load the demo borough, import a file, or create yourself ("me")."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from ehtui.vocab import Hub, Role

INTRO = """\
Welcome to ehtui: Early Help casework from the keyboard.

This store is empty. Choose how to start:
  d  load the demo borough (three hubs, synthetic families) and see a real work tray
  i  import an ehtui/1 JSON file from another system
  c  create yourself: your name, role, hub and FTE
"""


def check_me(name: str, role: Any, hub: Any, fte: str) -> dict[str, str]:
    """Problems per field, in plain words (empty when the form is valid)."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Enter your name."
    elif len(name) > 120:
        problems["name"] = "Keep the name under 120 characters."
    if role not in Role.values():
        problems["role"] = "Choose your role."
    if hub not in Hub.values():
        problems["hub"] = "Choose your hub."
    try:
        value = float(fte)
        if not 0 < value <= 1:
            problems["fte"] = "FTE is more than 0 and at most 1 (e.g. 0.6)."
    except ValueError:
        problems["fte"] = "FTE is a number such as 1 or 0.6."
    return problems


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    BINDINGS = [
        Binding("d", "demo", "Load the demo", id="welcome.demo"),
        Binding("i", "import_file", "Import a file", id="welcome.import"),
        Binding("c", "create", "Create me", id="welcome.create"),
        Binding("ctrl+s", "save", "Save", id="welcome.save"),
    ]

    def __init__(self, empty: bool = True) -> None:
        super().__init__()
        self.empty = empty

    def compose(self) -> ComposeResult:
        yield Header()
        intro = (
            INTRO
            if self.empty
            else INTRO.replace(
                "This store is empty.", "This store has data but does not know who you are."
            )
        )
        yield Static(Text(intro), id="intro")
        with Horizontal(id="choices"):
            yield Button("Load the demo borough (d)", id="demo", variant="primary")
            yield Button("Import a file (i)", id="import")
            yield Button("Create me (c)", id="create")
        with Vertical(id="import-form", classes="form hidden"):
            yield Label("Path of the ehtui/1 JSON file, then Enter")
            yield Input(id="path", placeholder="e.g. borough-export.json")
            yield Static(id="path-error", classes="error")
        with Vertical(id="me-form", classes="form hidden"):
            yield Label("Your name")
            yield Input(id="name", placeholder="e.g. Amira Khan")
            yield Static(id="name-error", classes="error")
            yield Label("Role")
            yield Select([(r.label, r.value) for r in Role], id="role", prompt="Choose a role")
            yield Static(id="role-error", classes="error")
            yield Label("Hub")
            yield Select([(h.label, h.value) for h in Hub], id="hub", prompt="Choose a hub")
            yield Static(id="hub-error", classes="error")
            yield Label("FTE (1 for full time)")
            yield Input(id="fte", value="1")
            yield Static(id="fte-error", classes="error")
            yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#demo", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {
            "demo": self.action_demo,
            "import": self.action_import_file,
            "create": self.action_create,
            "save": self.action_save,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    # ------------------------------------------------------------------- demo
    def action_demo(self) -> None:
        self._status("Loading the demo borough… (a few seconds)")
        self.load_demo()

    @work(thread=True, exclusive=True, exit_on_error=False, group="welcome")
    def load_demo(self) -> None:
        from ehtui.demo import generate, store_is_empty
        from ehtui.meta import get_meta

        app: Any = self.app
        engine = app.session.engine
        if store_is_empty(engine):
            generate(engine, "borough", 1, app.ctx.now().date(), progress=False)
        from ehtui.store import people

        person = people(engine).get(get_meta(engine, "demo_user") or "")
        self.app.call_from_thread(self._become, person)

    def _become(self, person: Any) -> None:
        app: Any = self.app
        if person is None:
            self._status("The store has data, but no user to open it as: create yourself (c).")
            return
        app.become(person)
        app.show_tray()

    # ------------------------------------------------------------------ import
    def action_import_file(self) -> None:
        self.query_one("#import-form").remove_class("hidden")
        self.query_one("#me-form").add_class("hidden")
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _import(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            self.query_one("#path-error", Static).update("Enter the file's path.")
            return
        self._status(f"Importing {path}…")
        self.import_file(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="welcome")
    def import_file(self, path: str) -> None:
        from ehtui.errors import InputError
        from ehtui.interchange import import_document

        app: Any = self.app
        try:
            import_document(app.session.engine, path, user=None, now=app.ctx.now(), source=path)
        except InputError as exc:
            message = "\n".join(exc.problems[:8])
            self.app.call_from_thread(self._import_failed, message)
            return
        self.app.call_from_thread(self._imported)

    def _import_failed(self, message: str) -> None:
        self.query_one("#path-error", Static).update(Text(f"Nothing was imported:\n{message}"))
        self._status("")

    def _imported(self) -> None:
        self._status("Imported. Now create yourself (c), or pick your name if you are listed.")
        self.action_create()

    # --------------------------------------------------------------- create me
    def action_create(self) -> None:
        self.query_one("#me-form").remove_class("hidden")
        self.query_one("#import-form").add_class("hidden")
        self.query_one("#name", Input).focus()

    def _values(self) -> tuple[str, Any, Any, str]:
        return (
            self.query_one("#name", Input).value,
            self.query_one("#role", Select).value,
            self.query_one("#hub", Select).value,
            self.query_one("#fte", Input).value,
        )

    def _show_problems(self, problems: dict[str, str], only: set[str] | None = None) -> None:
        for name in ("name", "role", "hub", "fte"):
            if only is None or name in only:
                self.query_one(f"#{name}-error", Static).update(problems.get(name, ""))

    @on(Input.Blurred, "#name, #fte")
    def _left_field(self, event: Input.Blurred) -> None:
        field = event.input.id or ""
        self._show_problems(check_me(*self._values()), {field})

    def action_save(self) -> None:
        if self.query_one("#me-form").has_class("hidden"):
            return
        name, role, hub, fte = self._values()
        problems = check_me(name, role, hub, fte)
        self._show_problems(problems)
        if problems:
            self._status("Nothing saved: " + " ".join(problems.values()))
            return
        from ehtui.models import Practitioner
        from ehtui.refs import new_ref
        from ehtui.store import Person
        from ehtui.unit_of_work import write

        app: Any = self.app
        ref = new_ref("practitioner")
        with write(app.session.engine, ref) as s:
            s.add(
                Practitioner(
                    ref=ref, name=name.strip(), role=str(role), hub=str(hub), fte=float(fte)
                )
            )
        app.become(Person(ref, name.strip(), str(role), None, str(hub), float(fte), None))
        app.show_tray()


__all__ = ["WelcomeScreen", "check_me"]
