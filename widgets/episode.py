"""The episode panel: its dates, source, Lead Professional and hub."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from ehtui.vocab import ClosureReason, Disposal, EpisodeType, Source, label
from widgets.dates import when
from widgets.panel import Panel


class EpisodePanel(Panel):
    TITLE = "Episode"

    def body(self, view: CaseView) -> RenderableType:
        ep = view.episode
        self.border_title = f"{label(EpisodeType, ep.type)} {ep.ref}"
        lead = view.lead
        lines: list[tuple[str, str]] = [
            ("Hub", ep.hub),
            (
                "Lead Professional",
                f"{safe_text(lead.name)} ({lead.role_label})" if lead else "unallocated",
            ),
            ("Referral received", when(ep.referral_received)),
            ("Allocated", when(ep.allocated) or "not yet (on the hub's group tray)"),
            ("Source", label(Source, ep.source)),
            ("Engagement confirmed", when(ep.engagement_confirmed) or "not recorded"),
            ("EHA completed", when(ep.eha_completed) or "not yet"),
        ]
        if ep.disposal:
            lines.append(("Disposal", label(Disposal, ep.disposal)))
        if ep.sessions_delivered is not None:
            lines.append(("Sessions delivered", str(ep.sessions_delivered)))
        if ep.extension_approved_until:
            lines.append(("Extension approved until", when(ep.extension_approved_until)))
        if ep.closed:
            reason = label(ClosureReason, ep.closure_reason) or "no reason recorded"
            lines.append(("Closed", f"{when(ep.closed)} ({reason})"))
        t = Table(box=None, show_header=False, pad_edge=False)
        t.add_column(style="dim", no_wrap=True)
        t.add_column(overflow="fold")
        for key, value in lines:
            t.add_row(key, Text(value))
        return t
