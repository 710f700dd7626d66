"""The load bar: families held against the cap, as a bar, the numbers and a symbol.

``████░░░░ 9/15`` on track; ``█████░░░ 13/15 i`` at the engine's advice level;
``████████ 21/15 ▲`` over the cap. The state is the engine's cap finding (the
bar never decides it): colour and a symbol, so it reads without colour too.
"""

from __future__ import annotations

from rich.text import Text

from widgets.badge import STATE_STYLES, STATE_SYMBOLS

FULL = "█"
EMPTY = "░"
WIDTH = 8


def cap_text(cap: float) -> str:
    """15, 7.5, 12 (an FTE's share of the cap, as the protocol rounds nothing)."""
    return f"{cap:g}"


def load_bar(families: int, cap: float | None, state: str | None, width: int = WIDTH) -> Text:
    """``families`` against ``cap`` as a ``width``-cell bar, then "families/cap" and the
    state's symbol (▲ over the limit, i advice). Without a cap: the count alone."""
    if not cap:
        return Text(f"{'·' * width} {families} (no cap)", style="dim")
    filled = min(width, round(width * families / cap))
    if families and not filled:
        filled = 1  # one family shows
    style = STATE_STYLES.get(state or "", "") or "green"
    text = Text()
    text.append(FULL * filled, style=style)
    text.append(EMPTY * (width - filled), style="dim")
    text.append(f" {families}/{cap_text(cap)}")
    if state:
        text.append(f" {STATE_SYMBOLS.get(state, '')}", style=style)
    return text
