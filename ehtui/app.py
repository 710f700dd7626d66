"""The Textual App: start-up, the store worker, screens, bindings, palette, themes.

Paint first: this module imports no database code at import time. After the
first paint the store is opened in a thread worker, which also loads "me"'s
work tray, and posts back what it found (:class:`StoreOpened`): the welcome
screen on an empty store, otherwise the work tray, already filled.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from ehtui.case_ahead import CaseAhead
from ehtui.context import Context
from screens.catalogue import APP_ACTIONS, CASE_ACTIONS, app_action, bindings
from screens.commands import CaseProvider, TrayProvider
from screens.screen_keys import ScreenKeysProvider
from screens.stylesheets import AT_START, LATER

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from textual.timer import Timer

    from ehtui.settings import Settings
    from ehtui.tray_cache import Peeked
    from ehtui.tray_rows import Person, TrayLoad

CASE_VIEW = "case"  # the installed case view's name
KEEP_AHEAD_AFTER = 3.0  # seconds after "me"'s tray is computed: the days ahead are kept


@dataclass(frozen=True)
class Session:
    """What the app knows once the store is open."""

    engine: Engine
    settings: Settings
    me: Person | None
    team: tuple[Person, ...]
    store_name: str


class StoreOpened(Message):
    """The store is open (or "me" changed): who I am, and my work tray if I have one."""

    def __init__(self, session: Session, empty: bool, tray: TrayLoad | None) -> None:
        super().__init__()
        self.session = session
        self.empty = empty
        self.tray = tray


class TrayPeeked(Message):
    """The tray kept from the last start, if it still holds (see :mod:`ehtui.tray_cache`)."""

    def __init__(self, peeked: Peeked | None) -> None:
        super().__init__()
        self.peeked = peeked


class CaseViewWanted(Message):
    """Start-up is done (the tray is up, the other screens imported): build the case view."""


class CaseReadAhead(Message):
    """A case was read ahead (the tray's highlight rests on it): draw it ahead too."""

    def __init__(self, episode: str) -> None:
        super().__init__()
        self.episode = episode


class EhtuiApp(App[None]):
    TITLE = "ehtui"
    SUB_TITLE = "Early Help"
    # The stylesheets of the screens a start shows first are read with the app's; the
    # other screens' once the first screen is up (see screens/stylesheets.py).
    CSS_PATH = ["app.tcss", *AT_START]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "tray", "Work tray", id="app.tray"),
        Binding("ctrl+r", "report", "Report", id="app.report", show=False),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        *bindings("app", APP_ACTIONS),
    ]
    COMMANDS = App.COMMANDS | {CaseProvider, TrayProvider, ScreenKeysProvider}

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.session: Session | None = None
        self.last_input = time.monotonic()
        self.encrypted = False
        self.demo_size = "borough"  # what "load the demo" on the welcome screen makes
        self.peeked: Peeked | None = None  # the kept tray on show until the store is open
        self._pending_case: str | None = None  # Enter pressed before the store was open
        self._opening = False
        self._ahead: Timer | None = None
        self.case_ahead = CaseAhead()  # case views read before they are opened
        self.drawn_ahead: str | None = None  # the case last read ahead, to draw ahead

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        from ehtui.ui_prefs import load_keymap, saved_theme
        from screens.loading import LoadingScreen

        theme = saved_theme()
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        keymap, problems = load_keymap()
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", markup=False)
        self.push_screen(LoadingScreen())
        # The kept tray (a few milliseconds' read), then the store once a screen is up.
        self.call_after_refresh(self.peek)
        self.set_interval(15, self.lock_if_idle)

    @work(thread=True, exclusive=True, exit_on_error=False, group="peek")
    def peek(self) -> None:
        """Read the tray kept at the last start (standard-library sqlite3, read-only, no
        SQLAlchemy), so the work tray paints while the store opens."""
        from ehtui.context import remembered_user
        from ehtui.tray_cache import peek_tray, settings_fingerprint

        found = None
        if not self.ctx.encrypted:
            url = self.ctx.url
            user = self.ctx.user or remembered_user(url)
            fingerprint = settings_fingerprint(self.ctx.settings_file)
            found = peek_tray(url, user, self.ctx.now().date(), fingerprint)
            if found is not None:
                import screens.tray  # noqa: F401 - imported here, off the event loop
        self.post_message(TrayPeeked(found))

    @on(TrayPeeked)
    def _tray_peeked(self, message: TrayPeeked) -> None:
        if message.peeked is not None and self.session is None:
            self.peeked = message.peeked
            self.show_tray(message.peeked.load)  # it opens the store once it is painted
        else:
            self.open_store()

    def tray_painted(self) -> None:
        """The kept tray is on the terminal: now open the store (not before, or the
        store's imports would hold up the paint)."""
        if self.session is None and self.peeked is not None and not self._opening:
            self._opening = True
            self.open_store()

    @property
    def who(self) -> tuple[Person | None, tuple[Person, ...]]:
        """Me and my team: from the open store, or from the kept tray until then."""
        if self.session is not None:
            return self.session.me, self.session.team
        if self.peeked is not None:
            return self.peeked.me, self.peeked.team
        return None, ()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def open_store(self) -> None:
        """Open (and upgrade) the store off the event loop; load "me"'s work tray."""
        from ehtui.crypto import engine_passphrase
        from ehtui.db import StoreError
        from ehtui.errors import InputError
        from ehtui.settings import load_settings

        try:
            settings = load_settings(self.ctx.settings_file)
            engine = self.ctx.engine
            me = self.ctx.me()
            self.encrypted = engine_passphrase(engine) is not None
        except (StoreError, InputError) as exc:
            self.call_from_thread(self.exit, None, 1, str(exc))
            return
        name = self.ctx.url.rsplit("/", 1)[-1]
        self._load_me(engine, settings, name, me)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def become(self, ref: str) -> None:
        """Make ``ref`` the store's current user (remembered for this store), then show
        their work tray."""
        from ehtui.context import remember_user

        assert self.session is not None
        remember_user(self.ctx.url, ref)
        self.ctx.user = ref
        session = self.session
        self._load_me(session.engine, session.settings, session.store_name, ref)

    def _load_me(self, engine: Engine, settings: Settings, name: str, me: str | None) -> None:
        """(In a worker.) Who "me" is, and their work tray, posted as one message."""
        from ehtui.store import store_info
        from ehtui.tray_cache import my_tray, settings_fingerprint

        info = store_info(engine, me)
        session = Session(engine, settings, info.me, info.team, name)
        load = None
        if info.me is not None:
            import screens.tray  # noqa: F401 - imported here, off the event loop

            fingerprint = settings_fingerprint(self.ctx.settings_file)
            load = my_tray(engine, self.ctx.now(), info.me, info.team, settings.table, fingerprint)
        self.post_message(StoreOpened(session, info.empty, load))

    @on(StoreOpened)
    def _store_opened(self, message: StoreOpened) -> None:
        from screens.tray import TrayScreen

        first = self.session is None
        peeked, self.peeked = self.peeked, None
        self.session = message.session
        self._show_who()
        self.refresh_bindings()
        same = (
            peeked is not None
            and peeked.me == message.session.me
            and peeked.team == message.session.team
        )
        if same and isinstance(self.screen, TrayScreen) and message.tray is not None:
            self.screen.confirm(message.tray)  # the engine's fresh rows replace the kept ones
        elif message.empty or message.session.me is None:
            from screens.welcome import WelcomeScreen

            if self.ctx.user and not message.empty:
                self.notify(
                    f"--user {self.ctx.user}: no such practitioner in this store",
                    severity="warning",
                    markup=False,
                )
            self.switch_screen(WelcomeScreen(empty=message.empty))
        else:
            self.show_tray(message.tray)
        if self._pending_case is not None:
            episode, self._pending_case = self._pending_case, None
            self.open_case(episode)
        if message.tray is not None:
            self.keep_ahead_soon()
        if first:
            self.call_after_refresh(self.read_stylesheets)
            self.call_after_refresh(self.warm_up)
            self.set_timer(3, self.daily_backup)

    def keep_ahead_soon(self) -> None:
        """ "me"'s tray was just computed (and kept for today): once the app has been
        quiet a few seconds, keep the trays of the days ahead too (:mod:`ehtui.tray_cache`)."""
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = self.set_timer(KEEP_AHEAD_AFTER, self._keep_ahead_when_quiet)

    def _keep_ahead_when_quiet(self) -> None:
        """Quiet means no key or click for ``KEEP_AHEAD_AFTER`` seconds (not merely that
        long since the tray was computed): the days ahead take some 0.2 s of the
        interpreter in their thread (borough store), time a filter keystroke or a case
        opening made meanwhile would wait for."""
        quiet = time.monotonic() - self.last_input
        if quiet < KEEP_AHEAD_AFTER:
            self._ahead = self.set_timer(KEEP_AHEAD_AFTER - quiet, self._keep_ahead_when_quiet)
        else:
            self._keep_ahead()

    @work(thread=True, exclusive=True, exit_on_error=False, group="keep-ahead")
    def _keep_ahead(self) -> None:
        from ehtui.tray_cache import keep_ahead, settings_fingerprint

        session = self.session
        if session is None or session.me is None:
            return
        fingerprint = settings_fingerprint(self.ctx.settings_file)
        keep_ahead(
            session.engine,
            self.ctx.now(),
            session.me,
            session.team,
            session.settings.table,
            fingerprint,
        )

    def read_stylesheets(self) -> None:
        """Read the stylesheets of the screens not shown at start (once the first screen is
        up): showing one of them later then reads and restyles nothing. Their rules are
        for their own screens' widgets, so nothing on show is restyled now."""
        for path in LATER:
            if not self.stylesheet.has_source(path, ""):
                self.stylesheet.read(path)
        self.stylesheet.parse()

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Import the other screens off the event loop once the first one is up, and
        gather one case view (the top of the tray) so the database driver's statement
        cache is warm: opening the first case then costs what opening any case does."""
        import ehtui.tracker  # noqa: F401  (the data tracker's first month: 1.0 -> 0.75 s)
        import screens.case
        import screens.help
        import screens.report  # noqa: F401

        session = self.session
        rows = getattr(self.screen, "rows", None)
        if session is not None and rows:
            self._ahead_of_opening(rows[0].episode)
        if session is not None and session.me is not None:
            self.post_message(CaseViewWanted())

        # What start-up built (modules, the stylesheet, the store's metadata) lives as
        # long as the app: out of the collector's sight, a full collection no longer
        # walks it, which otherwise stalls a keystroke or a case opening now and then.
        gc.freeze()

    def _read_case(self, episode: str) -> None:
        session = self.session
        if session is not None:
            me = session.me.ref if session.me else None
            self.case_ahead.read(
                session.engine, episode, self.ctx.now(), session.settings.table, me
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-ahead")
    def read_case_ahead(self, episode: str) -> None:
        """Read a case view before it is opened (the tray row the highlight rests on)."""
        self._ahead_of_opening(episode)

    def _ahead_of_opening(self, episode: str) -> None:
        """(In a worker.) Read ``episode``'s case view unless it is read already, then
        have it drawn ahead on the event loop."""
        if self.case_ahead.get(episode) is None:
            self._read_case(episode)
        self.post_message(CaseReadAhead(episode))

    @on(CaseReadAhead)
    def _draw_case_ahead(self, message: CaseReadAhead) -> None:
        """Draw the case read ahead in the case view built ahead (off the screen); the
        view, when it is still being built, draws it once mounted (:attr:`drawn_ahead`)."""
        self.drawn_ahead = message.episode
        if self.is_screen_installed(CASE_VIEW):
            case = self.get_screen(CASE_VIEW)
            prepare = getattr(case, "prepare", None)
            if prepare is not None and case.is_mounted:
                prepare(message.episode)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup")
    def daily_backup(self) -> None:
        """The rolling daily backup (keeps 7), on the first open of the day; it waits until
        the first screen is up so it never slows the start."""
        from ehtui.backup import rolling_daily_backup

        if self.session is None:
            return
        try:
            rolling_daily_backup(self.session.engine)
        except Exception as exc:  # a failed backup must never stop the day's work
            self.call_from_thread(
                self.notify, f"Daily backup failed: {exc}", severity="warning", markup=False
            )

    def _show_who(self) -> None:
        if self.session is None:
            return
        who = self.session.me.name if self.session.me else "nobody yet"
        self.sub_title = f"{who} · {self.session.store_name}"

    def _remember_theme(self, theme: Any) -> None:
        from ehtui.ui_prefs import save_theme

        try:
            save_theme(self.theme)
        except OSError as exc:
            self.notify(f"The theme could not be saved: {exc}", severity="warning", markup=False)

    # ------------------------------------------------------------------ idle lock
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

    # ------------------------------------------------------------------ screens
    def show_tray(self, load: TrayLoad | None = None) -> None:
        """The work tray is home: it replaces whatever screen is at the bottom."""
        from screens.tray import TrayScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(TrayScreen(load))

    def open_case(self, episode: str) -> None:
        from screens.case import CaseScreen

        if self.session is None:  # the kept tray is on show: open it once the store is
            self._pending_case = episode
            return
        # One case view, kept once built (usually built ahead, see build_case_view):
        # building its widgets and styling them costs more than the case's data, so
        # opening a case only swaps the data.
        if not self.is_screen_installed(CASE_VIEW):
            self.install_screen(CaseScreen(episode), CASE_VIEW)
            self.push_screen(CASE_VIEW)
            return
        case = cast(CaseScreen, self.get_screen(CASE_VIEW))
        while case in self.screen_stack and self.screen is not case:
            self.pop_screen()  # a case opened from the palette over a case or its forms
        case.show_episode(episode)
        if case not in self.screen_stack:
            self.push_screen(CASE_VIEW)

    @on(CaseViewWanted)
    def build_case_view(self) -> None:
        """Build the case view, empty, while the app is idle after the tray is up, so the
        first case opened costs what every later one does (its data swapped in, one layout)
        rather than also composing, mounting and styling some seventy widgets (0.3-0.4 s).

        Textual mounts a screen only when it is first pushed; this mounts it the way
        ``push_screen`` does (``App._get_screen``) without putting it on the stack.
        Should that private method ever go, the view is simply built on first opening."""
        from screens.case import CaseScreen

        mount = getattr(self, "_get_screen", None)
        if self.is_screen_installed(CASE_VIEW) or mount is None or self._exit:
            return
        self.install_screen(CaseScreen(), CASE_VIEW)
        mount(CASE_VIEW)

    def show_tab(self, tab: str) -> None:
        """Go to the work tray and open one of its trays (mine, hub, up, p-REF)."""
        from screens.tray import TrayScreen

        self.action_tray()
        if isinstance(self.screen, TrayScreen):
            self.screen.select_tab(tab)

    # ------------------------------------------------------------------ actions
    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_tray(self) -> None:
        from screens.tray import TrayScreen

        if self.session is None or self.session.me is None:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, TrayScreen):
            self.show_tray()

    def action_report(self, scope: str = "me") -> None:
        from screens.report import ReportScreen

        if self.session is None or self.session.me is None:
            return
        if isinstance(self.screen, ReportScreen):
            self.screen.show_scope(scope)
        else:
            self.push_screen(ReportScreen(scope))

    def action_run(self, action_id: str) -> None:
        """Open one of the catalogue's screens (Caseload, Duty lookup, ...)."""
        if self.session is not None and self.session.me is not None:
            app_action(action_id).run(self)

    def changed(self, episode: str | None = None) -> None:
        """A form saved: every screen showing case data reloads what it shows (the
        case view, the work tray, the findings), each in its own worker."""
        self.case_ahead.forget()
        for screen in self.screen_stack:
            reload = getattr(screen, "reload_after_save", None)
            if reload is not None:
                reload(episode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The tray, the report and the lock need a store and a "me" (hidden till then)."""
        if action in ("tray", "report", "lock", "run"):
            return self.session is not None and self.session.me is not None
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and words on this screen (F1)", self.action_help)
        if self.session is None or self.session.me is None:
            return
        me = self.session.me
        yield SystemCommand("Work tray", "My open episodes, worst first", self.action_tray)
        yield SystemCommand(
            "Hub tray", f"{me.hub} hub's unallocated group tray", lambda: self.show_tab("hub")
        )
        yield SystemCommand(
            "Universal Plus tray",
            f"{me.hub} hub's Universal Plus work",
            lambda: self.show_tab("up"),
        )
        yield SystemCommand(
            "Report", "Every protocol finding on my episodes and me", self.action_report
        )
        yield SystemCommand(
            "Report: my hub",
            f"Every protocol finding in the {me.hub} hub",
            lambda: self.action_report("hub"),
        )
        yield SystemCommand("Lock", "Hide case data until I come back (ctrl+l)", self.action_lock)
        for action in APP_ACTIONS:
            yield SystemCommand(
                action.name, f"{action.help} ({action.key})", partial(action.run, self)
            )
        episode = getattr(screen, "current_episode", None)
        if isinstance(episode, str):
            for action in CASE_ACTIONS:
                yield SystemCommand(
                    action.name,
                    f"{action.help}: episode {episode} ({action.key} in the case view)",
                    partial(action.run, self, episode),
                )
