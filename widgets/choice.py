"""A one-key choice: every option on one line with its key; press the key to choose.

``h Home visit  o Office visit  s School visit ...``: the chosen option is shown
reversed and marked with ●, so it reads without colour. Left/right step through
the options. Posts :class:`KeyChoice.Changed` (a form keeps its draft on it).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget


class KeyChoice(Widget, can_focus=True):
    DEFAULT_CSS = """
    KeyChoice { height: auto; padding: 0 1; border: tall $border-blurred; }
    KeyChoice:focus { border: tall $border; }
    """

    class Changed(Message):
        def __init__(self, choice: KeyChoice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> KeyChoice:
            return self.choice

    def __init__(
        self,
        options: list[tuple[str, str, str]],  # (key, value, label)
        value: str | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = options
        self._value = value

    @property
    def form_value(self) -> str | None:
        return self._value

    @form_value.setter
    def form_value(self, value: Any) -> None:
        if value is None or any(v == value for _, v, _ in self.options):
            self._value = value
            self.refresh(layout=True)

    def choose(self, value: str) -> None:
        self.form_value = value
        self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        text = Text()
        for key, value, label in self.options:
            chosen = value == self._value
            text.append(f"{key} ", style="bold")
            text.append(f"{'● ' if chosen else ''}{label}", style="reverse" if chosen else "")
            text.append("  ")
        return text

    def on_key(self, event: events.Key) -> None:
        keys = {key: value for key, value, _ in self.options}
        values = [value for _, value, _ in self.options]
        if event.character and event.character.lower() in keys:
            event.stop()
            event.prevent_default()
            self.choose(keys[event.character.lower()])
            self.screen.focus_next()
        elif event.key in ("left", "right"):
            event.stop()
            step = 1 if event.key == "right" else -1
            index = values.index(self._value) if self._value in values else -1
            self.choose(values[(index + step) % len(values)])
