"""The one way the app changes case data: an audited, version-checked unit of work.

::

    with write(engine, user="P1") as s:
        episode = fetch(s, Episode, "E1", version=opened_version)
        episode.hub = "East/Central"
        s.add(Contact(ref="K9", episode="E1", ...))

One ``with`` block is one user action and one transaction: everything commits
together or (on any error) nothing does. While it flushes, the unit of work

- checks every value it is about to write (types, NUL characters, sizes,
  JSON-safety) and refuses bad input with :class:`~ehtui.errors.InputError`
  naming the record and field, before anything reaches the store;
- gives new case records their ``seq`` (insertion order) and ``version`` 1;
- checks each changed case record's ``version`` against the store with
  ``UPDATE ... SET version = version + 1 WHERE ref = :ref AND version = :expected``;
  when someone else changed the record since it was opened, :class:`StaleRecord`
  is raised and nothing is written (never a silent overwrite);
- appends one :class:`~ehtui.models.AuditEntry` per insert, update, removal or
  restoration, with who, when, the table, the record's ref and, per changed
  field, the old and new values (JSON-safe: dates as ISO strings);
- refuses hard deletes of case records (:class:`HardDeleteRefused`) and any
  change to the audit trail itself: removal is :func:`soft_delete` with a reason.

The expected version of a record is the ``version`` the caller holds: a record
fetched in this unit of work holds what the store had then; pass the version
the form was opened with to :func:`fetch` (or :meth:`Session.merge` a detached
copy) to check against that instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    event,
    func,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import attributes
from sqlalchemy.types import JSON, TypeDecorator
from sqlmodel import Session, SQLModel

from ehtui.db import lock_numbering
from ehtui.errors import InputError
from ehtui.models import AuditEntry, CaseRecord, EpisodeChild, OsrRota

MAX_TEXT = 200_000  # characters in one text field (a very long note is ~20,000)
MAX_INT = 2**63 - 1  # SQLite's INTEGER range
MAX_JSON_ITEMS = 10_000  # values in one list or object column, all levels

# What a record of each table is called in messages.
RECORD_WORDS: dict[str, str] = {
    "practitioner": "practitioner",
    "family": "family",
    "member": "family member",
    "episode": "episode",
    "contact": "contact",
    "voice_of_child": "voice of the child record",
    "taf_meeting": "TAF meeting",
    "oversight": "oversight record",
    "appointment": "appointment",
    "osr_rota": "OSR rota entry",
    "episode_child": "episode's child",
}

# Columns the unit of work keeps itself: not reported as field changes.
BOOKKEEPING = frozenset({"seq", "version"})

_USER = "ehtui_user"
_REASON = "ehtui_reason"
_AT = "ehtui_at"
_REASONS = "ehtui_record_reasons"
_CHECKED = "ehtui_version_checked"
_NUMBERED = "ehtui_numbered"
_NUMBERING_LOCKED = "ehtui_numbering_locked"

M = TypeVar("M", bound=SQLModel)


class StaleRecord(Exception):
    """The record changed (or went) in the store since the caller read it."""

    def __init__(self, table: str, ref: str, *, gone: bool = False) -> None:
        self.table = table
        self.ref = ref
        self.gone = gone
        word = RECORD_WORDS.get(table, table)
        if gone:
            message = f"This {word} ({ref}) is no longer in the store; reload and try again."
        else:
            message = (
                f"This {word} ({ref}) was changed by someone else since you opened it; "
                "reload and try again."
            )
        super().__init__(message)


class HardDeleteRefused(Exception):
    """A case record (or an audit row) was deleted outright; use :func:`soft_delete`."""


class AuditedSession(Session):
    """A session whose flushes are checked and audited (see the module docstring).

    The models declare foreign keys but no ORM relationships, so SQLAlchemy would
    insert new rows of different tables in no particular order; this session
    flushes new records table by table, parents first (a family before its
    members), so one action may add a family, its members and an episode.
    """

    def flush(self, objects: Any = None) -> None:
        groups = _new_by_table(self) if objects is None else []
        if len(groups) < 2:
            super().flush(objects)
            return
        for group in groups[1:]:
            for obj in group:
                self.expunge(obj)
        for i, group in enumerate(groups):
            for obj in group if i else ():
                self.add(obj)
            super().flush()


def _new_by_table(session: Session) -> list[list[Any]]:
    """Pending objects grouped by table, parents' tables first (in the order added)."""
    order = {t.name: i for i, t in enumerate(SQLModel.metadata.sorted_tables)}
    pending = sorted(
        (o for o in session.new if hasattr(o, "__table__")),
        key=lambda o: sa_inspect(o).insert_order or 0,
    )
    groups: dict[str, list[Any]] = {}
    for obj in pending:
        groups.setdefault(obj.__table__.name, []).append(obj)
    return [groups[name] for name in sorted(groups, key=lambda n: order.get(n, len(order)))]


def record_word(table: str) -> str:
    return RECORD_WORDS.get(table, table)


def _ref_of(obj: Any) -> str:
    if isinstance(obj, OsrRota):
        return f"{obj.hub} {obj.week}"
    if isinstance(obj, EpisodeChild):
        return str(obj.episode)
    return str(getattr(obj, "ref", None))


def _table_of(obj: Any) -> str:
    return str(obj.__table__.name)


def json_safe(value: Any) -> Any:
    """A column value as JSON: dates and date-times as ISO strings, lists/dicts deep."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --- values ---------------------------------------------------------------------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text_problem(value: str) -> str | None:
    if len(value) > MAX_TEXT:
        return f"is too long ({len(value):,} characters; at most {MAX_TEXT:,})"
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (an unpaired surrogate)"
    return None


def _json_problem(value: Any, expected: type | None) -> str | None:
    """Lists and objects of text, whole numbers, finite numbers, true/false and null."""
    if expected is not None and not isinstance(value, expected):
        kind = "a list" if expected is list else "an object"
        return f"{_short(value)} is not {kind}"
    stack: list[Any] = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_JSON_ITEMS:
            return f"holds more than {MAX_JSON_ITEMS:,} items"
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return f"holds text that {problem}"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -MAX_INT - 1 <= item <= MAX_INT:
                return f"holds a number that is too large ({_short(item)})"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"holds {item!r}, which is not a number"
        elif isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                return f"{_short(item)} has a key that is not text"
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            return f"{_short(item)} cannot be stored (only text, numbers, true/false, lists)"
    return None


def _value_problem(column: Any, value: Any, expected_json: type | None) -> str | None:
    """Why ``value`` cannot go in ``column``, or ``None`` when it can."""
    if value is None:
        if column.nullable or (column.primary_key and isinstance(column.type, Integer)):
            return None
        return "is required"
    ctype = column.type
    if isinstance(ctype, TypeDecorator):  # SQLModel's AutoString is a String underneath
        ctype = ctype.impl_instance
    if isinstance(ctype, JSON):
        return _json_problem(value, expected_json)
    if isinstance(ctype, Boolean):
        return None if isinstance(value, bool) else f"{_short(value)} is not true or false"
    if isinstance(ctype, DateTime):
        if not isinstance(value, datetime):
            return f"{_short(value)} is not a date-time"
        if value.tzinfo is not None:
            return f"{_short(value)} has a time zone (date-times are local time)"
        return None
    if isinstance(ctype, Date):
        if isinstance(value, datetime) or not isinstance(value, date):
            return f"{_short(value)} is not a date"
        return None
    if isinstance(ctype, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{_short(value)} is not a whole number"
        return None if -MAX_INT - 1 <= value <= MAX_INT else f"{value} is too large"
    if isinstance(ctype, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{_short(value)} is not a number"
        return None if math.isfinite(value) else f"{value!r} is not a number"
    if isinstance(ctype, String):
        if not isinstance(value, str):
            return f"{_short(value)} is not text"
        problem = _text_problem(value)
        if problem is None and column.primary_key and not value.strip():
            problem = "is empty (a ref is needed)"
        return problem
    return None


def _json_kind(obj: Any, name: str) -> type | None:
    info = type(obj).model_fields.get(name)
    factory = getattr(info, "default_factory", None)
    return factory if factory in (list, dict) else None


def check_values(obj: Any) -> list[str]:
    """Every problem with the values ``obj`` would write, each naming record and field."""
    problems = []
    table = _table_of(obj)
    for column in obj.__table__.columns:
        value = getattr(obj, column.key, None)
        problem = _value_problem(column, value, _json_kind(obj, column.key))
        if problem is not None:
            ref = getattr(obj, "ref", None)
            label = record_word(table)
            if isinstance(ref, str) and column.key != "ref" and not _text_problem(ref):
                from ehtui.safe_text import safe_text

                label = f"{label} {safe_text(ref, limit=40)}"
            problems.append(f"{label}: {column.key}: {problem}")
    return problems


# --- the flush hook ---------------------------------------------------------------------


def _now(session: Session) -> datetime:
    at = session.info.get(_AT)
    return at if isinstance(at, datetime) else datetime.now().replace(microsecond=0)


def _history(obj: Any, key: str) -> tuple[bool, Any, Any]:
    """(changed, old, new) for one column attribute."""
    hist = attributes.get_history(obj, key)
    if not hist.added and not hist.deleted:
        return False, None, None
    old = hist.deleted[0] if hist.deleted else None
    new = hist.added[0] if hist.added else None
    if type(old) is type(new) and old == new:
        return False, None, None
    return True, old, new


def _insert_changes(obj: Any) -> dict[str, Any]:
    changes = {}
    for column in obj.__table__.columns:
        if column.key in BOOKKEEPING:
            continue
        value = getattr(obj, column.key, None)
        if value is None or value == [] or value == {}:
            continue
        changes[column.key] = {"old": None, "new": json_safe(value)}
    return changes


def _update_changes(obj: Any) -> dict[str, Any]:
    changes = {}
    for column in obj.__table__.columns:
        if column.key in BOOKKEEPING:
            continue
        changed, old, new = _history(obj, column.key)
        if changed:
            changes[column.key] = {"old": json_safe(old), "new": json_safe(new)}
    return changes


def _audit(
    session: Session, obj: Any, action: str, changes: dict[str, Any], reason: str | None
) -> None:
    reasons = session.info.get(_REASONS, {})
    table = _table_of(obj)
    ref = _ref_of(obj)
    session.add(
        AuditEntry(
            at=_now(session),
            user=session.info.get(_USER),
            action=action,
            table=table,
            record=ref,
            changes=changes,
            reason=reasons.get((table, ref), reason),
        )
    )


def _check_version(session: Session, obj: CaseRecord) -> None:
    """Claim the record at the version the caller holds, or raise :class:`StaleRecord`."""
    table = obj.__table__  # type: ignore[attr-defined]
    ref = obj.ref  # type: ignore[attr-defined]
    key = (table.name, ref)
    checked: set[tuple[str, str]] = session.info.setdefault(_CHECKED, set())
    if key in checked:  # already claimed in this transaction
        return
    expected = obj.version
    conn = session.connection()
    claimed = conn.execute(
        table.update()
        .where(table.c.ref == ref, table.c.version == expected)
        .values(version=table.c.version + 1)
    ).rowcount
    if claimed != 1:
        exists = conn.execute(select(table.c.version).where(table.c.ref == ref)).first()
        raise StaleRecord(table.name, ref, gone=exists is None)
    checked.add(key)
    obj.version = expected + 1


def _next_seqs(session: Session, objs: list[Any]) -> None:
    """New case records get ``seq`` after the table's highest (insertion order).

    The number is worked out by the INSERT itself (a subquery), which runs
    holding the store's write lock, so two processes adding records at the same
    moment never take the same number.
    """
    for obj in objs:
        if not obj.seq:
            table = obj.__table__
            _lock_numbering(session, table.name)
            obj.seq = select(func.coalesce(func.max(table.c.seq), 0) + 1).scalar_subquery()
            session.info.setdefault(_NUMBERED, []).append(obj)


def _lock_numbering(session: Session, table: str) -> None:
    locked: set[str] = session.info.setdefault(_NUMBERING_LOCKED, set())
    if table not in locked:
        lock_numbering(session.connection(), table)  # PostgreSQL: one numberer at a time
        locked.add(table)


def _after_flush_postexec(session: Session, _context: Any) -> None:
    """Read back the ``seq`` numbers the INSERTs chose (so the objects stay usable
    after the session closes)."""
    numbered = session.info.pop(_NUMBERED, [])
    by_table: dict[Any, dict[str, Any]] = {}
    for obj in numbered:
        by_table.setdefault(obj.__table__, {})[obj.ref] = obj
    conn = session.connection()
    for table, objs in by_table.items():
        refs = list(objs)
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            query = select(table.c.ref, table.c.seq).where(table.c.ref.in_(chunk))
            for ref, seq in conn.execute(query):
                attributes.set_committed_value(objs[ref], "seq", seq)


def _existing_refs(session: Session, objs: list[Any]) -> list[str]:
    """A problem for each new record whose ref the store already holds."""
    by_table: dict[Any, list[str]] = {}
    for obj in objs:
        by_table.setdefault(obj.__table__, []).append(obj.ref)
    problems = []
    conn = session.connection()
    for table, refs in by_table.items():
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            query = select(table.c.ref).where(table.c.ref.in_(chunk))
            for (ref,) in conn.execute(query):
                problems.append(f"{record_word(table.name)} {ref}: ref: already in the store")
    return problems


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    problems: list[str] = []
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise HardDeleteRefused("the audit trail is append-only")
        if isinstance(obj, CaseRecord):
            raise HardDeleteRefused(
                f"{record_word(_table_of(obj))} {_ref_of(obj)}: case records are never "
                "deleted outright; remove it with a reason (soft delete)"
            )
    new = [o for o in session.new if isinstance(o, SQLModel)]
    touched = [o for o in session.dirty if isinstance(o, SQLModel)]
    # Values first: comparing a hostile value (a signalling NaN, an object with a
    # broken __eq__) to find what changed could itself fail.
    for obj in [*new, *touched]:
        problems.extend(check_values(obj))
    if problems:
        raise InputError(problems)
    dirty = [o for o in touched if session.is_modified(o, include_collections=False)]
    for obj in dirty:
        if isinstance(obj, AuditEntry):
            raise HardDeleteRefused("the audit trail is append-only")
    for obj in [*new, *dirty]:
        if isinstance(obj, CaseRecord) and obj.deleted_at is not None:
            reason = obj.deleted_reason
            if not isinstance(reason, str) or not reason.strip():
                problems.append(
                    f"{record_word(_table_of(obj))} {_ref_of(obj)}: deleted_reason: "
                    "a reason is required to remove a record"
                )
    for obj in dirty:
        if isinstance(obj, CaseRecord) and _history(obj, "ref")[0]:
            problems.append(
                f"{record_word(_table_of(obj))}: ref: a record's ref cannot change "
                "(it is how other systems know the record)"
            )
    if not problems:
        problems.extend(_existing_refs(session, [o for o in new if isinstance(o, CaseRecord)]))
    if problems:
        raise InputError(problems)

    reason = session.info.get(_REASON)
    with session.no_autoflush:
        case_new = [o for o in new if isinstance(o, CaseRecord)]
        _next_seqs(session, case_new)
        for obj in new:
            if isinstance(obj, CaseRecord | OsrRota | EpisodeChild):
                _audit(session, obj, "insert", _insert_changes(obj), reason)
        for obj in dirty:
            if not isinstance(obj, CaseRecord | OsrRota | EpisodeChild):
                continue
            changes = _update_changes(obj)
            if not changes:
                changed, old, _new = _history(obj, "version")
                if changed:  # a merged stale copy with nothing else changed
                    obj.version = old
                continue
            if isinstance(obj, CaseRecord):
                _check_version(session, obj)
            elif isinstance(obj, OsrRota):
                obj.version = (obj.version or 0) + 1
            action = "update"
            if "deleted_at" in changes:
                action = "delete" if changes["deleted_at"]["new"] is not None else "restore"
            _audit(session, obj, action, changes, reason)
        for obj in session.deleted:
            if isinstance(obj, EpisodeChild | OsrRota):
                gone = {k: {"old": v["new"], "new": None} for k, v in _insert_changes(obj).items()}
                _audit(session, obj, "delete", gone, reason)


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHECKED, None)
    session.info.pop(_NUMBERED, None)
    session.info.pop(_NUMBERING_LOCKED, None)


def _after_commit(session: Session) -> None:
    session.info.pop(_CHECKED, None)
    session.info.pop(_NUMBERING_LOCKED, None)
    session.info.pop(_REASONS, None)


event.listen(AuditedSession, "before_flush", _before_flush)
event.listen(AuditedSession, "after_flush_postexec", _after_flush_postexec)
event.listen(AuditedSession, "after_commit", _after_commit)
event.listen(AuditedSession, "after_soft_rollback", lambda s, _t: _after_rollback(s))


# --- the public API ---------------------------------------------------------------------


@contextmanager
def write(
    engine: Engine,
    user: str | None,
    *,
    reason: str | None = None,
    at: datetime | None = None,
) -> Iterator[AuditedSession]:
    """One user action: an audited transaction that commits at the end of the block.

    ``user`` is the store's current user ref ("me"); ``reason`` is recorded on
    every audit entry of the action (a correction's reason, say); ``at`` fixes
    the audit time (default: the clock). On any error the whole action is rolled
    back and the error raised: :class:`~ehtui.errors.InputError` for bad values,
    :class:`StaleRecord` when a record changed underneath.
    """
    with AuditedSession(engine, expire_on_commit=False) as s:
        s.info[_USER] = user
        s.info[_REASON] = reason
        s.info[_AT] = at
        try:
            yield s
            s.commit()
        except IntegrityError as exc:
            s.rollback()
            # A ref that points nowhere, or a record another process added a moment ago.
            raise InputError(
                [f"the store refused the change ({exc.orig}); nothing was saved"]
            ) from None
        except BaseException:
            s.rollback()
            raise


def fetch(session: Session, model: type[M], ref: str, *, version: int | None = None) -> M:
    """The record ``ref`` of ``model``; with ``version``, refuse it if it has changed
    since the caller read that version (:class:`StaleRecord`)."""
    table = model.__table__.name  # type: ignore[attr-defined]
    obj = session.get(model, ref, populate_existing=True)
    if obj is None:
        raise StaleRecord(table, ref, gone=True)
    if version is not None and obj.version != version:  # type: ignore[attr-defined]
        raise StaleRecord(table, ref)
    # the flush checks the version again, against the store, when the record is written
    return obj


def _require_reason(reason: str | None, what: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InputError([f"reason: a reason is required to {what}"])
    return reason.strip()


def soft_delete(
    session: Session, obj: CaseRecord, reason: str, *, at: datetime | None = None
) -> None:
    """Remove a case record: it stays in the store with ``deleted_at`` and the reason."""
    reason = _require_reason(reason, "remove a record")
    if obj.deleted_at is not None:
        word = record_word(obj.__table__.name)  # type: ignore[attr-defined]
        raise InputError([f"{word} {_ref_of(obj)} is already removed"])
    table = obj.__table__.name  # type: ignore[attr-defined]
    session.info.setdefault(_REASONS, {})[(table, _ref_of(obj))] = reason
    obj.deleted_at = at or _now(session)
    obj.deleted_reason = reason
    session.add(obj)


def restore(session: Session, obj: CaseRecord, reason: str) -> None:
    """Bring back a removed record; the reason goes in the audit trail."""
    reason = _require_reason(reason, "restore a record")
    if obj.deleted_at is None:
        word = record_word(obj.__table__.name)  # type: ignore[attr-defined]
        raise InputError([f"{word} {_ref_of(obj)} is not removed"])
    table = obj.__table__.name  # type: ignore[attr-defined]
    session.info.setdefault(_REASONS, {})[(table, _ref_of(obj))] = reason
    obj.deleted_at = None
    obj.deleted_reason = None
    session.add(obj)
