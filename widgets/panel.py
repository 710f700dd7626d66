"""A titled, bordered panel of the case view that shows one part of a CaseView."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual.widgets import Static

if TYPE_CHECKING:
    from ehtui.store import CaseView


class Panel(Static):
    """Subclasses give ``TITLE`` and ``body(view)``; the screen calls ``show(view)``."""

    DEFAULT_CSS = """
    Panel {
        width: 1fr;
        height: auto;
        border: round $primary-darken-2;
        border-title-color: $accent;
        border-title-style: bold;
        padding: 0 1;
    }
    """
    TITLE = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.border_title = self.TITLE

    def show(self, view: CaseView) -> None:
        self.update(self.body(view))

    def body(self, view: CaseView) -> RenderableType:
        raise NotImplementedError
