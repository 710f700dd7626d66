"""The Textual App: start-up, the store worker, screens, the command palette.

Paint first: this module imports no database code at import time; the store is
opened in a thread worker that posts back what it found (the welcome screen on
an empty store, otherwise "me"'s work tray).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ehtui.context import Context
from screens.commands import CaseProvider

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ehtui.settings import Settings
    from ehtui.store import Person


@dataclass(frozen=True)
class Session:
    """What the app knows once the store is open."""

    engine: Engine
    settings: Settings
    me: Person | None
    team: tuple[Person, ...]
    store_name: str


class EhtuiApp(App[None]):
    TITLE = "ehtui"
    SUB_TITLE = "Early Help"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "tray", "Work tray", id="app.tray"),
        Binding("ctrl+r", "report", "Report", id="app.report", show=False),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    COMMANDS = App.COMMANDS | {CaseProvider}

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.session: Session | None = None
        self.last_input = time.monotonic()
        self.encrypted = False

    def on_mount(self) -> None:
        from screens.loading import LoadingScreen

        self.push_screen(LoadingScreen())
        self.open_store()
        self.set_interval(15, self.lock_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self, now: float | None = None) -> None:
        """Lock after the settings' idle minutes (0: never) without a key or a click."""
        if self.session is None:
            return
        minutes = self.session.settings.idle_lock_minutes
        idle = (now if now is not None else time.monotonic()) - self.last_input
        if minutes and idle >= minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        from screens.lock import LockScreen

        if self.session is not None and not isinstance(self.screen, LockScreen):
            self.push_screen(LockScreen(needs_passphrase=self.encrypted))

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def open_store(self) -> None:
        """Open (and upgrade) the store off the event loop, then show the first screen."""
        from ehtui.db import StoreError
        from ehtui.errors import InputError
        from ehtui.settings import load_settings
        from ehtui.store import store_info

        try:
            settings = load_settings(self.ctx.settings_file)
            engine = self.ctx.engine
            info = store_info(engine, self.ctx.me())
            from ehtui.crypto import engine_passphrase

            self.encrypted = engine_passphrase(engine) is not None
        except (StoreError, InputError) as exc:
            self.call_from_thread(self.exit, None, 1, str(exc))
            return
        name = self.ctx.url.rsplit("/", 1)[-1]
        session = Session(engine, settings, info.me, info.team, name)
        self.call_from_thread(self._store_opened, session, info.empty)
        self.daily_backup(engine)

    def daily_backup(self, engine: Engine) -> None:
        """The rolling daily backup (keeps 7), on the first open of the day."""
        from ehtui.backup import rolling_daily_backup

        try:
            rolling_daily_backup(engine)
        except Exception as exc:  # a failed backup must never stop the day's work
            self.call_from_thread(self.notify, f"Daily backup failed: {exc}", severity="warning")

    def _store_opened(self, session: Session, empty: bool) -> None:
        self.session = session
        self._show_who()
        if empty or session.me is None:
            from screens.welcome import WelcomeScreen

            self.switch_screen(WelcomeScreen(empty=empty))
        else:
            self.show_tray()

    def _show_who(self) -> None:
        if self.session is None:
            return
        who = self.session.me.name if self.session.me else "nobody yet"
        self.sub_title = f"{who} · {self.session.store_name}"

    def become(self, me: Person) -> None:
        """Make ``me`` the store's current user (remembered for this store)."""
        from ehtui.context import remember_user

        assert self.session is not None
        remember_user(self.ctx.url, me.ref)
        self.ctx.user = me.ref
        from ehtui.store import store_info

        info = store_info(self.session.engine, me.ref)
        self.session = Session(
            self.session.engine, self.session.settings, info.me, info.team, self.session.store_name
        )
        self._show_who()

    def show_tray(self) -> None:
        from screens.tray import TrayScreen

        self.switch_screen(TrayScreen())
        # Anything pushed above the tray (a case) is dropped: the tray is home.

    def open_case(self, episode: str) -> None:
        from screens.case import CaseScreen

        self.push_screen(CaseScreen(episode))

    # ------------------------------------------------------------------ actions
    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_tray(self) -> None:
        if self.session is not None and self.session.me is not None:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            from screens.tray import TrayScreen

            if not isinstance(self.screen, TrayScreen):
                self.show_tray()

    def action_report(self) -> None:
        if self.session is None:
            return
        from screens.report import ReportScreen

        self.push_screen(ReportScreen())

    def show_tab(self, tab: str) -> None:
        from screens.tray import TrayScreen

        self.action_tray()
        if isinstance(self.screen, TrayScreen):
            self.screen.select_tab(tab)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is None or self.session.me is None:
            return
        yield SystemCommand("Work tray", "My open episodes, worst first", self.action_tray)
        yield SystemCommand(
            "Hub tray", "My hub's unallocated group tray", lambda: self.show_tab("hub")
        )
        yield SystemCommand(
            "Universal Plus tray", "My hub's Universal Plus work", lambda: self.show_tab("up")
        )
        yield SystemCommand("Report", "Every protocol finding for me", self.action_report)
        yield SystemCommand("Help", "Keys and words on this screen", self.action_help)
