"""Command-palette providers: "Open case…" by family or child name, and every tray.

The app's own actions (Work tray, Hub tray, Report, Help, Lock, themes) are
system commands in :meth:`ehtui.app.EhtuiApp.get_system_commands`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from ehtui.store import CaseName


class CaseProvider(Provider):
    """Open an open episode's case view by typing a family or child name (or its ref)."""

    async def startup(self) -> None:
        app: Any = self.app
        self._cases: list[CaseName] = []
        if getattr(app, "session", None) is not None:
            from ehtui.store import case_names

            worker = self.app.run_worker(
                partial(case_names, app.session.engine),
                thread=True,
                exit_on_error=False,
                group="palette",
            )
            self._cases = await worker.wait() or []

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app: Any = self.app
        for case in getattr(self, "_cases", []):
            text = f"Open case… {case.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(app.open_case, case.episode),
                    text=text,
                    help="Open the case view",
                )

    async def discover(self) -> Hits:
        app: Any = self.app
        for case in getattr(self, "_cases", [])[:10]:
            yield DiscoveryHit(
                f"Open case… {case.title}",
                partial(app.open_case, case.episode),
                help="Open the case view",
            )


class TrayProvider(Provider):
    """Jump to any tray "me" can see: mine, the hub's, Universal Plus, my team's."""

    def _trays(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: Any = self.app
        session = getattr(app, "session", None)
        if session is None or session.me is None:
            return []
        from ehtui.tray_rows import tray_tabs

        return [
            (f"Tray: {label}", partial(app.show_tab, tab), "Open this tray")
            for tab, label in tray_tabs(session.me, session.team)
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, help_text in self._trays():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, text=text, help=help_text)

    async def discover(self) -> Hits:
        for text, action, help_text in self._trays():
            yield DiscoveryHit(text, action, help=help_text)
