"""Cutting text to a table's columns: one place for the ellipsis and the spare width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PADDING = 2  # a DataTable cell's padding, both sides


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fill_widths(columns: Sequence[tuple[str, int]], space: int, least: int) -> tuple[int, ...]:
    """The columns' widths in a table ``space`` cells wide: each as given, and the one given
    as 0 takes what is left (at least ``least``)."""
    fixed = sum(w + PADDING for _, w in columns if w) + PADDING
    return tuple(w or max(least, space - fixed) for _, w in columns)


def lay_out(table: Any, columns: Sequence[tuple[str, int]], widths: tuple[int, ...]) -> None:
    """Empty ``table`` and give it ``columns`` at ``widths`` (the caller fills the rows)."""
    table.clear(columns=True)
    for (label, _), w in zip(columns, widths, strict=True):
        table.add_column(label, width=w)
