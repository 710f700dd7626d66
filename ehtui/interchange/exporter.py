"""Export the store as one ehtui/1 document.

Records are listed by their ``seq`` (then ref), so export → import → export
gives the same bytes. Every ehtui/1 field is written, nulls included;
date-times are written with seconds. Columns beyond ehtui/1 are written only
when they hold something. Soft-deleted records (and what hangs off them) are
left out. The file is UTF-8, pretty-printed with an indent of 2.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    String,
    Table,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from ehtui.interchange import fields as F
from ehtui.interchange.importer import table

INDENT = 2


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


Builder = Callable[[Any, dict[str, Any]], dict[str, Any]]


def _builder(spec: F.RecordSpec) -> tuple[list[str], Builder]:
    """The columns to read (the spec's plain fields, then its special columns) and a
    function turning one row, plus the special fields' values, into a JSON object."""
    columns = list(spec.columns)
    steps: list[tuple[str, int, Callable[[Any], Any], bool]] = []
    for f in spec.fields:
        index = -1 if f.special else columns.index(f.column)
        steps.append((f.name, index, f.kind.dump, f.extension))

    def build(row: Any, specials: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, index, dump, extension in steps:
            if index < 0:
                out[name] = specials[name]
                continue
            value = dump(row[index])
            if extension and _empty(value):
                continue
            out[name] = value
        return out

    return columns, build


def _raw(column: Column[Any]) -> ColumnElement[Any]:
    """Dates, date-times and JSON as the driver gives them (text in SQLite): the
    dump functions of :mod:`fields` read text or objects alike, much faster."""
    if isinstance(column.type, DateTime | Date | JSON):
        return type_coerce(column, String).label(column.name)
    return column


def _select(conn: Connection, tbl: Table, columns: list[str], owner: str | None) -> Any:
    cols = [_raw(tbl.c[c]) for c in columns]
    if owner is not None:
        cols.append(tbl.c[owner])
    query = select(*cols).where(tbl.c.deleted_at.is_(None)).order_by(tbl.c.seq, tbl.c.ref)
    return conn.execute(query)


def _grouped(conn: Connection, spec: F.RecordSpec, owner: str) -> dict[str, list[dict[str, Any]]]:
    """Records of a kind grouped by their owner's ref, each group in store order."""
    columns, build = _builder(spec)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _select(conn, table(spec.table), columns, owner):
        groups[row[-1]].append(build(row, {}))
    return groups


def _practitioners(conn: Connection) -> list[dict[str, Any]]:
    columns, build = _builder(F.PRACTITIONER)
    return [build(row, {}) for row in _select(conn, table("practitioner"), columns, None)]


def _rota(conn: Connection) -> list[dict[str, Any]]:
    tbl = table("osr_rota")
    query = select(tbl.c.hub, tbl.c.week, tbl.c.practitioner).order_by(
        tbl.c.seq, tbl.c.hub, tbl.c.week
    )
    return [{"hub": h, "week": w, "practitioner": p} for h, w, p in conn.execute(query)]


def _families(conn: Connection) -> list[dict[str, Any]]:
    members = _grouped(conn, F.MEMBER, "family")
    columns, build = _builder(F.FAMILY)
    out = []
    for row in _select(conn, table("family"), columns, None):
        team, closed = row[-2], row[-1]
        closure = (
            None if team is None and closed is None else {"team": team, "date": F.DATE.dump(closed)}
        )
        family = build(row, {"last_csc_closure": closure})
        family["members"] = members.get(family["ref"], [])
        out.append(family)
    return out


def _episodes(conn: Connection) -> list[dict[str, Any]]:
    parts = {key: _grouped(conn, spec, "episode") for key, spec in F.EPISODE_PARTS.items()}
    links = table("episode_child")
    children: dict[str, list[str]] = defaultdict(list)
    for episode, child in conn.execute(
        select(links.c.episode, links.c.child).order_by(links.c.episode, links.c.position)
    ):
        children[episode].append(child)
    columns, build = _builder(F.EPISODE)
    docs = [(key, columns.index(column)) for key, column in F.DOCUMENTS.items()]
    out = []
    for row in _select(conn, table("episode"), columns, None):
        ref = row[0]
        documents = {key: bool(row[index]) for key, index in docs}
        episode = build(row, {"children": children.get(ref, []), "documents": documents})
        for key in F.EPISODE_PARTS:
            episode[key] = parts[key].get(ref, [])
        out.append(episode)
    return out


def export_document(engine: Engine) -> dict[str, Any]:
    """The whole store (except soft-deleted records) as an ehtui/1 document."""
    with engine.connect() as conn:
        return {
            "format": F.FORMAT,
            "practitioners": _practitioners(conn),
            "osr_rota": _rota(conn),
            "families": _families(conn),
            "episodes": _episodes(conn),
        }


def dumps(doc: dict[str, Any]) -> str:
    """The document as text: UTF-8 characters kept, indent 2, a final newline."""
    return json.dumps(doc, ensure_ascii=False, indent=INDENT) + "\n"


def export_to(engine: Engine, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the export to ``path`` atomically (a temporary file, then a rename)."""
    doc = export_document(engine)
    text = dumps(doc)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return doc
