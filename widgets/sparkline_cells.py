"""Sparklines that fit in a table cell or a line of text: one block a month.

``▁▂▃▄▅▆▇█`` from the lowest to the highest value; a month with no value (an
on-time rate with nothing met) is a dim ``·``. Counts are scaled to the row's
own largest value (zero is a dim ``▁``); rates to a fixed top (1.0).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

BLOCKS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float | None], *, top: float | None = None, style: str = "") -> Text:
    """One block per value, oldest first: the height is the value's share of ``top``
    (default: the largest value); None is ``·``."""
    known = [v for v in values if v is not None]
    peak = top if top is not None else max(known, default=0.0)
    out = Text()
    for v in values:
        if v is None:
            out.append("·", style="dim")
        elif peak <= 0 or v <= 0:
            out.append(BLOCKS[0], style="dim")
        else:
            step = round((len(BLOCKS) - 1) * min(v / peak, 1.0))
            if top is None:
                step = max(step, 1)  # any count above nothing shows above the floor
            out.append(BLOCKS[step], style=style)
    return out
