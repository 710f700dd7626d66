"""The last work tray shown, kept in the store so the next start paints it at once.

Opening the store (SQLAlchemy, the models, the engine, the bank holidays) takes
a few hundred milliseconds; a practitioner opening the app wants their tray
now. So each time "me"'s own tray is computed, it is kept in the store's
``meta`` table (inside the store, so an encrypted store keeps it encrypted:
there the fast path is simply not taken), stamped with

- the store's newest audit entry (every change to case data, in the app or by
  import or demo, appends one, so any change since makes the stamp stale),
- the settings file's fingerprint (the rules table) and the app's version.

Clocks move at midnight, so the entry holds the tray as the engine computes it
for today *and for each of the next* :data:`DAYS_AHEAD` *days* (the same data
seen on a later day: ages, days open, warning windows and overdue thresholds
all move with the date). A practitioner who closes the laptop on Friday and
opens it on Monday, with nothing changed in between, still gets Monday's tray
at once. The extra days cost about 20 ms each for a 40-case holder, so
:func:`keep_ahead` computes them in a worker a few seconds after the tray is
on the screen, not while the practitioner's first keystrokes want the CPU.

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
from datetime import date, datetime, timedelta
from typing import Any

from ehtui import __version__, paths
from ehtui.levels import Level
from ehtui.meta import get_meta
from ehtui.sql import SqliteRunner, open_plain
from ehtui.tray_rows import Person, TrayLoad, TrayRow

FORMAT = 2
HOLDS = ("format", "version", "stamp", "settings", "me", "team")  # what a kept day needs
DAYS_AHEAD = 7  # a week: covers a weekend, a bank holiday, a few days off
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


def _load_json(load: TrayLoad) -> dict[str, Any]:
    return {"tab": load.tab, "name": load.name, "rows": [_row_json(r) for r in load.rows]}


def payload(
    days: dict[date, TrayLoad],
    me: Person,
    team: tuple[Person, ...],
    *,
    stamp: int,
    settings: str,
) -> str:
    """The cache entry for "me"'s own tray, one load per day (``stamp``: the newest
    audit id, read before the trays were computed, so a change made meanwhile makes
    the entry stale)."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": __version__,
            "stamp": stamp,
            "settings": settings,
            "me": asdict(me),
            "team": [asdict(p) for p in team],
            "days": {day.isoformat(): _load_json(load) for day, load in days.items()},
        },
        separators=(",", ":"),
    )


def _stamp(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(AUDIT_STAMP).scalar_one())


def _kept(engine: Any, me: Person) -> dict[str, Any] | None:
    entry = get_meta(engine, cache_key(me.ref))
    try:
        data = json.loads(entry) if entry else None
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _keep(engine: Any, me: Person, entry: str) -> None:
    from ehtui.meta import set_meta

    try:
        with engine.begin() as conn:
            set_meta(conn, cache_key(me.ref), entry)
    except Exception:  # a busy or read-only store: the next start takes the normal road
        pass


def my_tray(
    engine: Any,
    as_of: datetime,
    me: Person,
    team: tuple[Person, ...],
    table: Any,
    settings: str,
) -> TrayLoad:
    """(In a worker.) "me"'s own tray from the engine, kept for the next start today.
    The days ahead already kept stay kept while nothing has changed (same data and
    settings); :func:`keep_ahead` adds them otherwise."""
    from ehtui.store import tray_for

    stamp = _stamp(engine)
    load = tray_for(engine, as_of, me, "mine", team, table)
    if engine.dialect.name != "sqlite":
        return load
    fresh = json.loads(payload({as_of.date(): load}, me, team, stamp=stamp, settings=settings))
    kept = _kept(engine, me)
    if kept is not None and all(kept.get(k) == fresh[k] for k in HOLDS):
        if kept["days"].get(as_of.date().isoformat()) == fresh["days"][as_of.date().isoformat()]:
            return load  # as kept: nothing to write
        fresh["days"] = {**kept["days"], **fresh["days"]}
    _keep(engine, me, json.dumps(fresh, separators=(",", ":")))
    return load


def ahead_kept(engine: Any, as_of: datetime, me: Person, settings: str) -> bool:
    """Whether "me"'s kept trays already cover the days ahead of ``as_of``, for the
    store's current data and these settings."""
    if engine.dialect.name != "sqlite":
        return True
    kept = _kept(engine, me)
    if kept is None or kept.get("stamp") != _stamp(engine) or kept.get("settings") != settings:
        return False
    return all(
        (as_of + timedelta(days=ahead)).date().isoformat() in kept["days"]
        for ahead in range(DAYS_AHEAD + 1)
    )


def keep_ahead(
    engine: Any,
    as_of: datetime,
    me: Person,
    team: tuple[Person, ...],
    table: Any,
    settings: str,
) -> int:
    """(In a worker, once the app is quiet.) Keep "me"'s tray for today and each of the
    next :data:`DAYS_AHEAD` days (at the same time of day), so tomorrow's first start,
    or Monday's, paints at once. Returns how many days were computed (0 when they
    were already kept, or on a store that does not keep trays)."""
    from ehtui.store import tray_for

    if ahead_kept(engine, as_of, me, settings):
        return 0
    stamp = _stamp(engine)
    days = {
        (as_of + timedelta(days=ahead)).date(): tray_for(
            engine, as_of + timedelta(days=ahead), me, "mine", team, table
        )
        for ahead in range(DAYS_AHEAD + 1)
    }
    _keep(engine, me, payload(days, me, team, stamp=stamp, settings=settings))
    return len(days)


def peek_tray(url: str, user: str | None, day: date, settings: str) -> Peeked | None:
    """The kept tray of ``user`` (None: the demo's suggested user, as
    :meth:`ehtui.context.Context.me`) for ``day`` when it still holds (same data,
    settings and version, and ``day`` among the days kept); None otherwise, or when
    the store is not a plain SQLite file, or on any doubt."""
    conn = open_plain(url, read_only=True, timeout=0.2)
    if conn is None:
        return None  # encrypted, not a plain file, or not at the newest schema
    try:
        run = SqliteRunner(conn)
        try:
            user = user or get_meta(run, "demo_user")
            entry = get_meta(run, cache_key(user)) if user else None
            if user is None or entry is None:
                return None
            stamp = run.rows(AUDIT_STAMP)[0][0]
        finally:
            conn.close()
        data = json.loads(entry)
        if (
            data.get("format") != FORMAT
            or data.get("version") != __version__
            or data.get("settings") != settings
            or data.get("stamp") != stamp
        ):
            return None
        me = Person(**data["me"])
        kept = data["days"].get(day.isoformat())
        if me.ref != user or kept is None:
            return None
        team = tuple(Person(**p) for p in data["team"])
        load = TrayLoad(kept["tab"], kept["name"], tuple(_row(r) for r in kept["rows"]))
        return Peeked(me, team, load)
    except (OSError, sqlite3.Error, ValueError, KeyError, TypeError):
        return None
