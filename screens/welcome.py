"""First run: load the demo borough, import a file, or create yourself ("me")."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, ProgressBar, Select, Static

from ehtui.store import MeDraft, check_me
from ehtui.vocab import Hub, Role
from widgets.footer import Footer

INTRO = """\
Welcome to ehtui: Early Help casework from the keyboard.

This store is empty. Choose how to start:
  d  load the demo borough (three hubs, synthetic families) and see a real work tray
  i  import an ehtui/1 JSON file from another system
  c  create yourself: your name, role, hub and FTE
"""
PICK = "  p  pick yourself from the practitioners already in this store\n"


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    BINDINGS = [
        Binding("d", "demo", "Load the demo", id="welcome.demo"),
        Binding("i", "import_file", "Import a file", id="welcome.import"),
        Binding("c", "create", "Create me", id="welcome.create"),
        Binding("p", "pick", "Pick me", id="welcome.pick"),
        Binding("ctrl+s", "save", "Save", id="welcome.save"),
    ]

    HELP = """\
The first screen of an empty store (or of a store that does not know you yet).
d loads the synthetic demo borough and opens its demo practitioner's work tray;
i imports an ehtui/1 JSON file (all or nothing: a bad file changes nothing and
names every problem by its JSON path); c creates you as a practitioner (name,
role, hub, FTE; each field's problem shows beside it; ctrl+s saves); p picks
you from the practitioners already in the store. The store remembers who you
are; --user REF chooses someone else for one run."""

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
        if not self.empty:
            intro += PICK
        yield Static(Text(intro), id="intro")
        with Horizontal(id="choices"):
            yield Button("Load the demo borough (d)", id="demo", variant="primary")
            yield Button("Import a file (i)", id="import")
            yield Button("Create me (c)", id="create")
        yield ProgressBar(id="progress", total=None, show_eta=False, classes="hidden")
        with Vertical(id="import-form", classes="form hidden"):
            yield Label("Path of the ehtui/1 JSON file, then Enter")
            yield Input(id="path", placeholder="e.g. borough-export.json")
            yield Static(id="path-error", classes="error")
        with Vertical(id="pick-form", classes="form hidden"):
            yield Label("Who are you? Choose your name (this store remembers it)")
            yield Select[str]([], id="who", prompt="Choose your name")
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return not self.query_one("#me-form").has_class("hidden")
        if action == "pick":
            return not self.empty
        return True

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
        app: Any = self.app
        bar = self.query_one("#progress", ProgressBar)
        bar.remove_class("hidden")
        self._status(f"Loading the {app.demo_size} demo… (the borough takes a few seconds)")
        self.load_demo(app.demo_size)

    @work(thread=True, exclusive=True, exit_on_error=False, group="welcome")
    def load_demo(self, size: str) -> None:
        from ehtui.demo import generate, store_is_empty
        from ehtui.meta import get_meta

        app: Any = self.app
        engine = app.session.engine
        if store_is_empty(engine):
            generate(engine, size, 1, app.ctx.now().date(), progress=False)
        user = get_meta(engine, "demo_user")
        self.app.call_from_thread(self._demo_loaded, user)

    def _demo_loaded(self, user: str | None) -> None:
        self.query_one("#progress", ProgressBar).add_class("hidden")
        if user is None:
            self._status("The store has data, but no demo user to open it as: create yourself (c).")
            return
        self._status("Demo loaded: opening the demo practitioner's work tray…")
        app: Any = self.app
        app.become(user)

    # ------------------------------------------------------------------ import
    def _show_form(self, form: str) -> None:
        for name in ("import-form", "pick-form", "me-form"):
            self.query_one(f"#{name}").set_class(name != form, "hidden")
        self.refresh_bindings()

    def action_import_file(self) -> None:
        self._show_form("import-form")
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
        self.empty = False
        self._status(
            "Imported. Now pick your name (p), or create yourself (c) if you are not listed."
        )
        self.action_pick()

    # ---------------------------------------------------------------- pick me
    def action_pick(self) -> None:
        self._show_form("pick-form")
        self.load_people()

    @work(thread=True, exclusive=True, exit_on_error=False, group="welcome")
    def load_people(self) -> None:
        from ehtui.store import people

        app: Any = self.app
        options = [
            (f"{p.name} · {p.role_label} · {p.hub}", p.ref)
            for p in people(app.session.engine).values()
        ]
        self.app.call_from_thread(self._people_loaded, options)

    def _people_loaded(self, options: list[tuple[str, str]]) -> None:
        who = self.query_one("#who", Select)
        who.set_options(options)
        who.focus()

    @on(Select.Changed, "#who")
    def _picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._status("Opening your work tray…")
            app: Any = self.app
            app.become(event.value)

    # --------------------------------------------------------------- create me
    def action_create(self) -> None:
        self._show_form("me-form")
        self.query_one("#name", Input).focus()

    def _draft(self) -> MeDraft:
        return MeDraft(
            self.query_one("#name", Input).value,
            self.query_one("#role", Select).value,
            self.query_one("#hub", Select).value,
            self.query_one("#fte", Input).value,
        )

    def _show_problems(self, problems: dict[str, str], only: set[str] | None = None) -> None:
        for name in ("name", "role", "hub", "fte"):
            if only is None or name in only:
                self.query_one(f"#{name}-error", Static).update(Text(problems.get(name, "")))

    @on(Input.Blurred, "#name, #fte")
    def _left_field(self, event: Input.Blurred) -> None:
        field = event.input.id or ""
        self._show_problems(check_me(self._draft()), {field})

    def action_save(self) -> None:
        if self.query_one("#me-form").has_class("hidden"):
            return
        draft = self._draft()
        problems = check_me(draft)
        self._show_problems(problems)
        if problems:
            self._status("Nothing saved: " + " ".join(problems.values()))
            return
        self._status("Saving…")
        self.save_me(draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group="welcome")
    def save_me(self, draft: MeDraft) -> None:
        from ehtui.errors import InputError
        from ehtui.store import create_me

        app: Any = self.app
        try:
            person = create_me(app.session.engine, draft)
        except InputError as exc:
            self.app.call_from_thread(self._status, "Nothing saved: " + " ".join(exc.problems))
            return
        self.app.call_from_thread(app.become, person.ref)


__all__ = ["WelcomeScreen"]
