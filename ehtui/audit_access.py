"""Logging a look at a record (a duty officer's lookup of a family) in the audit trail.

Apart from :mod:`ehtui.audit` so that ``ehtui lookup`` on a plain SQLite store
(:class:`~ehtui.sql.SqliteRunner`) logs its viewing without importing
SQLAlchemy or the models.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ehtui.sql import Runner, writing

if TYPE_CHECKING:
    from sqlalchemy import Engine

INSERT = (
    'INSERT INTO audit (at, "user", action, "table", record, changes)'
    " VALUES (:at, :user, 'access', :table, :record, :changes)"
)


def log_access(
    source: Engine | Runner,
    user: str | None,
    record: Any,
    what: str,
    *,
    table: str | None = None,
    at: datetime | None = None,
) -> None:
    """Log that ``user`` looked at ``record`` (a duty officer's lookup of a family).

    ``record`` is a ref or a model object; ``what`` says what was looked at
    ("duty lookup: family summary"). Its own small transaction, append-only.
    """
    if isinstance(record, str):
        ref, tname = record, table or "family"
    else:
        ref, tname = str(record.ref), table or str(record.__table__.name)
    with writing(source) as run:
        run.write(
            INSERT,
            at=at or datetime.now().replace(microsecond=0),
            user=user,
            table=tname,
            record=ref,
            changes=json.dumps({"what": what}),  # the JSON column's text, on either backend
        )
