"""The base of every recording and administration form.

A form is a screen of :class:`~widgets.form.FieldRow` s about one target (an
episode, mostly). The base does what every form must do the same way:

- **loads** what the form needs to check against (the episode's referral date,
  its children, ...) in a thread worker: :meth:`RecordForm.load_context`;
- **checks each field as you leave it** and shows the message beside it
  (:meth:`RecordForm.check`: pure, no database, from the values and the
  context), and every field again on save; nothing is saved until valid;
- **keeps a draft as you type** (:mod:`ehtui.drafts`, a short transaction a
  moment after the last keystroke, in a worker) and offers it back when the
  form reopens; saving discards it, escape keeps it, ctrl+d throws it away;
- **saves in a worker** (:meth:`RecordForm.save`, which calls the core's
  audited save), maps the core's ``"field: words"`` problems back to fields,
  reports a concurrent edit plainly, then tells the app what changed
  (``app.changed(episode)``: the case view, findings and work tray reload) and
  closes with ``True``.

Subclasses set ``FORM`` (the draft's name; empty for no draft) and implement
:meth:`fields`, :meth:`check` and :meth:`save`; optionally
:meth:`load_context`, :meth:`title_text` and :meth:`on_context`.
"""

from __future__ import annotations

import threading
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Checkbox,
    Header,
    Input,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)

from widgets.choice import KeyChoice
from widgets.footer import Footer
from widgets.form import FieldRow, read_value, write_value

FORM_CSS = Path(__file__).with_name("form.tcss")  # a subclass adds its own: [FORM_CSS, "x.tcss"]
DRAFT_DELAY = 0.4  # seconds after the last change before the draft is written
SAYS_SAVING_AFTER = 0.15  # seconds a save runs before the form says "Saving…"


def _core(name: str) -> Any:
    """The core function named ``"module:function"``, imported when first used."""
    module, function = name.split(":")
    return getattr(import_module(module), function)


class RecordForm(Screen[bool]):
    CSS_PATH: ClassVar[Any] = FORM_CSS
    FORM: ClassVar[str] = ""  # the draft's name ("contact"); "" keeps no draft
    SAVED_WORDS: ClassVar[str] = "Saved."
    CHECKS: ClassVar[str] = ""  # "module:function", the core check (see :meth:`check`)
    SAVES: ClassVar[str] = ""  # "module:function", the core save (see :meth:`save`)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Close", id="form.cancel"),
        Binding("ctrl+d", "discard", "Discard", id="form.discard", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, context: Any, draft: Any) -> None:
            super().__init__()
            self.context = context
            self.draft = draft

    class Saved(Message):
        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class Refused(Message):
        def __init__(self, problems: dict[str, str]) -> None:
            super().__init__()
            self.problems = problems

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target
        self.context: Any = None
        self.touched: set[str] = set()
        self.saving = False
        self._restoring = False
        self._draft_timer: Timer | None = None
        self._draft_kept = False
        # Draft writes run in threads: the lock orders them with the save's (or the
        # discard's) removal of the draft, after which none is written again.
        self._draft_lock = threading.Lock()
        self._draft_done = False
        self._discard_asked = False
        self._baseline: dict[str, Any] = {}
        self.saved_words = self.SAVED_WORDS  # what the notice says (a form may vary it)

    # ---------------------------------------------------------------- subclass API
    def fields(self) -> ComposeResult:
        """Yield the form's FieldRows (and any other widgets) in order."""
        yield from ()

    def load_context(self) -> Any:
        """(In a worker.) What the checks need: read it from the store here."""
        return None

    def on_context(self, context: Any) -> None:
        """The context arrived (on the event loop): fill options, defaults, titles."""

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        """Problems per field in plain words (pure: values and ``self.context``).

        With :attr:`CHECKS` (a form of one episode whose context starts with the
        episode's facts): that core check, ``check(values, facts, now)``."""
        if not self.CHECKS:
            return {}
        facts = self.context[0] if self.context else None
        if facts is None:
            return self.no_episode()
        return _core(self.CHECKS)(values, facts, self.now, **self.core_options())

    def core_options(self) -> dict[str, Any]:
        """Keywords the core check and save take beyond the usual (``table=``: the
        rules in force, for a form whose checks read them)."""
        return {}

    def save(self, values: dict[str, Any]) -> Any:
        """(In a worker.) Write through the core's audited save; raise InputError.

        With :attr:`SAVES`: that core save, ``save(engine, user=, episode=, values=,
        now=, version=)``, refused as stale if the episode changed since it was read."""
        if not self.SAVES:
            raise NotImplementedError
        return _core(self.SAVES)(
            self._engine,
            user=self._user or "",
            episode=self.target,
            values=values,
            now=self.now,
            version=self.context[0].version,
            **self.core_options(),
        )

    def no_episode(self) -> dict[str, str]:
        """The form-wide refusal when the episode is not in the store (any more)."""
        return {"": self.no_episode_words}

    @property
    def no_episode_words(self) -> str:
        return f"There is no episode {self.target} in this store."

    def title_text(self) -> str:
        return self.FORM

    @property
    def episode(self) -> str | None:
        """The episode that changes when this form saves (for the app's reloads)."""
        return self.target

    # ---------------------------------------------------------------- layout
    def side(self) -> ComposeResult:
        """What goes beside the form (the episode's contacts, each child's voice, ...)."""
        yield from ()

    def compose(self) -> ComposeResult:
        """The title, the form (with :meth:`side` beside it, if any), the status line."""
        yield Header()
        yield Static(Text(self.title_text()), id="form-title", classes="title")
        beside = list(self.side())
        if beside:
            with Horizontal(id="form-split"):
                with VerticalScroll(id="form-body"):
                    yield from self.fields()
                with Vertical(id="form-side"):
                    yield from beside
        else:
            with VerticalScroll(id="form-body"):
                yield from self.fields()
        yield Static("", id="form-status")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @property
    def rows(self) -> dict[str, FieldRow]:
        return {row.field: row for row in self.query(FieldRow)}

    def values(self) -> dict[str, Any]:
        return {name: read_value(row.control) for name, row in self.rows.items()}

    def status(self, words: str) -> None:
        self.query_one("#form-status", Static).update(Text(words))

    def focus_first(self) -> None:
        for row in self.rows.values():
            if row.control.focusable and not row.control.disabled:
                row.control.focus()
                return

    # ---------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, exit_on_error=False, group="form-load")
    def _load(self) -> None:
        context = self.load_context()
        draft = None
        if self.FORM:
            from ehtui.drafts import load_draft

            draft = load_draft(self._engine, form=self.FORM, target=self.target, user=self._user)
        self.post_message(self.Loaded(context, draft))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.context = message.context
        self._restoring = True
        self.on_context(message.context)
        draft = message.draft
        self.call_after_refresh(self._restored, draft is not None)
        if draft is not None:
            rows = self.rows
            for name, value in draft.payload.items():
                if name in rows:
                    write_value(rows[name].control, value)
            from widgets.dates import when

            self.status(
                f"Your draft from {when(draft.updated_at)} is back: carry on, "
                "ctrl+s to save, ctrl+d to throw it away."
            )
        # The defaults on_context filled in, and a draft put back, are not typing: while
        # the form still holds just them, no draft is kept.
        self._baseline = self.values()
        self.focus_first()

    def _restored(self, from_draft: bool) -> None:
        self._restoring = False
        if from_draft:
            self._draft_kept = True
            self.on_restored()

    def on_restored(self) -> None:
        """A draft's values are back in the controls (a form may re-lay itself out)."""

    # ---------------------------------------------------------------- checking
    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        row = self._row_of(event.widget)
        if row is not None:
            self.touched.add(row.field)
            self.show_problems(self.check(self.values()), only=self.touched)

    def _row_of(self, widget: Any) -> FieldRow | None:
        node = widget
        while node is not None and node is not self:
            if isinstance(node, FieldRow):
                return node
            node = node.parent
        return None

    def show_problems(self, problems: dict[str, str], only: set[str] | None = None) -> None:
        for name, row in self.rows.items():
            if only is None or name in only:
                row.show_problem(problems.get(name))
        general = problems.get("")
        if general:
            self.status(general)

    # ---------------------------------------------------------------- drafts
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Switch.Changed)
    @on(SelectionList.SelectedChanged)
    @on(RadioSet.Changed)
    @on(KeyChoice.Changed)
    def _changed(self) -> None:
        if not self.FORM or self._restoring or self.context is None or self.saving:
            return
        if self.values() == self._baseline:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._write_draft)

    def _write_draft(self) -> None:
        self._draft_timer = None
        if not self.saving:
            self._keep_draft(self.values())

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-draft")
    def _keep_draft(self, payload: dict[str, Any]) -> None:
        self._store_draft(payload)
        self._draft_kept = True

    def _store_draft(self, payload: dict[str, Any]) -> None:
        """Write the draft (in a thread) unless the form was saved or thrown away."""
        from ehtui.drafts import save_draft

        with self._draft_lock:
            if self._draft_done:
                return
            save_draft(
                self._engine, form=self.FORM, target=self.target, user=self._user, payload=payload
            )

    def _drop_draft(self) -> None:
        """Remove the draft (in a thread), after any write under way; none follows."""
        from ehtui.drafts import discard_draft

        with self._draft_lock:
            self._draft_done = True
            discard_draft(self._engine, form=self.FORM, target=self.target, user=self._user)

    def throw_draft_away(self) -> None:
        """Stop keeping a draft and remove the one kept, as the form closes."""
        self._stop_draft_timer()
        # The app's worker, not the screen's: the screen is closing.
        self.app.run_worker(
            self._drop_draft, thread=True, exit_on_error=False, group="form-discard"
        )

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A form that keeps no draft (``FORM`` empty) has none to throw away."""
        if action == "discard":
            return bool(self.FORM)
        return True

    def action_discard(self) -> None:
        """Throw away what was typed: the first ctrl+d asks, the second does it."""
        if not self._discard_asked:
            self._discard_asked = True
            self.status("Press ctrl+d again to throw away what you typed (escape keeps it).")
            return
        if self.FORM:
            self.throw_draft_away()
            self.app.notify("Draft thrown away.", markup=False)
        self.dismiss(False)

    def action_cancel(self) -> None:
        """Close; what was typed stays as a draft (written now if still pending)."""
        self._flush_draft()
        if self._draft_kept:
            self.app.notify("Draft kept: reopen the form to carry on.", markup=False)
        self.dismiss(False)

    def on_unmount(self) -> None:
        """Closed some other way (another case opened from the palette): the draft
        still pending is written all the same."""
        self._flush_draft()

    def _flush_draft(self) -> None:
        if self._draft_timer is not None and not self.saving:
            self._stop_draft_timer()
            try:
                payload = self.values()
            except NoMatches:  # already taken down: the last kept draft stands
                return
            self.app.run_worker(
                partial(self._store_draft, payload),
                thread=True,
                exit_on_error=False,
                group="form-draft",
            )
            self._draft_kept = True

    # ---------------------------------------------------------------- saving
    def action_save(self) -> None:
        if self.saving or self.context is None:
            return
        values = self.values()
        problems = self.check(values)
        self.touched.update(self.rows)
        self.show_problems(problems)
        if problems:
            self._refused(problems)
            return
        self.saving = True
        self._stop_draft_timer()
        # Said only when the save takes a while: a repaint now would slow the save itself
        # (the worker shares the interpreter with the screen's layout and paint).
        self.set_timer(SAYS_SAVING_AFTER, self._still_saving)
        self._save(values)

    def _still_saving(self) -> None:
        if self.saving and self.is_attached:
            self.status("Saving…")

    def _refused(self, problems: dict[str, str]) -> None:
        """Say why nothing was saved: the form-wide problem in its own words (the episode
        closed, changed by someone else meanwhile), else how many fields to put right."""
        general = problems.get("")
        fields = len(problems) - (1 if general else 0)
        beside = f"{fields} thing{'s' if fields != 1 else ''} to put right"
        if general:
            self.status(f"Not saved: {general}" + (f" (and {beside})" if fields else ""))
        else:
            self.status(f"Not saved: {beside}.")
        rows = self.rows
        first = next((rows[name] for name in rows if name in problems), None)
        if first is not None:
            first.control.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _save(self, values: dict[str, Any]) -> None:
        from ehtui.errors import InputError
        from ehtui.forms import problems_by_field
        from ehtui.unit_of_work import StaleRecord

        try:
            result = self.save(values)
        except InputError as exc:
            self.post_message(self.Refused(problems_by_field(exc.problems)))
            return
        except StaleRecord as exc:
            self.post_message(self.Refused({"": str(exc)}))
            return
        if self.FORM:
            self._drop_draft()
        self.post_message(self.Saved(result))

    @on(Refused)
    def _save_refused(self, message: Refused) -> None:
        self.saving = False
        self.show_problems(message.problems)
        self._refused(message.problems)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        app: Any = self.app
        app.notify(self.saved_words, markup=False)
        app.changed(self.episode)
        self.dismiss(True)
        self.on_saved(message.result)

    def on_saved(self, result: Any) -> None:
        """Saved and closed: what ``save`` returned (a form may go on somewhere)."""

    # ---------------------------------------------------------------- the app
    @property
    def _engine(self) -> Any:
        app: Any = self.app
        return app.session.engine

    @property
    def _user(self) -> str | None:
        app: Any = self.app
        me = app.session.me
        return me.ref if me is not None else None

    @property
    def now(self) -> Any:
        app: Any = self.app
        return app.ctx.now()
