"""The audit trail: append-only rows saying who changed what, when.

Imports and demo generation are audited as one entry per batch (file, user,
counts); every change made in the app is audited field by field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from ehtui.models import AuditEntry


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
