"""Store-wide facts in the ``meta`` table (the demo's suggested user, its anchor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehtui.sql import Runner, reading

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def get_meta(source: Engine | Runner, key: str) -> str | None:
    """The value kept under ``key`` (None: none), read through an engine or a runner."""
    with reading(source) as run:
        found = run.rows("SELECT value FROM meta WHERE key = :key", key=key)
    return None if not found or found[0][0] is None else str(found[0][0])


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Upsert within the caller's transaction."""
    from ehtui.models import Meta

    table = Meta.__table__  # type: ignore[attr-defined]
    updated = conn.execute(table.update().where(table.c.key == key).values(value=value))
    if not updated.rowcount:
        conn.execute(table.insert().values(key=key, value=value))
