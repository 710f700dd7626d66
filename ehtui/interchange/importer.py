"""Import an ehtui/1 document: all or nothing, in one transaction, idempotent.

1. :func:`~ehtui.interchange.parse.parse_document` reads the document and finds
   every problem it can without the store.
2. In one transaction, a few queries learn which refs the store already holds
   (never a query per record) and resolve the references the document does not
   satisfy itself.
3. If anything is wrong: every problem is reported and nothing is written.
   Otherwise new records are inserted (``seq`` continuing after the store's
   highest, in document order) and changed ones updated (``version`` + 1),
   with SQLAlchemy Core ``executemany``; unchanged records are not touched.
   One audit entry records the batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from ehtui import models
from ehtui.audit import record_batch
from ehtui.db import lock_numbering
from ehtui.errors import InputError
from ehtui.interchange import fields as F
from ehtui.interchange.parse import (
    MAX_SHOWN,
    Parsed,
    Pending,
    Problems,
    parse_document,
    read_file,
    unpaired_surrogates,
)
from ehtui.progress import Progress

CHUNK = 5_000  # rows per executemany (and per progress step)
IN_LIMIT = 500  # refs per IN (...) list
SCAN_ABOVE = 2_000  # past this many refs, read the whole table instead of IN lists

# Names for counts, as the document's sections call them.
SECTION = {
    "practitioner": "practitioners",
    "osr_rota": "osr_rota",
    "family": "families",
    "member": "members",
    "episode": "episodes",
    "contact": "contacts",
    "voice_of_child": "voice_of_child",
    "taf_meeting": "taf_meetings",
    "oversight": "oversight",
}

TARGET_TABLE = {"practitioner": "practitioner", "family": "family", "member": "member"}
TARGET_WORDS = {
    "practitioner": "is not a practitioner in the document or the store",
    "family": "is not a family in the document or the store",
    "member": "is not a member of any family in the document or the store",
}


def table(name: str) -> Table:
    return models.SQLModel.metadata.tables[name]


def store_columns(spec: F.RecordSpec) -> tuple[str, ...]:
    """The columns an import writes for a record kind (its owner's ref included)."""
    owner: tuple[str, ...] = ()
    if spec is F.MEMBER:
        owner = ("family",)
    elif spec in F.EPISODE_PARTS.values():
        owner = ("episode",)
    return spec.columns + owner


@dataclass
class ImportResult:
    """How many records of each section were added, updated or already as given."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def flat(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for section in SECTION.values():
            for word, counts in (
                ("added", self.added),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
            ):
                if counts.get(section):
                    out[f"{section}_{word}"] = counts[section]
        return out

    def summary(self) -> list[str]:
        """One line per section: what was added, updated and left as it was."""
        lines = []
        for section in SECTION.values():
            counts = [
                f"{c[section]} {word}"
                for word, c in (
                    ("added", self.added),
                    ("updated", self.updated),
                    ("unchanged", self.unchanged),
                )
                if c.get(section)
            ]
            if counts:
                lines.append(f"{section}: {', '.join(counts)}")
        return lines


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows_by_ref(
    conn: Connection, tbl: Table, columns: Sequence[str], refs: Iterable[str]
) -> dict[str, tuple[Any, ...]]:
    """Existing rows named by ``refs``: ``{ref: (column values...)}``."""
    wanted = set(refs)
    if not wanted:
        return {}
    cols = [tbl.c.ref, *(tbl.c[c] for c in columns)]
    out: dict[str, tuple[Any, ...]] = {}
    if len(wanted) > SCAN_ABOVE:
        for row in conn.execute(select(*cols)):
            if row[0] in wanted:
                out[row[0]] = tuple(row[1:])
        return out
    for chunk in _chunks(sorted(wanted), IN_LIMIT):
        for row in conn.execute(select(*cols).where(tbl.c.ref.in_(chunk))):
            out[row[0]] = tuple(row[1:])
    return out


def _next_seq(conn: Connection, tbl: Table) -> int:
    lock_numbering(conn, tbl.name)  # held to the end of the import's transaction
    return int(conn.execute(select(func.coalesce(func.max(tbl.c.seq), 0))).scalar() or 0) + 1


def _resolve(conn: Connection, pending: list[Pending], problems: Problems) -> None:
    """Look up in the store the references the document does not satisfy itself.

    A member must belong to the family named (an episode's); when that family is
    itself missing, only the missing family is reported.
    """
    missing: dict[str, set[str]] = {}
    for target, tname in TARGET_TABLE.items():
        asked = [p for p in pending if p.target == target and p.home is None]
        extra = ("family",) if target == "member" else ()
        found = _rows_by_ref(conn, table(tname), extra, {p.ref for p in asked})
        missing[target] = {p.ref for p in asked if p.ref not in found}
        for p in pending:
            if p.target != target:
                continue
            if p.home is None and p.ref not in found:
                problems.add(p.path, f"{F.show(p.ref)} {TARGET_WORDS[target]}")
                continue
            if target != "member" or p.family is None or p.family in missing["family"]:
                continue
            home = p.home if p.home is not None else found[p.ref][0]
            if home != p.family:
                problems.add(
                    p.path,
                    f"{F.show(p.ref)} is a member of family {home}, not of family {p.family}",
                )


class _Writer:
    def __init__(self, conn: Connection, progress: Progress | None) -> None:
        self.conn = conn
        self.progress = progress
        self.result = ImportResult()

    def step(self, n: int) -> None:
        if self.progress is not None and n:
            self.progress.advance(n)

    def plan(
        self, spec: F.RecordSpec, rows: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, tuple[Any, ...]]]:
        """Split rows into new ones (with ``seq``) and changed ones; count the rest."""
        tbl = table(spec.table)
        columns = store_columns(spec)
        existing = _rows_by_ref(self.conn, tbl, columns, (r["ref"] for r in rows))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        seq = _next_seq(self.conn, tbl) if len(existing) < len(rows) else 0
        for row in rows:
            old = existing.get(row["ref"])
            if old is None:
                row["seq"] = seq
                row["version"] = 1
                seq += 1
                inserts.append(row)
            elif old != tuple(row[c] for c in columns):
                updates.append(row)
        section = SECTION[spec.table]
        self.result.added[section] = len(inserts)
        self.result.updated[section] = len(updates)
        self.result.unchanged[section] = len(rows) - len(inserts) - len(updates)
        return inserts, updates, existing

    def insert(self, tbl: Table, rows: Sequence[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, CHUNK):
            self.conn.execute(tbl.insert(), list(chunk))
            self.step(len(chunk))

    def update(self, tbl: Table, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        if not rows:
            return
        stmt = (
            tbl.update()
            .where(tbl.c.ref == bindparam("_ref"))
            .values({c: bindparam(c) for c in columns if c != "ref"})
            .values(version=tbl.c.version + 1)
        )
        for chunk in _chunks(rows, CHUNK):
            params = [{"_ref": r["ref"], **{c: r[c] for c in columns if c != "ref"}} for r in chunk]
            self.conn.execute(stmt, params)
            self.step(len(chunk))

    def records(self, spec: F.RecordSpec, rows: list[dict[str, Any]]) -> None:
        tbl = table(spec.table)
        inserts, updates, _ = self.plan(spec, rows)
        self.step(len(rows) - len(inserts) - len(updates))
        if spec is F.PRACTITIONER:
            # A manager may be a practitioner later in the list (or one not yet
            # inserted): insert without managers, then set them.
            later = [{"_ref": r["ref"], "manager": r["manager"]} for r in inserts if r["manager"]]
            self.insert(tbl, [{**r, "manager": None} for r in inserts])
            self.update(tbl, updates, store_columns(spec))
            if later:
                stmt = (
                    tbl.update()
                    .where(tbl.c.ref == bindparam("_ref"))
                    .values(manager=bindparam("manager"))
                )
                self.conn.execute(stmt, later)
            return
        self.insert(tbl, inserts)
        self.update(tbl, updates, store_columns(spec))

    def rota(self, rows: list[dict[str, Any]]) -> None:
        tbl = table("osr_rota")
        existing: dict[tuple[str, str], str] = {}
        keys = [(r["hub"], r["week"]) for r in rows]
        for chunk in _chunks(keys, IN_LIMIT):
            query = select(tbl.c.hub, tbl.c.week, tbl.c.practitioner).where(
                tuple_(tbl.c.hub, tbl.c.week).in_(chunk)
            )
            for hub, week, practitioner in self.conn.execute(query):
                existing[(hub, week)] = practitioner
        inserts, updates = [], []
        seq = _next_seq(self.conn, tbl)
        for row in rows:
            key = (row["hub"], row["week"])
            if key not in existing:
                inserts.append({**row, "seq": seq, "version": 1})
                seq += 1
            elif existing[key] != row["practitioner"]:
                updates.append(
                    {"_hub": key[0], "_week": key[1], "practitioner": row["practitioner"]}
                )
        if inserts:
            self.conn.execute(tbl.insert(), inserts)
        if updates:
            stmt = (
                tbl.update()
                .where(tbl.c.hub == bindparam("_hub"), tbl.c.week == bindparam("_week"))
                .values(practitioner=bindparam("practitioner"), version=tbl.c.version + 1)
            )
            self.conn.execute(stmt, updates)
        self.result.added["osr_rota"] = len(inserts)
        self.result.updated["osr_rota"] = len(updates)
        self.result.unchanged["osr_rota"] = len(rows) - len(inserts) - len(updates)
        self.step(len(rows))

    def children(self, children: dict[str, list[str]]) -> None:
        """An episode's children list, kept as ``episode_child`` links in order."""
        tbl = table("episode_child")
        current: dict[str, list[str]] = {}
        wanted = set(children)
        if len(wanted) > SCAN_ABOVE:
            query = select(tbl.c.episode, tbl.c.child).order_by(tbl.c.episode, tbl.c.position)
            for episode, child in self.conn.execute(query):
                if episode in wanted:
                    current.setdefault(episode, []).append(child)
        else:
            for chunk in _chunks(sorted(wanted), IN_LIMIT):
                query = (
                    select(tbl.c.episode, tbl.c.child)
                    .where(tbl.c.episode.in_(chunk))
                    .order_by(tbl.c.episode, tbl.c.position)
                )
                for episode, child in self.conn.execute(query):
                    current.setdefault(episode, []).append(child)
        changed = [e for e, kids in children.items() if current.get(e, []) != kids]
        stale = [{"_episode": e} for e in changed if e in current]
        if stale:
            self.conn.execute(tbl.delete().where(tbl.c.episode == bindparam("_episode")), stale)
        links = [
            {"episode": e, "child": child, "position": i}
            for e in changed
            for i, child in enumerate(children[e])
        ]
        for chunk in _chunks(links, CHUNK):
            self.conn.execute(tbl.insert(), list(chunk))


def _write(conn: Connection, parsed: Parsed, progress: Progress | None) -> ImportResult:
    writer = _Writer(conn, progress)
    for spec in F.REF_SPECS:
        rows = parsed.rows.get(spec.table, [])
        writer.records(spec, rows)
        if spec is F.PRACTITIONER:
            writer.rota(parsed.rota)
        elif spec is F.EPISODE:
            writer.children(parsed.children)
    return writer.result


def import_document(
    engine: Engine,
    doc_or_path: Any,
    *,
    user: str | None,
    now: datetime,
    source: str | None = None,
    show_progress: bool = False,
) -> ImportResult:
    """Import a parsed document (a dict) or a file; raise :class:`InputError` listing
    every problem, with nothing written, if anything is wrong."""
    doc = doc_or_path
    if isinstance(doc_or_path, str | os.PathLike):
        doc = read_file(Path(doc_or_path))
        source = source or Path(doc_or_path).name
    parsed, problems = parse_document(doc, now=now, show_progress=show_progress)
    total = parsed.count()
    try:
        with engine.begin() as conn:
            _resolve(conn, parsed.pending, problems)
            problems.raise_if_any()
            if show_progress:
                with Progress("Importing", total) as bar:
                    result = _write(conn, parsed, bar)
            else:
                result = _write(conn, parsed, None)
            record_batch(conn, user=user, action="import", counts=result.flat(), source=source)
    except UnicodeEncodeError:
        paths = unpaired_surrogates(doc)[:MAX_SHOWN] or ["(document)"]
        raise InputError(
            [f"{path}: text that is not valid Unicode (an unpaired surrogate)" for path in paths]
            + ["nothing was imported"]
        ) from None
    except IntegrityError as exc:
        # Only a change made by someone else between our reads and writes gets here.
        raise InputError(
            [
                "the store changed while importing (another user or process wrote to it); "
                f"nothing was imported, try again ({exc.orig})"
            ]
        ) from None
    return result
