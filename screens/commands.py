"""Command-palette providers: "Open case…" by family or child name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from ehtui.store import CaseName


class CaseProvider(Provider):
    """Open an open episode's case view by typing a family or child name."""

    async def startup(self) -> None:
        app: Any = self.app
        self._cases: list[CaseName] = []
        if getattr(app, "session", None) is not None:
            from ehtui.store import case_names

            worker = self.app.run_worker(
                partial(case_names, app.session.engine), thread=True, exit_on_error=False
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
                    help="Open the case view",
                )

    async def discover(self) -> Hits:
        app: Any = self.app
        for case in getattr(self, "_cases", [])[:10]:
            yield DiscoveryHit(f"Open case… {case.title}", partial(app.open_case, case.episode))
