"""The demographics checklist (§6.2, §24.2): what each record still lacks."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from ehtui.safe_text import safe_text
from ehtui.store import CaseView
from widgets.dates import when
from widgets.panel import Panel

OK = Text("✓ ", style="green")
GAP = Text("✗ ", style="bold red")


def line(who: str, missing: tuple[str, ...]) -> Text:
    return Text.assemble(
        OK if not missing else GAP,
        who,
        ": ",
        "complete" if not missing else "missing " + ", ".join(missing),
    )


class DemographicsChecklist(Panel):
    TITLE = "Demographics checklist (§6.2, §24.2)"

    def body(self, view: CaseView) -> RenderableType:
        c = view.checklist
        lines = [line(safe_text(name), missing) for name, missing in c.children]
        lines.append(line("Family", c.family))
        lines.append(
            Text.assemble(
                "Documents: ",
                *(Text.assemble(OK if ok else GAP, name, "  ") for name, ok in c.documents),
            )
        )
        if c.required_from is not None:
            lines.append(
                Text(f"Required from {when(c.required_from)} (allocation + 7 working days)", "dim")
            )
        return Group(*lines)
