"""The last work tray shown, kept in the store so the next start paints it at once.

Opening the store (SQLAlchemy, the models, the engine, the bank holidays) takes
a few hundred milliseconds; a practitioner opening the app wants their tray
now. So each time "me"'s own tray is computed, it is kept in the store's
``meta`` table (inside the store, so an encrypted store keeps it encrypted:
there the fast path is simply not taken), stamped with

- the store's newest audit entry (every change to case data, in the app or by
  import or demo, appends one, so any change since makes the stamp stale),
- the as-of day (clocks move at midnight), the settings file's fingerprint
  (the rules table) and the app's version.

At start-up :func:`peek_tray` reads it with the standard library's ``sqlite3``
(read-only, no SQLAlchemy) and, when every stamp still holds, the app shows it
while the store opens; the engine's fresh tray then replaces it (in the same
second). Hour-based clocks (RECORD-48H, RHI-72H) can move within a day: that
is what the confirming load is for.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ehtui import __version__, paths
from ehtui.levels import Level
from ehtui.tray_rows import Person, TrayLoad, TrayRow

FORMAT = 1
SQLITE_HEADER = b"SQLite format 3\x00"
AUDIT_STAMP = "SELECT coalesce(max(id), 0) FROM audit"


def cache_key(user: str) -> str:
    return f"tray_cache:{user}"


def settings_fingerprint(explicit: str | None) -> str:
    path = paths.settings_file(explicit)
    if path is None:
        return "-"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "?"


@dataclass(frozen=True)
class Peeked:
    """A tray fit to paint before the store is open."""

    me: Person
    team: tuple[Person, ...]
    load: TrayLoad


def _when(value: str | None) -> date | datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


def _row_json(row: TrayRow) -> dict[str, Any]:
    data = asdict(row)
    data["level"] = str(row.level)
    data["next_due"] = row.next_due.isoformat() if row.next_due is not None else None
    return data


def _row(data: dict[str, Any]) -> TrayRow:
    data = dict(data)
    data["level"] = Level(data["level"])
    data["next_due"] = _when(data["next_due"])
    return TrayRow(**data)


def payload(
    load: TrayLoad,
    me: Person,
    team: tuple[Person, ...],
    *,
    day: date,
    stamp: int,
    settings: str,
) -> str:
    """The cache entry for "me"'s own tray (``stamp``: the newest audit id, read before
    the tray was computed, so a change made meanwhile makes the entry stale)."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": __version__,
            "day": day.isoformat(),
            "stamp": stamp,
            "settings": settings,
            "me": asdict(me),
            "team": [asdict(p) for p in team],
            "tab": load.tab,
            "name": load.name,
            "rows": [_row_json(r) for r in load.rows],
        },
        separators=(",", ":"),
    )


def my_tray(
    engine: Any,
    as_of: datetime,
    me: Person,
    team: tuple[Person, ...],
    table: Any,
    settings: str,
) -> TrayLoad:
    """(In a worker.) "me"'s own tray from the engine, kept for the next start."""
    from ehtui.meta import set_meta
    from ehtui.store import tray_for

    with engine.connect() as conn:
        stamp = int(conn.exec_driver_sql(AUDIT_STAMP).scalar_one())
    load = tray_for(engine, as_of, me, "mine", team, table)
    if engine.dialect.name == "sqlite":
        entry = payload(load, me, team, day=as_of.date(), stamp=stamp, settings=settings)
        try:
            with engine.begin() as conn:
                set_meta(conn, cache_key(me.ref), entry)
        except Exception:  # a busy or read-only store: the next start takes the normal road
            pass
    return load


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///`` URL (None for anything else)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = Path(url.removeprefix(prefix))
    return path if path.name not in ("", ":memory:") else None


def peek_tray(url: str, user: str | None, day: date, settings: str) -> Peeked | None:
    """The kept tray of ``user`` (None: the demo's suggested user, as
    :meth:`ehtui.context.Context.me`) when it still holds (same data, day, settings,
    version); None otherwise, or when the store is not a plain SQLite file, or on any
    doubt."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return None  # encrypted (or not a store): take the normal road
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            if user is None:
                found = conn.execute("SELECT value FROM meta WHERE key = 'demo_user'").fetchone()
                if found is None:
                    return None
                user = str(found[0])
            row = conn.execute(
                "SELECT value FROM meta WHERE key = ?", (cache_key(user),)
            ).fetchone()
            if row is None:
                return None
            stamp = conn.execute(AUDIT_STAMP).fetchone()[0]
        finally:
            conn.close()
        data = json.loads(row[0])
        if (
            data.get("format") != FORMAT
            or data.get("version") != __version__
            or data.get("day") != day.isoformat()
            or data.get("settings") != settings
            or data.get("stamp") != stamp
        ):
            return None
        me = Person(**data["me"])
        if me.ref != user:
            return None
        team = tuple(Person(**p) for p in data["team"])
        load = TrayLoad(data["tab"], data["name"], tuple(_row(r) for r in data["rows"]))
        return Peeked(me, team, load)
    except (OSError, sqlite3.Error, ValueError, KeyError, TypeError):
        return None
