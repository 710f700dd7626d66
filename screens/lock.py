"""The lock screen: after an idle time, case data is hidden until the user comes back.

A plain store unlocks with Enter; an encrypted store needs its passphrase
(checked in a worker: key derivation takes a moment).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class LockScreen(ModalScreen[None]):
    CSS_PATH = "lock.tcss"
    BINDINGS = [Binding("enter", "unlock", "Unlock", id="lock.unlock")]

    def __init__(self, needs_passphrase: bool) -> None:
        super().__init__()
        self.needs_passphrase = needs_passphrase

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("ehtui is locked: case data is hidden.", style="bold"))
            if self.needs_passphrase:
                yield Static("Enter the store's passphrase to unlock.")
                yield Input(password=True, id="passphrase")
            else:
                yield Static("Press Enter to unlock.")
            yield Static(id="lock-error")

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        self.check(event.value)

    def action_unlock(self) -> None:
        if not self.needs_passphrase:
            self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, passphrase: str) -> None:
        from ehtui.crypto import verify_passphrase

        app: Any = self.app
        ok = verify_passphrase(app.ctx.url, passphrase)
        self.app.call_from_thread(self._checked, ok)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.dismiss(None)
            return
        self.query_one("#lock-error", Static).update("That passphrase does not open this store.")
        self.query_one("#passphrase", Input).value = ""
