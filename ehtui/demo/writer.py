"""Writing generated rows with SQLAlchemy Core executemany, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from ehtui.progress import Progress

CHUNK = 5000


def write_all(
    conn: Connection, tables: Sequence[tuple[Any, list[dict[str, Any]]]], progress: bool
) -> dict[str, int]:
    """Insert each table's rows in order (parents first), numbering ``seq``."""
    total = sum(len(rows) for _, rows in tables)
    counts: dict[str, int] = {}
    with Progress("Writing the demo", total, enabled=progress) as bar:
        for model, rows in tables:
            table = model.__table__
            has_seq = "seq" in table.c
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                if has_seq:
                    for i, row in enumerate(chunk, start + 1):
                        row["seq"] = i
                conn.execute(table.insert(), chunk)
                bar.advance(len(chunk))
            counts[table.name] = len(rows)
    return counts
