"""The audit trail: append-only rows saying who changed what, when.

Imports and demo generation are audited as one entry per batch (file, user,
counts) with :func:`record_batch`; every change made in the app is audited field
by field by the unit of work (:mod:`ehtui.unit_of_work`); a duty officer's
lookup of a family is logged with :func:`log_access`. :func:`trail` and
:func:`record_history` read it back, newest first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from ehtui.audit_access import log_access
from ehtui.models import AuditEntry
from ehtui.safe_text import safe_text

__all__ = ["log_access", "record_batch", "record_history", "trail"]


def record_batch(
    conn: Connection,
    *,
    user: str | None,
    action: str,
    counts: dict[str, int],
    source: str | None = None,
    at: datetime | None = None,
) -> None:
    """One audit row for a whole batch (an import, a demo load), in the caller's transaction."""
    changes: dict[str, Any] = {"counts": counts}
    if source is not None:
        changes["source"] = source
    conn.execute(
        AuditEntry.__table__.insert().values(  # type: ignore[attr-defined]
            at=at or datetime.now().replace(microsecond=0),
            user=user,
            action=action,
            table="*",
            record=None,
            changes=changes,
        )
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One audit row, as the case view and ``ehtui audit`` show it."""

    id: int
    at: datetime
    user: str | None
    action: str
    table: str
    record: str | None
    changes: dict[str, Any]
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "action": self.action,
            "table": self.table,
            "record": self.record,
            "changes": self.changes,
            "reason": self.reason,
        }

    def summary(self, *, width: int = 60) -> str:
        """The change in a few plain words, safe to print ("note: 'a' → 'b'")."""
        return safe_text(describe_changes(self.action, self.changes), limit=width)


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return repr(value) if value else "''"
    return json.dumps(value, ensure_ascii=False)


def describe_changes(action: str, changes: dict[str, Any]) -> str:
    """Field changes as text: ``field: old → new`` (inserts list the new values)."""
    if action == "access":
        return str(changes.get("what", ""))
    if "counts" in changes and isinstance(changes["counts"], dict):
        counts = ", ".join(f"{k} {v}" for k, v in changes["counts"].items())
        source = changes.get("source")
        return f"{source}: {counts}" if source else counts
    parts = []
    for name, change in changes.items():
        if not isinstance(change, dict) or "new" not in change:
            parts.append(f"{name}: {_show(change)}")
        elif action == "insert":
            parts.append(f"{name}={_show(change['new'])}")
        elif action == "delete" and change.get("new") is None and name != "deleted_at":
            parts.append(f"{name} was {_show(change.get('old'))}")
        else:
            parts.append(f"{name}: {_show(change.get('old'))} → {_show(change['new'])}")
    return "; ".join(parts)


def _entries(rows: Iterable[Any]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            id=row.id,
            at=row.at,
            user=row.user,
            action=row.action,
            table=row.table,
            record=row.record,
            changes=row.changes if isinstance(row.changes, dict) else {},
            reason=row.reason,
        )
        for row in rows
    ]


def trail(
    engine: Engine,
    *,
    record: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[HistoryEntry]:
    """The audit trail, newest first, optionally for one record ref and/or since a moment."""
    tbl = AuditEntry.__table__  # type: ignore[attr-defined]
    query = select(tbl).order_by(tbl.c.at.desc(), tbl.c.id.desc())
    if record is not None:
        query = query.where(tbl.c.record == record)
    if since is not None:
        query = query.where(tbl.c.at >= since)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return _entries(conn.execute(query))


def record_history(engine: Engine, ref: str) -> list[HistoryEntry]:
    """Everything the trail holds about the record ``ref`` (newest first): its insert,
    each update with old and new values, removals, restorations and lookups."""
    return trail(engine, record=ref)
