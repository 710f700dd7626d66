"""A form's field: its label, its control, and the message beside it in plain words.

:func:`read_value` and :func:`write_value` read and set any control a form uses
(Input, TextArea, Select, Checkbox, Switch, SelectionList, RadioSet, or a
widget of our own with a ``form_value`` property), so a form can keep a draft
of itself and restore it without knowing its controls.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)


class FieldRow(Vertical):
    """``label  [control]`` with the field's problem (or hint) under the control."""

    DEFAULT_CSS = """
    FieldRow { height: auto; margin: 0 0 1 0; }
    FieldRow > .field-line { height: auto; }
    FieldRow .field-label { width: 22; padding: 1 1 0 0; text-align: right; }
    FieldRow.-compact .field-label { padding: 0 1 0 0; }
    FieldRow .field-line > * { width: 1fr; }
    FieldRow .field-line > .field-label { width: 22; }
    FieldRow .field-error { color: $error; padding-left: 22; height: auto; }
    FieldRow .field-hint { color: $text-muted; padding-left: 22; height: auto; }
    FieldRow.-invalid .field-hint { display: none; }
    """

    def __init__(
        self, field: str, label: str, control: Widget, *, hint: str = "", compact: bool = False
    ) -> None:
        super().__init__(id=f"row-{field}", classes="-compact" if compact else "")
        self.field = field
        self.label = label
        self.control = control
        self.hint = hint
        self._problem = ""  # the words shown under the control now

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self.label, classes="field-label")
            yield self.control
        yield Static("", classes="field-error")
        if self.hint:
            yield Static(Text(self.hint), classes="field-hint")

    def show_problem(self, words: str | None) -> None:
        """Show ``words`` (None: no problem); unchanged words cost no new layout."""
        if (words or "") == self._problem:
            return
        self._problem = words or ""
        self.query_one(".field-error", Static).update(Text(self._problem))
        self.set_class(bool(words), "-invalid")


def read_value(control: Widget) -> Any:
    """The control's value as JSON-safe data (a draft keeps exactly this)."""
    if hasattr(control, "form_value"):
        return control.form_value
    if isinstance(control, Input):
        return control.value
    if isinstance(control, TextArea):
        return control.text
    if isinstance(control, Select):
        return None if control.value is Select.BLANK else control.value
    if isinstance(control, Checkbox | Switch):
        return bool(control.value)
    if isinstance(control, SelectionList):
        return list(control.selected)
    if isinstance(control, RadioSet):
        return control.pressed_index
    raise TypeError(f"a form cannot read a {type(control).__name__}")


def write_value(control: Widget, value: Any) -> None:
    """Put a draft's value back into the control (a value that no longer fits is skipped)."""
    if hasattr(control, "form_value"):
        control.form_value = value
    elif isinstance(control, Input):
        control.value = str(value or "")
    elif isinstance(control, TextArea):
        control.load_text(str(value or ""))
    elif isinstance(control, Select):
        try:
            control.value = Select.BLANK if value is None else value
        except Exception:  # an option that has gone: leave the prompt
            control.value = Select.BLANK
    elif isinstance(control, Checkbox | Switch):
        control.value = bool(value)
    elif isinstance(control, SelectionList):
        control.deselect_all()
        for item in value or []:
            try:
                control.select(item)
            except Exception:  # a child no longer in the episode
                continue
    elif isinstance(control, RadioSet):
        buttons = list(control.query(RadioButton))
        if isinstance(value, int) and 0 <= value < len(buttons):
            buttons[value].value = True
