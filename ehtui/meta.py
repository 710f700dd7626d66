"""Store-wide facts in the ``meta`` table (the demo's suggested user, its anchor)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from ehtui.models import Meta


def get_meta(engine: Engine, key: str) -> str | None:
    table = Meta.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        value = conn.execute(select(table.c.value).where(table.c.key == key)).scalar()
    return None if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Upsert within the caller's transaction."""
    table = Meta.__table__  # type: ignore[attr-defined]
    updated = conn.execute(table.update().where(table.c.key == key).values(value=value))
    if not updated.rowcount:
        conn.execute(table.insert().values(key=key, value=value))
